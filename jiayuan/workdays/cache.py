"""The adjustments as a cached mapping, so that counting a deadline costs no query.

The cache is the cache framework's (`CACHES`): every change through the services deletes the
entry, inside the transaction and again on commit, so with a shared cache (Redis,
`CACHE_REDIS_URL`) every process sees a change at once. With the default per-process cache,
another process is not told; the timeout bounds how long it keeps counting with what it read.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache

from jiayuan.workdays.choices import DayKind
from jiayuan.workdays.models import WorkdayAdjustment

CACHE_KEY = "workdays:adjustments"
CACHE_SECONDS = 300


def adjusted_days() -> dict[dt.date, bool]:
    """Every date an administrator adjusted, mapped to whether it is a working day (one query per miss)."""
    days: dict[dt.date, bool] | None = cache.get(CACHE_KEY)
    if days is None:
        days = {
            day: kind == DayKind.WORKING_DAY
            for day, kind in WorkdayAdjustment.objects.values_list("date", "kind")
        }
        cache.set(CACHE_KEY, days, CACHE_SECONDS)
    return days


def forget_adjusted_days() -> None:
    cache.delete(CACHE_KEY)
