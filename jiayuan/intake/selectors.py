"""What the complainant's follow page shows: the case without personal data, and its public steps.

The page is reached by a signed link, not by an account, so it shows only what the complainant may
be told: no complainant's name or phone, no staff names (the responsible body is named, not its
people), no internal notes, reminders or moderation. Reasons are shown for a rejection and a
close-out, which the complainant is told anyway.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jiayuan.cases.choices import EventKind, Outcome, State
from jiayuan.cases.deadlines import due_at, is_overdue
from jiayuan.cases.models import Case, CaseEvent
from jiayuan.policy.loader import active_preset

# The steps of a case as the complainant reads them, by transition.
STEP_LABELS: dict[str, Promise] = {
    "file": _("Complaint received"),
    "accept": _("Accepted for handling"),
    "reject": _("Not accepted"),
    "dispatch": _("Sent to the responsible body"),
    "refer": _("Handed to another body"),
    "start": _("Work started"),
    "rectify": _("Work reported as done"),
    "verify": _("Result checked"),
    "send_back": _("Sent back for more work"),
    "close_out": _("Closed"),
    "reopen": _("Reopened at the complainant's request"),
    "rate": _("Rated by the complainant"),
}
ESCALATION_LABEL = _("Escalated for supervision")
# The steps whose reason the complainant is told.
REASON_SHOWN = frozenset({"reject", "close_out"})


@dataclass(frozen=True)
class PublicStep:
    at: dt.datetime
    label: str
    detail: str = ""
    reason: str = ""


def public_facts(case: Case, now: dt.datetime) -> dict[str, Any]:
    """The case as the complainant sees it (the case's handler relations already joined)."""
    body = case.handler_enterprise or case.handler_department or case.handler_region
    return {
        "number": case.number,
        "estate": case.estate.name,
        "category": problem_name(case.category),
        "state": case.state,
        "state_label": State(case.state).label,
        "outcome_label": Outcome(case.outcome).label if case.outcome else "",
        "description": case.public_description,
        "body": body.name if body is not None else "",
        "due_at": due_at(case),
        "overdue": is_overdue(case, now),
        "closed_at": case.closed_at,
        "rating": case.rating,
    }


def describe(event: CaseEvent) -> PublicStep:
    """One timeline entry in the complainant's words, with no person named."""
    data = event.data or {}
    if event.kind == EventKind.ESCALATION:
        return PublicStep(at=event.at, label=str(ESCALATION_LABEL), detail=str(data.get("to_region", "")))
    detail = ""
    if event.transition == "refer":
        detail = str(data.get("department", ""))
    elif event.transition == "close_out" and data.get("outcome") in Outcome.values:
        detail = str(Outcome(data["outcome"]).label)
    elif event.transition == "rate" and data.get("rating"):
        detail = f"{data['rating']} / 5"
    reason = event.reason if event.transition in REASON_SHOWN else ""
    return PublicStep(at=event.at, label=str(STEP_LABELS[event.transition]), detail=detail, reason=reason)


def public_timeline(case: Case) -> list[PublicStep]:
    """The case's public steps, oldest first, in one query whatever their number."""
    events = (
        CaseEvent.objects.filter(case=case)
        .filter(Q(transition__in=STEP_LABELS) | Q(kind=EventKind.ESCALATION))
        .only("at", "kind", "transition", "reason", "data")
        .order_by("at", "id")
    )
    return [describe(event) for event in events]


def reopen_deadline(case: Case) -> dt.datetime | None:
    """Until when the complainant may reopen the closed case (the preset's window), or None."""
    if case.state != State.CLOSED_OUT or case.closed_at is None:
        return None
    return case.closed_at + dt.timedelta(days=active_preset().data.cases.reopen_window.days)


def is_poor(rating: int | None) -> bool:
    return rating is not None and rating <= active_preset().data.cases.poor_rating.max


def problem_name(category: str) -> str:
    """A category as the owner reads it: the plain words of the preset's owner list where it offers
    the category, else the catalogue's name."""
    preset = active_preset()
    for problem in preset.data.intake.problems:
        if problem.category == category:
            return problem.name
    found = preset.categories.get(category)
    return found.name if found else category
