"""Working days (工作日) in mainland China: weekends, public holidays and make-up working days (调休).

The State Council publishes each year's holiday schedule late in the year before; the
`chinesecalendar` package carries it, so upgrading that package each year keeps deadlines right.
For a year it does not cover yet, Monday to Friday count as working days, and the system check
`jiayuan.W001` warns from 60 days before such a year begins.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import chinese_calendar
from django.core import checks
from django.utils import timezone

WARN_DAYS_AHEAD = 60


def has_schedule(day: dt.date) -> bool:
    """Whether the published holiday schedule of the day's year is known."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_working_day(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """`days` working days after `start`, at the same time of day (the local calendar date counts)."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(
            timezone.localtime(current).date() if timezone.is_aware(current) else current.date()
        ):
            remaining -= 1
    return current


@checks.register()
def check_holiday_schedule(**kwargs: Any) -> list[checks.CheckMessage]:
    soon = timezone.localdate() + dt.timedelta(days=WARN_DAYS_AHEAD)
    if has_schedule(soon):
        return []
    return [
        checks.Warning(
            f"The public-holiday schedule of {soon.year} is not known: deadlines in working days "
            "count Monday to Friday only for that year.",
            hint="Upgrade the chinesecalendar package once the State Council has published it.",
            id="jiayuan.W001",
        )
    ]
