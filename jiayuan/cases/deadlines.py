"""Deadlines of cases: when they fall due, and the one definition of overdue and due soon.

A case in `submitted` runs against its acceptance deadline (`accept_due_at`); once accepted and
until rectified it runs against its rectification deadline (`deadline`). Rectified, verified,
rejected and closed-out cases are never overdue. Lists, reports and notifications all use
`overdue_q` / `with_overdue` (in the database) or `is_overdue` (in Python): they agree by test.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db.models import BooleanField, ExpressionWrapper, Model, Q, QuerySet

from jiayuan.cases.workflow import ACCEPTANCE_CLOCK, RECTIFICATION_CLOCK
from jiayuan.policy.loader import PolicyPreset
from jiayuan.policy.schema import CaseDeadline
from jiayuan.workdays.calendar import add_working_days

M = TypeVar("M", bound=Model)


def accept_due(line: CaseDeadline, start: dt.datetime) -> dt.datetime:
    return start + dt.timedelta(hours=line.accept_hours)


def rectify_due(line: CaseDeadline, start: dt.datetime) -> dt.datetime:
    if line.rectify_hours is not None:
        return start + dt.timedelta(hours=line.rectify_hours)
    return add_working_days(start, line.rectify_working_days or 0)


def due_at(case: Any) -> dt.datetime | None:
    """The deadline the case now runs against, or None if no clock runs in its state."""
    if case.state in ACCEPTANCE_CLOCK:
        return case.accept_due_at
    if case.state in RECTIFICATION_CLOCK:
        return case.deadline
    return None


def is_overdue(case: Any, now: dt.datetime) -> bool:
    due = due_at(case)
    return due is not None and due < now


def is_due_soon(case: Any, now: dt.datetime, preset: PolicyPreset) -> bool:
    """Not yet overdue, but due within the preset's `cases.due_soon.hours`."""
    due = due_at(case)
    if due is None or due < now:
        return False
    return due - now <= dt.timedelta(hours=preset.data.cases.due_soon.hours)


def overdue_q(now: dt.datetime, prefix: str = "") -> Q:
    """Rows overdue at `now` (the database form of `is_overdue`)."""
    return Q(**{f"{prefix}state__in": sorted(ACCEPTANCE_CLOCK), f"{prefix}accept_due_at__lt": now}) | Q(
        **{f"{prefix}state__in": sorted(RECTIFICATION_CLOCK), f"{prefix}deadline__lt": now}
    )


def due_soon_q(now: dt.datetime, preset: PolicyPreset) -> Q:
    """Rows due within the preset's due-soon window and not yet overdue."""
    until = now + dt.timedelta(hours=preset.data.cases.due_soon.hours)
    return Q(state__in=sorted(ACCEPTANCE_CLOCK), accept_due_at__gte=now, accept_due_at__lte=until) | Q(
        state__in=sorted(RECTIFICATION_CLOCK), deadline__gte=now, deadline__lte=until
    )


def with_overdue(qs: QuerySet[M], now: dt.datetime) -> QuerySet[M]:
    """Annotate `is_overdue` on every row."""
    return qs.annotate(is_overdue=ExpressionWrapper(overdue_q(now), output_field=BooleanField()))
