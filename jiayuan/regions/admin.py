"""Admin of regions and departments: read-only (system administrators only); their services write them."""

from django.contrib import admin

from jiayuan.core.admin_site import ReadOnlyAdmin
from jiayuan.regions.models import Department, Region


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    readonly_fields = ("path",)
    list_select_related = ("parent",)


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "region", "phone")
    list_filter = ("kind",)
    search_fields = ("name", "region__name")
    raw_id_fields = ("region",)
    list_select_related = ("region",)
