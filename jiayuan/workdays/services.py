"""All writes to the working-day calendar: a system administrator's adjustments (audited)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from jiayuan.audit.services import record_event
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.services import validate
from jiayuan.workdays.cache import forget_adjusted_days
from jiayuan.workdays.models import WorkdayAdjustment


def _forget() -> None:
    # Now, so the rest of this transaction counts with the change, and again on commit, so a
    # process that read the old rows meanwhile does not keep them.
    forget_adjusted_days()
    transaction.on_commit(forget_adjusted_days)


@transaction.atomic
def workday_adjustment_set(
    *, actor: Actor, day: dt.date, kind: str, name: str, note: str = "", reason: str = ""
) -> WorkdayAdjustment:
    """Count `day` as a day off or as a working day, whatever the published schedule says.

    Enters the date, or changes what was entered for it. Only the platform's administrators
    (permission `admin.site`) keep the calendar: every deadline in working days depends on it.
    """
    actor.require(permissions.ADMIN_SITE)
    adjustment = WorkdayAdjustment.objects.select_for_update().filter(date=day).first()
    values = {"kind": kind, "name": name.strip(), "note": note.strip()}
    if adjustment is None:
        adjustment = WorkdayAdjustment(date=day, **values)
        validate(adjustment)
        adjustment.save()
        record_event(
            actor=actor,
            action="workday_adjustment.created",
            obj=adjustment,
            reason=reason,
            data={"date": day, **values},
        )
    else:
        changed = {
            field: [getattr(adjustment, field), value]
            for field, value in values.items()
            if getattr(adjustment, field) != value
        }
        if not changed:
            return adjustment
        for field, value in values.items():
            setattr(adjustment, field, value)
        validate(adjustment)
        adjustment.save(update_fields=[*changed, "updated_at"])
        record_event(
            actor=actor,
            action="workday_adjustment.updated",
            obj=adjustment,
            reason=reason,
            data={"date": day, **changed},
        )
    _forget()
    return adjustment


@transaction.atomic
def workday_adjustment_remove(*, actor: Actor, adjustment: WorkdayAdjustment, reason: str = "") -> None:
    """Remove an adjustment: the date counts as the published schedule (or the weekday rule) says."""
    actor.require(permissions.ADMIN_SITE)
    record_event(
        actor=actor,
        action="workday_adjustment.removed",
        obj=adjustment,
        reason=reason,
        data={field: getattr(adjustment, field) for field in ("date", "kind", "name", "note")},
    )
    adjustment.delete()
    _forget()
