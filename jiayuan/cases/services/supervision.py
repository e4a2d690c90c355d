"""Deadlines: reminders of cases due soon and escalation (督办) of overdue ones."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from jiayuan.audit.services import record_event
from jiayuan.cases import workflow
from jiayuan.cases.choices import EventKind
from jiayuan.cases.deadlines import due_at, due_soon_q, overdue_q
from jiayuan.cases.models import Case
from jiayuan.cases.services.dispatch import estate_regions
from jiayuan.cases.services.notify import notify_of_escalation, notify_responsible_of_reminder
from jiayuan.cases.services.timeline import add_event
from jiayuan.core.actor import system_actor
from jiayuan.policy.loader import active_preset
from jiayuan.policy.schema import ESCALATION_LEVELS


def deadlines_sweep(*, now: dt.datetime) -> dict[str, int]:
    """Remind cases due soon and escalate overdue ones one level up. Safe to run twice.

    Each case is handled in its own transaction (`case_remind`, `case_escalate`), so one bad row
    does not hold back the rest.
    """
    preset = active_preset()
    reminded = sum(
        case_remind(case_id=pk, now=now)
        for pk in Case.objects.filter(due_soon_q(now, preset)).values_list("pk", flat=True)
    )
    escalated = 0
    escalation = preset.data.cases.escalation
    if escalation.enabled:
        top = ESCALATION_LEVELS.index(escalation.top) + 1
        overdue = Case.objects.filter(overdue_q(now), escalation_level__lt=top).values_list("pk", flat=True)
        escalated = sum(case_escalate(case_id=pk, now=now) for pk in overdue)
    return {"reminded": reminded, "escalated": escalated}


@transaction.atomic
def case_remind(*, case_id: int, now: dt.datetime) -> bool:
    """Record one reminder per deadline for a case due soon and text the responsible person (on commit)."""
    case = Case.objects.select_related("estate").get(pk=case_id)
    due = due_at(case)
    if due is None:
        return False
    claimed = (
        Case.objects.filter(pk=case_id, state=case.state)
        .exclude(reminded_due_at=due)
        .update(reminded_due_at=due)
    )
    if not claimed:
        return False
    actor = system_actor()
    data = {"number": case.number, "due_at": due, "state": case.state}
    add_event(actor=actor, case=case, at=now, kind=EventKind.REMINDER, data=data)
    record_event(actor=actor, action="case.reminded", obj=case, data=data)
    notify_responsible_of_reminder(case=case, due=due)
    return True


@transaction.atomic
def case_escalate(*, case_id: int, now: dt.datetime) -> bool:
    """Escalate an overdue case one level up (督办), once per level and deadline.

    The first level (subdistrict) is reached when the deadline passes, each further one
    `interval_hours` later, up to the preset's `top`. The claim is conditional on the level, the
    state and the deadline, so a second run, or a run racing a reopen, changes nothing.
    """
    case = Case.objects.select_related("estate__community").get(pk=case_id)
    due = due_at(case)
    escalation = active_preset().data.cases.escalation
    if due is None or due >= now or not escalation.enabled:
        return False
    top = ESCALATION_LEVELS.index(escalation.top) + 1
    reached = 1 + int((now - due) / dt.timedelta(hours=escalation.interval_hours))
    level = case.escalation_level + 1
    if level > min(top, reached):
        return False
    due_field = "accept_due_at" if case.state in workflow.ACCEPTANCE_CLOCK else "deadline"
    claimed = Case.objects.filter(
        pk=case_id, state=case.state, escalation_level=case.escalation_level, **{due_field: due}
    ).update(escalation_level=level)
    if not claimed:
        return False
    case.escalation_level = level
    region = estate_regions(case.estate)[ESCALATION_LEVELS[level - 1]]
    actor = system_actor()
    data = {
        "number": case.number,
        "level": level,
        "to_region": region.name,
        "to_region_code": region.code,
        "due_at": due,
        "clause": escalation.clause,
    }
    add_event(actor=actor, case=case, at=now, kind=EventKind.ESCALATION, data=data)
    record_event(actor=actor, action="case.escalated", obj=case, data=data)
    notify_of_escalation(case=case, level=level, region=region)
    return True
