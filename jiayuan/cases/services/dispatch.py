"""Dispatch (派单) by the responsibility list, and referral (移交) to a department."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.cases.choices import EventKind, HandlerKind
from jiayuan.cases.models import Case
from jiayuan.cases.services.timeline import apply_transition, check, required
from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import DomainError
from jiayuan.enterprises.models import ServiceContract
from jiayuan.estates.models import Estate
from jiayuan.notifications.services import InvalidPhone, normalise_phone
from jiayuan.policy.loader import active_preset
from jiayuan.policy.schema import HANDLER_PATTERN
from jiayuan.regions.models import Department, Region


def estate_regions(estate: Estate) -> dict[str, Region]:
    """The estate's community and its ancestors, by level (one query)."""
    path = estate.community.path
    codes = [code for code in path.split("/") if code]
    prefixes = ["".join(f"{c}/" for c in codes[: i + 1]) for i in range(len(codes))]
    return {region.level: region for region in Region.objects.filter(path__in=prefixes)}


def clean_responsible_phone(phone: str) -> str:
    """The responsible person's mobile, normalised, or "" if none was given (reminders go there)."""
    if not phone.strip():
        return ""
    try:
        return normalise_phone(phone)
    except InvalidPhone as refused:
        raise DomainError(refused.message, field="responsible_phone", code=refused.code) from refused


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
    responsible_phone: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """Send the case to the body that must act (派单), as the responsibility list routes it.

    `handler` (a handler form: enterprise, community, subdistrict, district_housing, city_housing or
    department:<code>) overrides the list; an override needs a reason and is recorded as such.
    The responsible person and their mobile (for reminders) replace those of an earlier dispatch.
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
    changes["responsible_phone"] = clean_responsible_phone(responsible_phone)
    body = changes["handler_enterprise"] or changes["handler_department"] or changes["handler_region"]
    data = {
        "handler": chosen,
        "handler_name": body.name,  # the timeline names the body as it was called that day
        "listed_handler": line.handler,
        "clause": line.clause,
        "override": override,
    }
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
        "responsible_phone": "",
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
