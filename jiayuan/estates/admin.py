"""Admin of estates, buildings, units and owners (system administrators only).

Every write goes through the services (jiayuan/estates/services.py), which check and audit it:
estates are added and changed, buildings added, units, owners and ownerships added (owners with
their unit: `ownership_register`, the import), changed and removed. Owners' phone and ID numbers
are shown masked and are not editable here: an unmasked read must go through `owner_reveal`,
which audits it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from jiayuan.core import masking
from jiayuan.core.actor import Actor
from jiayuan.core.admin_site import ServiceAdmin
from jiayuan.estates.models import Building, Estate, Owner, Ownership, Unit
from jiayuan.estates.services import (
    ESTATE_FIELDS,
    building_create,
    estate_create,
    estate_update,
    owner_delete,
    owner_update,
    ownership_create,
    ownership_end,
    ownership_update,
    unit_create,
    unit_delete,
    unit_update,
)


@admin.register(Estate)
class EstateAdmin(ServiceAdmin, SimpleHistoryAdmin):
    list_display = ("name", "community", "management_mode", "estate_type", "unit_count")
    list_filter = ("management_mode", "estate_type")
    search_fields = ("name", "address", "community__name")
    raw_id_fields = ("community",)
    list_select_related = ("community",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("community",) if obj is not None else ()

    def create(self, *, request: HttpRequest, actor: Actor, obj: Estate, form: Any) -> Estate:
        data = form.cleaned_data
        fields = {name: data[name] for name in ESTATE_FIELDS if name in data}
        return estate_create(actor=actor, community=data["community"], **fields)

    def update(self, *, request: HttpRequest, actor: Actor, obj: Estate, changes: dict[str, Any]) -> None:
        estate_update(actor=actor, estate=obj, **changes)


@admin.register(Building)
class BuildingAdmin(ServiceAdmin):
    list_display = ("number", "estate", "floors")
    search_fields = ("number", "estate__name")
    raw_id_fields = ("estate",)
    list_select_related = ("estate",)

    def create(self, *, request: HttpRequest, actor: Actor, obj: Building, form: Any) -> Building:
        data = form.cleaned_data
        return building_create(
            actor=actor, estate=data["estate"], number=data["number"], floors=data.get("floors")
        )


@admin.register(Unit)
class UnitAdmin(ServiceAdmin):
    list_display = ("number", "building", "estate", "exclusive_area")
    search_fields = ("number", "estate__name")
    raw_id_fields = ("building",)
    list_select_related = ("estate", "building")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The estate follows from the building.
        return (
            ("building", "number", "exclusive_area")
            if obj is None
            else ("estate", "building", "number", "exclusive_area")
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("estate", "building") if obj is not None else ()

    def create(self, *, request: HttpRequest, actor: Actor, obj: Unit, form: Any) -> Unit:
        data = form.cleaned_data
        return unit_create(
            actor=actor,
            building=data["building"],
            number=data["number"],
            exclusive_area=data["exclusive_area"],
        )

    def update(self, *, request: HttpRequest, actor: Actor, obj: Unit, changes: dict[str, Any]) -> None:
        unit_update(actor=actor, unit=obj, **changes)

    def remove(self, *, request: HttpRequest, actor: Actor, obj: Unit) -> None:
        unit_delete(actor=actor, unit=obj)


@admin.register(Owner)
class OwnerAdmin(ServiceAdmin):
    """Owners are registered with their unit (`ownership_register`, the import), not added here."""

    list_display = ("masked_name", "kind", "masked_phone")
    list_filter = ("kind",)
    fields = ("kind", "masked_name", "masked_phone", "masked_id_number", "user")
    readonly_fields = ("masked_name", "masked_phone", "masked_id_number")
    raw_id_fields = ("user",)

    @admin.display(description=_("name"))
    def masked_name(self, owner: Owner) -> str:
        return masking.mask_name(owner.name)

    @admin.display(description=_("phone"))
    def masked_phone(self, owner: Owner) -> str:
        return masking.mask_phone(owner.phone)

    @admin.display(description=_("ID number"))
    def masked_id_number(self, owner: Owner) -> str:
        return masking.mask_id_number(owner.id_number)

    def update(self, *, request: HttpRequest, actor: Actor, obj: Owner, changes: dict[str, Any]) -> None:
        if "user" in changes:
            owner_update(actor=actor, owner=obj, user=changes.pop("user"), **changes)
        else:
            owner_update(actor=actor, owner=obj, **changes)

    def remove(self, *, request: HttpRequest, actor: Actor, obj: Owner) -> None:
        owner_delete(actor=actor, owner=obj)


@admin.register(Ownership)
class OwnershipAdmin(ServiceAdmin):
    list_display = ("unit", "owner_masked", "since")
    search_fields = ("unit__estate__name", "unit__number")
    raw_id_fields = ("owner", "unit")
    list_select_related = ("unit", "owner")

    @admin.display(description=_("owner"))
    def owner_masked(self, ownership: Ownership) -> str:
        return masking.mask_name(ownership.owner.name)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("owner", "unit") if obj is not None else ()

    def create(self, *, request: HttpRequest, actor: Actor, obj: Ownership, form: Any) -> Ownership:
        data = form.cleaned_data
        return ownership_create(actor=actor, unit=data["unit"], owner=data["owner"], since=data.get("since"))

    def update(self, *, request: HttpRequest, actor: Actor, obj: Ownership, changes: dict[str, Any]) -> None:
        ownership_update(actor=actor, ownership=obj, **changes)

    def remove(self, *, request: HttpRequest, actor: Actor, obj: Ownership) -> None:
        ownership_end(actor=actor, ownership=obj)
