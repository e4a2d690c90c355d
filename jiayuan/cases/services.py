"""All writes to cases: one function per use case of the workflow (docs/cases.md).

Every transition checks the actor's permission and scope and the workflow table, then claims the
case with a conditional update on the `version` the actor saw (STYLE habit 7): of two people acting
at once one wins, the other gets a Conflict and nothing of theirs is written. The timeline entry
(CaseEvent) and the audit event are written in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiayuan.accounts.choices import Role
from jiayuan.audit.services import record_event
from jiayuan.cases import workflow
from jiayuan.cases.choices import EventKind, HandlerKind, Outcome, Source, State, Urgency
from jiayuan.cases.deadlines import accept_due, due_at, due_soon_q, overdue_q, rectify_due
from jiayuan.cases.models import Case, CaseEvent
from jiayuan.core import permissions
from jiayuan.core.actor import Actor, system_actor
from jiayuan.core.exceptions import Conflict, DomainError, NotPermitted
from jiayuan.core.services import require_in_scope, validate
from jiayuan.enterprises.models import ServiceContract
from jiayuan.estates.models import Estate
from jiayuan.policy.loader import active_preset
from jiayuan.policy.schema import ESCALATION_LEVELS, HANDLER_PATTERN
from jiayuan.regions.models import Department, Region

ACTION_LABELS = {
    "accept": gettext_lazy("Accept"),
    "reject": gettext_lazy("Reject"),
    "dispatch": gettext_lazy("Dispatch"),
    "refer": gettext_lazy("Refer"),
    "start": gettext_lazy("Start work"),
    "rectify": gettext_lazy("Report rectification"),
    "verify": gettext_lazy("Verify"),
    "send_back": gettext_lazy("Send back"),
    "close_out": gettext_lazy("Close out"),
    "reopen": gettext_lazy("Reopen"),
    "rate": gettext_lazy("Rate"),
    "moderate": gettext_lazy("Moderate"),
}
REGION_HANDLERS = {
    HandlerKind.COMMUNITY,
    HandlerKind.SUBDISTRICT,
    HandlerKind.DISTRICT_HOUSING,
    HandlerKind.CITY_HOUSING,
}


class DuplicateSuspected(Conflict):
    """An open case on the same problem (estate and category) exists; `case` is the oldest of them."""

    code = "duplicate_suspected"

    def __init__(self, case: Case) -> None:
        super().__init__(
            _(
                "Case %(number)s on the same problem at this estate is still open. "
                "Add to it, or confirm that this is a different problem."
            )
            % {"number": case.number},
            details={"case": case.number, "id": case.pk},
        )
        self.case = case


def required(value: str, field: str) -> str:
    text = value.strip()
    if not text:
        raise DomainError(_("This field is required."), field=field)
    return text


# --- filing -------------------------------------------------------------------------------------------


@transaction.atomic
def case_file(
    *,
    actor: Actor,
    estate: Estate,
    category: str,
    description: str,
    source: str,
    urgency: str = Urgency.NORMAL,
    complainant_name: str = "",
    complainant_phone: str = "",
    confirm_not_duplicate: bool = False,
    now: dt.datetime | None = None,
) -> Case:
    """File a case at an estate, with its number and its deadlines from the preset.

    A second open case on the same problem (estate and category) is refused with
    `DuplicateSuspected` unless the filer confirms it is a different problem; that is recorded.
    An owner or committee member who files is the complainant and may later rate or reopen it.
    """
    actor.require(permissions.CASES_FILE)
    require_in_scope(actor, estate, permission=permissions.CASES_FILE)
    preset = active_preset()
    if category not in preset.categories:
        raise DomainError(_("Unknown category %(code)s.") % {"code": category}, field="category")
    if urgency not in Urgency.values:
        raise DomainError(_("Unknown urgency %(code)s.") % {"code": urgency}, field="urgency")
    open_same = Case.objects.filter(estate=estate, category=category, state__in=workflow.OPEN_STATES)
    others = list(open_same.order_by("created_at", "id").values_list("number", flat=True))
    if others and not confirm_not_duplicate:
        raise DuplicateSuspected(open_same.order_by("created_at", "id").first())  # type: ignore[arg-type]
    now = now or timezone.now()
    line = preset.deadline_for(category, urgency)
    resident = actor.has_role(Role.OWNER, Role.COMMITTEE_MEMBER)
    case = Case(
        estate=estate,
        category=category,
        description=required(description, "description"),
        source=source,
        urgency=urgency,
        complainant_name=complainant_name.strip(),
        complainant_phone=complainant_phone.strip(),
        complainant_user=actor.user if resident else None,
        accept_due_at=accept_due(line, now),
        deadline=rectify_due(line, now),
        created_at=now,
        updated_at=now,
        number="-",
        number_year=timezone.localtime(now).year,
        number_serial=0,
    )
    if source not in Source.values:
        raise DomainError(_("Unknown source %(code)s.") % {"code": source}, field="source")
    validate(case, exclude=["number", "number_year", "number_serial", "complainant_user"])
    allocate_number(case, preset.data.cases.numbering.prefix)
    data: dict[str, Any] = {"number": case.number, "category": category, "source": source, "urgency": urgency}
    data["deadline_clause"] = line.clause
    if others:
        data["confirmed_not_duplicate_of"] = others
    add_event(
        actor=actor,
        case=case,
        at=now,
        kind=EventKind.TRANSITION,
        transition="file",
        to_state=case.state,
        data=data,
    )
    record_event(actor=actor, action="case.filed", obj=case, data=data)
    return case


def allocate_number(case: Case, prefix: str) -> None:
    """Insert the case under the next serial of its year; a clash with a concurrent filer retries.

    Two filers may read the same maximum; the unique constraint lets one insert and the other
    retries (in a savepoint) with the next serial, so numbers are unique without a counter row.
    """
    for _attempt in range(10):
        last = Case.objects.filter(number_year=case.number_year).aggregate(m=Max("number_serial"))["m"]
        case.number_serial = (last or 0) + 1
        case.number = f"{prefix}-{case.number_year}-{case.number_serial:06d}"
        try:
            with transaction.atomic():
                case.save(force_insert=True)
        except IntegrityError:
            case.pk = None
            continue
        return
    raise Conflict(_("Could not allocate a case number; please try again."))


def add_event(
    *,
    actor: Actor | None,
    case: Case,
    at: dt.datetime,
    kind: str,
    transition: str = "",
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append one entry to the case's timeline (callers write the audit event)."""
    user = actor.user if actor is not None and getattr(actor.user, "pk", None) else None
    name = (getattr(user, "display_name", "") or (actor.username if actor else "")) or "system"
    return CaseEvent.objects.create(
        case=case,
        at=at,
        actor=user,
        actor_name=name,
        kind=kind,
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
    )


# --- the transitions ----------------------------------------------------------------------------------


def refuse_if_not_allowed(case: Case, name: str) -> None:
    if not workflow.allowed(case.state, name):
        raise DomainError(
            _("“%(action)s” is not allowed for a case that is %(state)s.")
            % {"action": ACTION_LABELS[name], "state": State(case.state).label},
            code="transition_not_allowed",
        )


def require_handler(actor: Actor, case: Case) -> None:
    """Only the body the case is dispatched to works on it (or staff with reach over everything)."""
    scope = actor.scope_for(permissions.CASES_HANDLE)
    if scope.everything:
        return
    if case.handler_kind == HandlerKind.ENTERPRISE and case.handler_enterprise_id in scope.enterprise_ids:
        return
    if case.handler_kind == HandlerKind.DEPARTMENT and case.handler_department_id in actor.department_ids:
        return
    # A region's staff are those who run the ledger there (a department officer is not).
    region = case.handler_region if case.handler_kind in REGION_HANDLERS else None
    if region is not None and actor.scope_for(permissions.CASES_DISPATCH).covers_path(region.path):
        return
    raise NotPermitted(permissions.CASES_HANDLE)


def require_complainant(actor: Actor, case: Case) -> None:
    """The complainant acts on their own case; staff may act for one who has no account (hotline)."""
    if case.complainant_user_id is not None and getattr(actor.user, "pk", None) == case.complainant_user_id:
        return
    if actor.has(permissions.CASES_ACCEPT):
        return
    raise NotPermitted(permissions.CASES_RATE)


def check(actor: Actor, case: Case, name: str) -> workflow.Transition:
    """Refuse the transition unless the actor's role, scope and the case's state allow it."""
    entry = workflow.TRANSITIONS[name]
    actor.require(entry.permission)
    require_in_scope(actor, case, permission=entry.permission)
    refuse_if_not_allowed(case, name)
    if entry.by_handler:
        require_handler(actor, case)
    if entry.by_complainant:
        require_complainant(actor, case)
    return entry


def stale_version() -> Conflict:
    return Conflict(_("Someone else changed this case; reload it and try again."), code="stale_version")


def apply_transition(
    *,
    actor: Actor,
    case: Case,
    version: int,
    name: str,
    now: dt.datetime | None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    kind: str = EventKind.TRANSITION,
) -> Case:
    """Check, claim (conditional update on `version`), record. The heart of every transition."""
    if case.version != version:
        raise stale_version()
    entry = check(actor, case, name)
    now = now or timezone.now()
    before = case.state
    after = workflow.target_of(before, name)
    values = {**(changes or {}), "state": after, "updated_at": now}
    claimed = Case.objects.filter(pk=case.pk, version=version, state__in=entry.sources).update(
        version=F("version") + 1, **values
    )
    if not claimed:
        raise stale_version()
    for field, value in values.items():
        setattr(case, field, value)
    case.version = version + 1
    payload = {"number": case.number, "from": before, "to": after, **(data or {})}
    add_event(
        actor=actor,
        case=case,
        at=now,
        kind=kind,
        transition=name,
        from_state=before,
        to_state=after,
        reason=reason,
        data=data,
    )
    record_event(actor=actor, action=f"case.{name}", obj=case, reason=reason, data=payload)
    return case


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


def estate_regions(estate: Estate) -> dict[str, Region]:
    """The estate's community and its ancestors, by level (one query)."""
    path = estate.community.path
    codes = [code for code in path.split("/") if code]
    prefixes = ["".join(f"{c}/" for c in codes[: i + 1]) for i in range(len(codes))]
    return {region.level: region for region in Region.objects.filter(path__in=prefixes)}


def resolve_handler(handler: str, estate: Estate, now: dt.datetime) -> dict[str, Any]:
    """The model fields naming the body a handler form stands for at this estate."""
    preset = active_preset()
    links: dict[str, Any] = {"handler_enterprise": None, "handler_department": None, "handler_region": None}
    if handler == HandlerKind.ENTERPRISE:
        contract = (
            ServiceContract.objects.in_force_on(timezone.localdate(now))
            .filter(estate=estate)
            .select_related("enterprise")
            .first()
        )
        if contract is None:
            raise DomainError(
                _("The estate has no service contract in force; dispatch the case to another body."),
                field="handler",
            )
        return {**links, "handler_kind": HandlerKind.ENTERPRISE, "handler_enterprise": contract.enterprise}
    regions = estate_regions(estate)
    level_of: dict[str, str] = {
        HandlerKind.COMMUNITY: "community",
        HandlerKind.SUBDISTRICT: "subdistrict",
        HandlerKind.DISTRICT_HOUSING: "district",
        HandlerKind.CITY_HOUSING: "city",
    }
    if handler in level_of:
        return {**links, "handler_kind": handler, "handler_region": regions[level_of[handler]]}
    code = handler.split(":", 1)[1]
    if code not in preset.departments:
        raise DomainError(_("Unknown department %(code)s.") % {"code": code}, field="handler")
    found = {
        d.region_id: d
        for d in Department.objects.filter(kind=code, region__in=[regions["district"], regions["city"]])
    }
    department = found.get(regions["district"].pk) or found.get(regions["city"].pk)
    if department is None:
        raise DomainError(
            _("No %(department)s is registered for this district or the city; dispatch to another body.")
            % {"department": preset.departments[code].name},
            field="handler",
        )
    return {**links, "handler_kind": HandlerKind.DEPARTMENT, "handler_department": department}


@transaction.atomic
def case_dispatch(
    *,
    actor: Actor,
    case: Case,
    version: int,
    handler: str | None = None,
    reason: str = "",
    responsible_person: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """Send the case to the body that must act (派单), as the responsibility list routes it.

    `handler` (a handler form: enterprise, community, subdistrict, district_housing, city_housing or
    department:<code>) overrides the list; an override needs a reason and is recorded as such.
    """
    check(actor, case, "dispatch")
    now = now or timezone.now()
    line = active_preset().responsibility_for(case.category, case.estate.community.path)
    chosen = handler or line.handler
    if not HANDLER_PATTERN.match(chosen):
        raise DomainError(_("Unknown handler %(handler)s.") % {"handler": chosen}, field="handler")
    override = chosen != line.handler
    if override and not reason.strip():
        raise DomainError(_("Dispatching against the responsibility list needs a reason."), field="reason")
    changes = resolve_handler(chosen, case.estate, now)
    changes["responsible_person"] = responsible_person.strip()
    data = {"handler": chosen, "listed_handler": line.handler, "clause": line.clause, "override": override}
    return apply_transition(
        actor=actor,
        case=case,
        version=version,
        name="dispatch",
        now=now,
        changes=changes,
        reason=reason.strip(),
        data=data,
        kind=EventKind.OVERRIDE if override else EventKind.TRANSITION,
    )


@transaction.atomic
def case_refer(
    *,
    actor: Actor,
    case: Case,
    version: int,
    department: Department,
    reason: str,
    now: dt.datetime | None = None,
) -> Case:
    """Hand the case to a department for enforcement (移交): a transition with its own record."""
    check(actor, case, "refer")
    if not Department.objects.visible_to(actor).filter(pk=department.pk).exists():
        raise Http404
    changes = {
        "handler_kind": HandlerKind.DEPARTMENT,
        "handler_department": department,
        "handler_enterprise": None,
        "handler_region": None,
        "responsible_person": "",
    }
    return apply_transition(
        actor=actor,
        case=case,
        version=version,
        name="refer",
        now=now,
        changes=changes,
        reason=required(reason, "reason"),
        data={"department": department.name, "department_kind": department.kind},
        kind=EventKind.REFERRAL,
    )


@transaction.atomic
def case_start(
    *, actor: Actor, case: Case, version: int, responsible_person: str = "", now: dt.datetime | None = None
) -> Case:
    """The responsible body takes the case in hand and names its responsible person."""
    changes = {"responsible_person": responsible_person.strip()} if responsible_person.strip() else {}
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
def case_reveal_complainant(*, actor: Actor, case: Case) -> dict[str, str]:
    """The complainant's name and phone unmasked, for a role that needs them; the read is audited."""
    actor.require(permissions.VIEW_PERSONAL_DATA)
    require_in_scope(actor, case, permission=permissions.VIEW_PERSONAL_DATA)
    record_event(actor=actor, action="case.complainant_revealed", obj=case)
    return {"name": case.complainant_name, "phone": case.complainant_phone}


# --- deadlines ----------------------------------------------------------------------------------------


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
    """Record one reminder per deadline for a case due soon (the notification is sent on commit)."""
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
    return True
