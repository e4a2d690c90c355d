"""What the complainant's follow page shows: the case without personal data, and its public steps.

The page is reached by a signed link, not by an account, so it shows only what the complainant may
be told: no complainant's name or phone, no staff names (the responsible body is named, not its
people), no internal notes, reminders or moderation, and the states in the complainant's words
(已办结, not 已销号). The steps are worded by `jiayuan.cases.timeline`, as on the staff's case page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiayuan.cases import workflow
from jiayuan.cases.choices import EventKind, Outcome, State
from jiayuan.cases.deadlines import due_at, is_overdue
from jiayuan.cases.models import Case, CaseEvent
from jiayuan.cases.timeline import OWNER, OWNER_STEPS, Entry, events_with_actors, owner_state_label, timeline
from jiayuan.policy.loader import active_preset


def due_label(case: Case) -> str:
    """Which deadline the page shows, in the complainant's words: to accept it or to fix it."""
    if case.state in workflow.ACCEPTANCE_CLOCK:
        return str(_("To be accepted by"))
    if case.state in workflow.RECTIFICATION_CLOCK:
        return str(_("To be fixed by"))
    return ""


def public_facts(case: Case, now: dt.datetime) -> dict[str, Any]:
    """The case as the complainant sees it (the case's handler relations already joined)."""
    body = case.handler_enterprise or case.handler_department or case.handler_region
    return {
        "number": case.number,
        "estate": case.estate.name,
        "category": problem_name(case.category),
        "state": case.state,
        "state_label": owner_state_label(case.state),
        "outcome_label": Outcome(case.outcome).label if case.outcome else "",
        "description": case.public_description,
        "body": body.name if body is not None else "",
        "due_at": due_at(case),
        "due_label": due_label(case),
        "overdue": is_overdue(case, now),
        "closed_at": case.closed_at,
        "rating": case.rating,
    }


def public_timeline(case: Case) -> list[Entry]:
    """The case's public steps in the complainant's words, oldest first (`cases.timeline`), in two
    queries whatever their number: the events with their actors, and the actors' organisations."""
    public = Q(transition__in=OWNER_STEPS) | Q(kind=EventKind.ESCALATION)
    events = events_with_actors(CaseEvent.objects.filter(case=case).filter(public).order_by("at", "id"))
    return timeline(events, case, audience=OWNER)


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
