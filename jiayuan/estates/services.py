"""All writes to estates, buildings, units and owners."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jiayuan.audit.services import record_event
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import DomainError
from jiayuan.core.services import apply_changes, require_in_scope, require_region_in_scope, validate
from jiayuan.estates.models import Building, Estate, Owner, Ownership, Unit
from jiayuan.regions.choices import Level
from jiayuan.regions.models import Region

ESTATE_FIELDS = (
    "name",
    "address",
    "management_mode",
    "estate_type",
    "year_built",
    "latitude",
    "longitude",
    "unit_count",
    "total_exclusive_area",
)


def check_community(actor: Actor, community: Region) -> None:
    if community.level != Level.COMMUNITY:
        raise DomainError(
            _("An estate belongs to a community, not to a %(level)s.")
            % {"level": community.get_level_display()},
            field="community",
        )
    require_region_in_scope(actor, community.path, permission=permissions.ESTATES_CHANGE)


@transaction.atomic
def estate_create(*, actor: Actor, community: Region, **fields: Any) -> Estate:
    """Register an estate in a community of the actor's jurisdiction."""
    actor.require(permissions.ESTATES_CHANGE)
    check_community(actor, community)
    estate = Estate(community=community, **{k: v for k, v in fields.items() if k in ESTATE_FIELDS})
    validate(estate)
    estate.save()
    record_event(actor=actor, action="estate.created", obj=estate, data={"community": community.code})
    return estate


@transaction.atomic
def estate_update(*, actor: Actor, estate: Estate, reason: str = "", **fields: Any) -> Estate:
    actor.require(permissions.ESTATES_CHANGE)
    require_in_scope(actor, estate, permission=permissions.ESTATES_CHANGE)
    changed = apply_changes(estate, fields, allowed=ESTATE_FIELDS)
    if not changed:
        return estate
    estate.save(update_fields=[*changed.keys(), "updated_at"])
    record_event(actor=actor, action="estate.updated", obj=estate, reason=reason, data=changed)
    return estate


@transaction.atomic
def building_create(*, actor: Actor, estate: Estate, number: str, floors: int | None = None) -> Building:
    actor.require(permissions.ESTATES_CHANGE)
    require_in_scope(actor, estate, permission=permissions.ESTATES_CHANGE)
    building = Building(estate=estate, number=number, floors=floors)
    validate(building)
    building.save()
    record_event(actor=actor, action="building.created", obj=building)
    return building


@transaction.atomic
def unit_create(*, actor: Actor, building: Building, number: str, exclusive_area: Decimal) -> Unit:
    actor.require(permissions.ESTATES_CHANGE)
    require_in_scope(actor, building.estate, permission=permissions.ESTATES_CHANGE)
    unit = Unit(
        estate_id=building.estate_id,
        building=building,
        number=number,
        exclusive_area=exclusive_area,
    )
    validate(unit)
    unit.save()
    record_event(actor=actor, action="unit.created", obj=unit)
    return unit


@transaction.atomic
def ownership_register(
    *,
    actor: Actor,
    unit: Unit,
    name: str,
    phone: str = "",
    id_number: str = "",
    since: dt.date | None = None,
) -> Ownership:
    """Record that a person owns a unit (the owner record is reused when the ID number matches)."""
    actor.require(permissions.ESTATES_CHANGE)
    require_in_scope(actor, unit.estate, permission=permissions.ESTATES_CHANGE)
    owner = Owner.objects.filter(id_number=id_number).first() if id_number else None
    if owner is None:
        owner = Owner(name=name, phone=phone, id_number=id_number)
        validate(owner)
        owner.save()
    ownership = Ownership(owner=owner, unit=unit, since=since)
    validate(ownership)
    ownership.save()
    record_event(
        actor=actor,
        action="ownership.registered",
        obj=ownership,
        data={"unit": unit.pk, "owner": owner.pk},
    )
    return ownership


@transaction.atomic
def owner_reveal(*, actor: Actor, owner: Owner, purpose: str) -> dict[str, str]:
    """Show an owner's personal data unmasked, to a role that needs it; the read is audited."""
    actor.require(permissions.VIEW_PERSONAL_DATA)
    require_in_scope(actor, owner, permission=permissions.VIEW_PERSONAL_DATA)
    if not purpose.strip():
        raise DomainError(_("Say why you need the owner's personal data."), field="purpose")
    record_event(actor=actor, action="owner.personal_data_viewed", obj=owner, reason=purpose)
    return {"name": owner.name, "phone": owner.phone, "id_number": owner.id_number}
