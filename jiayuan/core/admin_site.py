"""Who may use the Django admin, and the base classes every app's admin uses.

The admin is a maintenance tool for system administrators (role `system_admin`, permission
`admin.site`) and superusers, nobody else: it shows every row of every region and writes models
directly, bypassing the services, their permission checks and their audit events. Day-to-day work
goes through the pages and the API. The audit log is read-only here as everywhere.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from jiayuan.core import permissions
from jiayuan.core.actor import actor_for


def admin_allowed(user: Any) -> bool:
    """System administrators and superusers, if active. Staff status alone is not enough."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or actor_for(user).has(permissions.ADMIN_SITE))


def has_permission(request: HttpRequest) -> bool:
    """Replaces `AdminSite.has_permission` of the default site (see jiayuan/core/admin.py)."""
    return admin_allowed(request.user)


def install(site: admin.AdminSite) -> None:
    """Guard the default admin site with `admin_allowed` and give it the platform's titles.

    Runs from jiayuan/core/admin.py, after the third-party apps listed before it in INSTALLED_APPS
    registered their admins: those are opened to system administrators for viewing and deleting
    (unlocking a django-axes lock-out, revoking an API token); Django's groups are not used (roles
    decide), so they are not shown.
    """
    from django.contrib.auth.models import Group
    from django.utils.translation import gettext_lazy as _

    site.has_permission = has_permission  # type: ignore[method-assign]
    site.site_header = _("Jiayuan administration")
    site.site_title = _("Jiayuan administration")
    site.index_title = _("Maintenance (writes here bypass services and the audit log)")
    site.site_url = "/"
    if site.is_registered(Group):
        site.unregister(Group)
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, PlatformPermissions | MaintenancePermissions):
            continue
        wrapped = type(
            f"Maintenance{type(model_admin).__name__}", (MaintenancePermissions, type(model_admin)), {}
        )
        site.unregister(model)
        site.register(model, wrapped)


class MaintenancePermissions:
    """Third-party admins (lock-outs, tokens): system administrators may view and delete rows."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return admin_allowed(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return admin_allowed(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return admin_allowed(request.user)


class PlatformPermissions:
    """Django's per-model permissions (auth.Permission) are not used by the platform: roles decide."""

    def allowed(self, request: HttpRequest) -> bool:
        return admin_allowed(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.allowed(request)


class PlatformAdmin(PlatformPermissions, admin.ModelAdmin):
    """A model admin open to whoever may use the admin site at all (see `PlatformPermissions`)."""


class ReadOnlyAdmin(PlatformAdmin):
    """Viewable, never written: for append-only records such as the audit log."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class PlatformInline(PlatformPermissions, admin.TabularInline):
    """An inline with the same rule as `PlatformAdmin`."""

    extra = 0
