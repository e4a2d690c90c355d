"""Admin of regions and departments (system administrators only; writes bypass services)."""

from django.contrib import admin

from jiayuan.core.admin_site import PlatformAdmin
from jiayuan.regions.models import Department, Region


@admin.register(Region)
class RegionAdmin(PlatformAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    readonly_fields = ("path",)
    list_select_related = ("parent",)


@admin.register(Department)
class DepartmentAdmin(PlatformAdmin):
    list_display = ("name", "kind", "region", "phone")
    list_filter = ("kind",)
    search_fields = ("name", "region__name")
    raw_id_fields = ("region",)
    list_select_related = ("region",)
