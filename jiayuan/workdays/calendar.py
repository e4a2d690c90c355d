"""Working days (工作日) in mainland China: weekends, public holidays and make-up working days (调休).

The State Council publishes each year's holiday schedule late in the year before; the
`chinesecalendar` package carries it, so upgrading that package each year keeps deadlines right.
Dates a system administrator adjusted (`WorkdayAdjustment`) override the package; for a year the
package does not cover yet, Monday to Friday count as working days, less and plus those dates, and
the administrator's home page says so (`selectors.years_without_schedule`).
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
from django.utils import timezone

from jiayuan.workdays.cache import adjusted_days


def has_schedule(day: dt.date) -> bool:
    """Whether the published holiday schedule of the day's year is known to the package."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def schedule_published(year: int) -> bool:
    """Whether the package knows the holiday schedule of `year` (it knows whole years or none)."""
    return has_schedule(dt.date(year, 1, 1))


def _is_working_day(day: dt.date, adjusted: dict[dt.date, bool]) -> bool:
    if day in adjusted:
        return adjusted[day]
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def is_working_day(day: dt.date) -> bool:
    """An adjustment entered for the day, else the published schedule, else Monday to Friday."""
    return _is_working_day(day, adjusted_days())


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """`days` working days after `start`, at the same time of day (the local calendar date counts)."""
    adjusted = adjusted_days()  # read once, not once per day counted
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        local = timezone.localtime(current).date() if timezone.is_aware(current) else current.date()
        if _is_working_day(local, adjusted):
            remaining -= 1
    return current
