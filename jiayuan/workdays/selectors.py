"""Reads of the working-day calendar: the adjustments, and the years nobody has given a schedule."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from jiayuan.workdays.cache import adjusted_days
from jiayuan.workdays.calendar import schedule_published
from jiayuan.workdays.models import WorkdayAdjustment

# The system administrator is told from this many days before a year begins that its holiday
# schedule is missing.
NOTICE_DAYS_AHEAD = 60


def adjustment_list(*, year: int | None = None) -> QuerySet[WorkdayAdjustment]:
    """The adjustments in date order, of one year if given (a platform-wide calendar: no scope)."""
    adjustments = WorkdayAdjustment.objects.order_by("date")
    return adjustments if year is None else adjustments.filter(date__year=year)


def years_without_schedule(*, today: dt.date) -> list[int]:
    """Years whose working days rest on the weekday rule alone: not published, nothing entered.

    The current year, and the next one from NOTICE_DAYS_AHEAD days before it begins. A year counts
    as covered once the chinesecalendar package knows it or an administrator entered any date of it.
    """
    years = [today.year]
    if dt.date(today.year + 1, 1, 1) - today <= dt.timedelta(days=NOTICE_DAYS_AHEAD):
        years.append(today.year + 1)
    entered = {day.year for day in adjusted_days()}
    return [year for year in years if not schedule_published(year) and year not in entered]
