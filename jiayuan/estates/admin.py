"""Admin of estates, buildings, units and owners (system administrators only; writes bypass services).

Owners' phone and ID numbers are shown masked and are not editable here: an unmasked read must go
through `owner_reveal`, which audits it.
"""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from jiayuan.core import masking
from jiayuan.core.admin_site import PlatformAdmin
from jiayuan.estates.models import Building, Estate, Owner, Ownership, Unit


@admin.register(Estate)
class EstateAdmin(PlatformAdmin, SimpleHistoryAdmin):
    list_display = ("name", "community", "management_mode", "estate_type", "unit_count")
    list_filter = ("management_mode", "estate_type")
    search_fields = ("name", "address", "community__name")
    raw_id_fields = ("community",)
    list_select_related = ("community",)


@admin.register(Building)
class BuildingAdmin(PlatformAdmin):
    list_display = ("number", "estate", "floors")
    search_fields = ("number", "estate__name")
    raw_id_fields = ("estate",)
    list_select_related = ("estate",)


@admin.register(Unit)
class UnitAdmin(PlatformAdmin):
    list_display = ("number", "building", "estate", "exclusive_area")
    search_fields = ("number", "estate__name")
    raw_id_fields = ("estate", "building")
    list_select_related = ("estate", "building")


@admin.register(Owner)
class OwnerAdmin(PlatformAdmin):
    list_display = ("masked_name", "kind", "masked_phone")
    list_filter = ("kind",)
    fields = ("kind", "masked_name", "masked_phone", "masked_id_number", "user")
    readonly_fields = ("masked_name", "masked_phone", "masked_id_number")
    raw_id_fields = ("user",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Owners are registered with their unit (`ownership_register`, the import), not here."""
        return False

    @admin.display(description=_("name"))
    def masked_name(self, owner: Owner) -> str:
        return masking.mask_name(owner.name)

    @admin.display(description=_("phone"))
    def masked_phone(self, owner: Owner) -> str:
        return masking.mask_phone(owner.phone)

    @admin.display(description=_("ID number"))
    def masked_id_number(self, owner: Owner) -> str:
        return masking.mask_id_number(owner.id_number)


@admin.register(Ownership)
class OwnershipAdmin(PlatformAdmin):
    list_display = ("unit", "owner_masked", "since")
    search_fields = ("unit__estate__name", "unit__number")
    raw_id_fields = ("owner", "unit")
    list_select_related = ("unit", "owner")

    @admin.display(description=_("owner"))
    def owner_masked(self, ownership: Ownership) -> str:
        return masking.mask_name(ownership.owner.name)
