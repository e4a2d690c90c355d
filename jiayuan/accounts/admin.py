"""Admin of users, organisations and memberships (system administrators only; writes bypass services).

Granting a role here skips `membership_grant`'s check that the role fits the organisation's kind
and writes no audit event: prefer the service (API or command) for real grants.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from jiayuan.accounts.models import Membership, Organisation, User
from jiayuan.core.admin_site import PlatformAdmin, PlatformInline


class MembershipInline(PlatformInline):
    model = Membership
    fk_name = "user"
    raw_id_fields = ("organisation",)
    fields = ("organisation", "role", "active")


@admin.register(User)
class UserAdmin(PlatformAdmin, DjangoUserAdmin):
    list_display = ("username", "display_name", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "memberships__role")
    search_fields = ("username", "display_name")
    inlines = [MembershipInline]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Jiayuan"), {"fields": ("display_name", "phone")}),
    )


@admin.register(Organisation)
class OrganisationAdmin(PlatformAdmin):
    list_display = ("name", "kind", "region")
    list_filter = ("kind",)
    search_fields = ("name", "region__name")
    raw_id_fields = ("region", "department", "enterprise", "estate")
    list_select_related = ("region",)


@admin.register(Membership)
class MembershipAdmin(PlatformAdmin):
    list_display = ("user", "organisation", "role", "active", "created_at")
    list_filter = ("role", "active")
    search_fields = ("user__username", "user__display_name", "organisation__name")
    raw_id_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")
