"""The moment every test runs at: no test reads the wall clock.

The root conftest travels there (time-machine, the clock ticking on from there) before each test,
so a result that depends on "now" is the same on any day the suite runs. A test about another
moment moves the clock itself (the `time_machine` fixture's `move_to`, or `time_machine.travel`).
"""

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Monday 16 March 2026, 10:00 in Shanghai: an ordinary working week of a year whose holiday
# schedule the chinesecalendar package knows.
PINNED_NOW = dt.datetime(2026, 3, 16, 10, 0, tzinfo=SHANGHAI)

# 09:00 of that Monday: when the case factories file (an hour before the clock).
MONDAY_9AM = PINNED_NOW.replace(hour=9)
