"""The transitions after dispatch: work, rectification, verification, close-out, reopen, rating."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.audit.services import record_event
from jiayuan.cases import workflow
from jiayuan.cases.choices import EventKind, Outcome
from jiayuan.cases.deadlines import rectify_due
from jiayuan.cases.models import Case
from jiayuan.cases.services.dispatch import clean_responsible_phone
from jiayuan.cases.services.timeline import apply_transition, check, required
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import Conflict, DomainError
from jiayuan.core.services import require_in_scope
from jiayuan.policy.loader import active_preset


@transaction.atomic
def case_accept(
    *, actor: Actor, case: Case, version: int, note: str = "", now: dt.datetime | None = None
) -> Case:
    """Accept a submitted case (受理): it is a matter for the platform and work can start."""
    return apply_transition(actor=actor, case=case, version=version, name="accept", now=now, reason=note)


@transaction.atomic
def case_reject(
    *, actor: Actor, case: Case, version: int, reason: str, now: dt.datetime | None = None
) -> Case:
    """Refuse a submitted case (不予受理), with the reason the complainant is told."""
    return apply_transition(
        actor=actor, case=case, version=version, name="reject", now=now, reason=required(reason, "reason")
    )


@transaction.atomic
def case_start(
    *,
    actor: Actor,
    case: Case,
    version: int,
    responsible_person: str = "",
    responsible_phone: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """The responsible body takes the case in hand and names its responsible person and their mobile.

    Either left empty keeps what the dispatcher gave.
    """
    changes = {"responsible_person": responsible_person.strip()} if responsible_person.strip() else {}
    if phone := clean_responsible_phone(responsible_phone):
        changes["responsible_phone"] = phone
    return apply_transition(actor=actor, case=case, version=version, name="start", now=now, changes=changes)


@transaction.atomic
def case_rectify(
    *, actor: Actor, case: Case, version: int, measures: str, evidence: str, now: dt.datetime | None = None
) -> Case:
    """The responsible body reports the rectification: what it did and the evidence."""
    changes = {"measures": required(measures, "measures"), "evidence": evidence.strip()}
    return apply_transition(actor=actor, case=case, version=version, name="rectify", now=now, changes=changes)


@transaction.atomic
def case_verify(
    *, actor: Actor, case: Case, version: int, note: str = "", now: dt.datetime | None = None
) -> Case:
    """A supervisor checks the rectification on the spot and finds it done (核验)."""
    return apply_transition(actor=actor, case=case, version=version, name="verify", now=now, reason=note)


@transaction.atomic
def case_send_back(
    *, actor: Actor, case: Case, version: int, reason: str, now: dt.datetime | None = None
) -> Case:
    """Verification failed: the case goes back to the responsible body (退回)."""
    return apply_transition(
        actor=actor, case=case, version=version, name="send_back", now=now, reason=required(reason, "reason")
    )


@transaction.atomic
def case_close_out(
    *,
    actor: Actor,
    case: Case,
    version: int,
    outcome: str,
    note: str = "",
    duplicate_of: Case | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """Close the case out (销号), recording how it ended.

    `fixed` only after verification; unfounded, duplicate, outside remit and withdrawn end a case
    that needed no rectification, need a note, and never count as fixed.
    """
    check(actor, case, "close_out")
    if outcome not in Outcome.values:
        raise DomainError(_("Unknown outcome %(code)s.") % {"code": outcome}, field="outcome")
    if not workflow.outcome_allowed(case.state, outcome):
        if outcome == Outcome.FIXED:
            message = _("A case is closed out as fixed only after its rectification is verified.")
        else:
            message = _("A verified case can only be closed out as fixed.")
        raise DomainError(message, field="outcome", code="transition_not_allowed")
    if outcome != Outcome.FIXED:
        note = required(note, "note")
    if outcome == Outcome.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == case.pk or duplicate_of.estate_id != case.estate_id:
            raise DomainError(
                _("Name the case at the same estate that this one duplicates."), field="duplicate_of"
            )
    elif duplicate_of is not None:
        raise DomainError(_("Only a duplicate names the case it duplicates."), field="duplicate_of")
    now = now or timezone.now()
    changes = {"outcome": outcome, "closed_at": now, "duplicate_of": duplicate_of}
    data = {"outcome": outcome, "duplicate_of": duplicate_of.number if duplicate_of else None}
    return apply_transition(
        actor=actor,
        case=case,
        version=version,
        name="close_out",
        now=now,
        changes=changes,
        reason=note,
        data=data,
    )


@transaction.atomic
def case_reopen(
    *, actor: Actor, case: Case, version: int, reason: str, now: dt.datetime | None = None
) -> Case:
    """The complainant reopens a closed case within the preset's window; it starts over from accepted.

    The rectification deadline runs again from now, escalation starts again at level 0, and the
    reopen counter goes up.
    """
    check(actor, case, "reopen")
    now = now or timezone.now()
    preset = active_preset()
    window = preset.data.cases.reopen_window
    if case.closed_at is not None and now > case.closed_at + dt.timedelta(days=window.days):
        raise DomainError(
            _("A case can be reopened only within %(days)s days of its close-out.") % {"days": window.days},
            code="reopen_window_passed",
        )
    line = preset.deadline_for(case.category, case.urgency)
    changes = {
        "reopen_count": case.reopen_count + 1,
        "outcome": "",
        "closed_at": None,
        "duplicate_of": None,
        "rating": None,
        "rating_comment": "",
        "escalation_level": 0,
        "reminded_due_at": None,
        "deadline": rectify_due(line, now),
    }
    data = {"previous_outcome": case.outcome, "previous_rating": case.rating, "window_clause": window.clause}
    return apply_transition(
        actor=actor,
        case=case,
        version=version,
        name="reopen",
        now=now,
        changes=changes,
        reason=required(reason, "reason"),
        data=data,
    )


@transaction.atomic
def case_rate(
    *, actor: Actor, case: Case, version: int, rating: int, comment: str = "", now: dt.datetime | None = None
) -> Case:
    """The complainant rates the result of a closed case, 1 to 5; a poor rating shows to supervisors."""
    check(actor, case, "rate")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise DomainError(_("A rating is a whole number from 1 to 5."), field="rating")
    if case.rating is not None:
        raise Conflict(_("This case has already been rated."), field="rating")
    poor = active_preset().data.cases.poor_rating
    return apply_transition(
        actor=actor,
        case=case,
        version=version,
        name="rate",
        now=now,
        changes={"rating": rating, "rating_comment": comment.strip()},
        data={"rating": rating, "poor": rating <= poor.max, "poor_clause": poor.clause},
        kind=EventKind.RATING,
    )


@transaction.atomic
def case_moderate(
    *,
    actor: Actor,
    case: Case,
    version: int,
    moderated_text: str,
    reason: str,
    now: dt.datetime | None = None,
) -> Case:
    """Hide insulting text from public views; the original stays on record. Empty text restores it."""
    return apply_transition(
        actor=actor,
        case=case,
        version=version,
        name="moderate",
        now=now,
        changes={"moderated_description": moderated_text.strip()},
        reason=required(reason, "reason"),
        kind=EventKind.MODERATION,
    )


@transaction.atomic
def case_reveal_complainant(*, actor: Actor, case: Case, purpose: str) -> dict[str, str]:
    """The complainant's name and phone unmasked, for a role that needs them, with the reason why.

    Like the owner reveal: the read and its purpose are an audit event (等保 2.0; YC §5(一) item 5).
    """
    actor.require(permissions.VIEW_PERSONAL_DATA)
    require_in_scope(actor, case, permission=permissions.VIEW_PERSONAL_DATA)
    record_event(
        actor=actor, action="case.complainant_revealed", obj=case, reason=required(purpose, "purpose")
    )
    return {"name": case.complainant_name, "phone": case.complainant_phone}
