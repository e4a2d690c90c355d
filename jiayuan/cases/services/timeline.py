"""The heart of every transition: the checks, the claim on `version`, the timeline entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiayuan.audit.services import record_event
from jiayuan.cases import workflow
from jiayuan.cases.choices import EventKind, HandlerKind, State
from jiayuan.cases.models import Case, CaseEvent
from jiayuan.cases.services.notify import notify_complainant
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import Conflict, DomainError, NotPermitted
from jiayuan.core.services import require_in_scope

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


def required(value: str, field: str) -> str:
    text = value.strip()
    if not text:
        raise DomainError(_("This field is required."), field=field)
    return text


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
    # A timeline the case carries (filled by the filing) would now miss this entry.
    getattr(case, "_prefetched_objects_cache", {}).pop("events", None)
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
    """The complainant acts on their own case: by their account, or without one by proving they hold
    the case's phone (a principal with `verified_phone`, as the follow page's `ComplainantPrincipal`);
    staff may act for one who has no account (hotline)."""
    from jiayuan.notifications.services import mobile_or_none

    if case.complainant_user_id is not None and getattr(actor.user, "pk", None) == case.complainant_user_id:
        return
    verified = mobile_or_none(getattr(actor.user, "verified_phone", ""))
    if (
        verified
        and getattr(actor.user, "pk", None) is None
        and verified == mobile_or_none(case.complainant_phone)
    ):
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
    notify_complainant(case=case, transition=name, reason=reason)
    return case
