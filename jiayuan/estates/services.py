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
from jiayuan.core.exceptions import Conflict, DomainError
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


def refuse_duplicate_unit(building: Building, number: str, *, other_than: int | None = None) -> None:
    """One number once per building: said in the clerk's words (the constraint stays the last line)."""
    clash = Unit.objects.filter(building=building, number=number.strip())
    if clash.exclude(pk=other_than).exists():
        raise Conflict(
            _("Building %(building)s already has a unit %(number)s.")
            % {"building": building.number, "number": number.strip()},
            field="number",
        )


@transaction.atomic
def unit_create(*, actor: Actor, building: Building, number: str, exclusive_area: Decimal) -> Unit:
    actor.require(permissions.ESTATES_CHANGE)
    require_in_scope(actor, building.estate, permission=permissions.ESTATES_CHANGE)
    refuse_duplicate_unit(building, number)
    unit = Unit(
        estate_id=building.estate_id,
        building=building,
        number=number,
        exclusive_area=exclusive_area,
    )
    unit.set_sort_key()
    validate(unit)
    unit.save()
    record_event(actor=actor, action="unit.created", obj=unit)
    return unit


@transaction.atomic
def unit_add(
    *, actor: Actor, estate: Estate, building_number: str, number: str, exclusive_area: Decimal
) -> Unit:
    """Record a unit in the building of that number, registering the building first if it is new.

    What a clerk types from the property certificate (楼栋号, 房号, 面积): the building is found by
    its number in the estate, so nobody has to create buildings one by one beforehand.
    """
    actor.require(permissions.ESTATES_CHANGE)
    require_in_scope(actor, estate, permission=permissions.ESTATES_CHANGE)
    building_number = building_number.strip()
    building = Building.objects.filter(estate=estate, number=building_number).first()
    if building is None:
        building = building_create(actor=actor, estate=estate, number=building_number)
    return unit_create(actor=actor, building=building, number=number.strip(), exclusive_area=exclusive_area)


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


@transaction.atomic
def unit_update(*, actor: Actor, unit: Unit, reason: str = "", **fields: Any) -> Unit:
    """Correct a unit's number or exclusive area."""
    actor.require(permissions.ESTATES_CHANGE)
    require_in_scope(actor, unit.estate, permission=permissions.ESTATES_CHANGE)
    if isinstance(fields.get("number"), str):
        refuse_duplicate_unit(unit.building, fields["number"], other_than=unit.pk)
    changed = apply_changes(unit, fields, allowed=("number", "exclusive_area"))
    if not changed:
        return unit
    unit.set_sort_key()
    unit.save(update_fields=[*changed, "sort_key"])
    record_event(actor=actor, action="unit.updated", obj=unit, reason=reason, data=changed)
    return unit


@transaction.atomic
def unit_delete(*, actor: Actor, unit: Unit, reason: str = "") -> None:
    """Remove a unit entered by mistake; one with owners on record is refused (end those first)."""
    actor.require(permissions.ESTATES_CHANGE)
    require_in_scope(actor, unit.estate, permission=permissions.ESTATES_CHANGE)
    if unit.ownerships.exists():
        raise DomainError(_("The unit has owners on record: remove their ownerships first."))
    record_event(
        actor=actor,
        action="unit.deleted",
        obj=unit,
        reason=reason,
        data={"estate": unit.estate_id, "building": unit.building_id, "number": unit.number},
    )
    unit.delete()


def require_owner_in_scope(actor: Actor, owner: Owner) -> None:
    """An owner is changed by whoever may change the estates of all the owner's units."""
    actor.require(permissions.ESTATES_CHANGE)
    for ownership in owner.ownerships.select_related("unit__estate"):
        require_in_scope(actor, ownership.unit.estate, permission=permissions.ESTATES_CHANGE)


@transaction.atomic
def owner_update(*, actor: Actor, owner: Owner, reason: str = "", user: Any = ..., **fields: Any) -> Owner:
    """Correct an owner's kind, or link the owner to the user account they log in with (or unlink).

    Names, phones and ID numbers come with the ownership (`ownership_register`, the import); the
    event records which fields changed, masked values only.
    """
    require_owner_in_scope(actor, owner)
    changed = apply_changes(owner, fields, allowed=("kind",))
    if user is not ... and user != owner.user:
        changed["user"] = [str(owner.user_id or ""), str(getattr(user, "pk", "") or "")]
        owner.user = user
        validate(owner)
    if not changed:
        return owner
    owner.save(update_fields=list(changed))
    record_event(actor=actor, action="owner.updated", obj=owner, reason=reason, data=changed)
    return owner


@transaction.atomic
def owner_delete(*, actor: Actor, owner: Owner, reason: str = "") -> None:
    """Remove an owner record entered by mistake; one still owning a unit is refused."""
    require_owner_in_scope(actor, owner)
    if owner.ownerships.exists():
        raise DomainError(_("The owner still owns units: remove those ownerships first."))
    record_event(actor=actor, action="owner.deleted", obj=owner, reason=reason, data={"kind": owner.kind})
    owner.delete()


@transaction.atomic
def ownership_create(*, actor: Actor, unit: Unit, owner: Owner, since: dt.date | None = None) -> Ownership:
    """Record that a registered owner (also) owns a unit: co-owners, a second unit."""
    actor.require(permissions.ESTATES_CHANGE)
    require_in_scope(actor, unit.estate, permission=permissions.ESTATES_CHANGE)
    ownership = Ownership(owner=owner, unit=unit, since=since)
    validate(ownership)
    ownership.save()
    record_event(
        actor=actor, action="ownership.registered", obj=ownership, data={"unit": unit.pk, "owner": owner.pk}
    )
    return ownership


@transaction.atomic
def ownership_update(*, actor: Actor, ownership: Ownership, reason: str = "", **fields: Any) -> Ownership:
    """Correct the date an ownership began."""
    actor.require(permissions.ESTATES_CHANGE)
    require_in_scope(actor, ownership.unit.estate, permission=permissions.ESTATES_CHANGE)
    changed = apply_changes(ownership, fields, allowed=("since",))
    if not changed:
        return ownership
    ownership.save(update_fields=list(changed))
    record_event(actor=actor, action="ownership.updated", obj=ownership, reason=reason, data=changed)
    return ownership


@transaction.atomic
def ownership_end(*, actor: Actor, ownership: Ownership, reason: str = "") -> None:
    """The owner no longer owns the unit (sold, entered by mistake): the ownership is removed."""
    actor.require(permissions.ESTATES_CHANGE)
    require_in_scope(actor, ownership.unit.estate, permission=permissions.ESTATES_CHANGE)
    record_event(
        actor=actor,
        action="ownership.ended",
        obj=ownership,
        reason=reason,
        data={"unit": ownership.unit_id, "owner": ownership.owner_id},
    )
    ownership.delete()
