"""Who may use the Django admin, and the base classes every app's admin uses.

The admin is a maintenance tool for system administrators (role `system_admin`, permission
`admin.site`) and superusers, nobody else: it shows every row of every region. Every write is
audited (等保 2.0, docs/audit.md), so the admin writes nothing itself: a model admin is either
`ServiceAdmin`, whose add, change and delete call the owning app's services (which check and
audit them), or `ReadOnlyAdmin`; inlines are read-only. Day-to-day work goes through the pages
and the API. tests/test_admin_audit.py walks every registered model admin to prove it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, ProtectedError, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from jiayuan.core import permissions
from jiayuan.core.actor import Actor, actor_for, system_actor
from jiayuan.core.exceptions import DomainError
from jiayuan.core.scoping import Scope


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
    registered their admins: those are opened to system administrators for viewing only (an app
    that routes one through its services re-registers it, as accounts does to revoke API tokens);
    Django's groups are not used (roles decide), so they are not shown.
    """
    from django.contrib.auth.models import Group
    from django.utils.translation import gettext_lazy as _

    site.has_permission = has_permission  # type: ignore[method-assign]
    site.site_header = _("Jiayuan administration")
    site.site_title = _("Jiayuan administration")
    site.index_title = _("Maintenance (every change here is audited)")
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


def admin_actor(request: HttpRequest) -> Actor:
    """Who acts in the admin: the user's own roles, or a superuser as a system administrator.

    Whoever reaches a model admin passed `admin_allowed`; a superuser without the role acts with a
    system administrator's permissions and reach (the audit event names the user all the same).
    """
    actor = actor_for(request.user)
    if actor.has(permissions.ADMIN_SITE):
        return actor
    return Actor(user=request.user, scope=Scope(everything=True), roles=actor.roles | system_actor().roles)


class MaintenancePermissions:
    """Third-party admins (lock-outs, tokens): viewed only, unless an app routes them (ServiceAdmin)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return admin_allowed(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return admin_allowed(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


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
    """A model admin open to whoever may use the admin site at all (see `PlatformPermissions`).

    Not for domain models (it would write them unaudited): use `ServiceAdmin` or `ReadOnlyAdmin`.
    """


class ReadOnlyAdmin(PlatformAdmin):
    """Viewable, never written: for records written only by services, pages, API and commands.

    The writing methods refuse too, for views that save without asking for the change permission
    (simple_history's revert form).
    """

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        raise PermissionDenied

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        raise PermissionDenied

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        raise PermissionDenied

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        raise PermissionDenied

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ServiceAdmin(PlatformAdmin):
    """A model admin whose add, change and delete go through the owning app's services.

    A subclass implements what the admin may do, each by calling a service (keyword-only, permission
    checked, audit event in the same transaction): `create` (add), `update` (change, given the
    changed fields) and `remove` (delete, one by one for the bulk action too). An operation without
    its method is refused: no permission, so Django shows the record read-only. A service's refusal
    is shown as an error and nothing is saved. Related objects and inlines are never written here.
    """

    def create(self, *, request: HttpRequest, actor: Actor, obj: Any, form: Any) -> Model:
        """Add: call the service that creates the record from `form.cleaned_data`; return the record."""
        raise NotImplementedError

    def update(self, *, request: HttpRequest, actor: Actor, obj: Any, changes: dict[str, Any]) -> None:
        """Change: call the service with the stored record and the fields the form changed."""
        raise NotImplementedError

    def remove(self, *, request: HttpRequest, actor: Actor, obj: Any) -> None:
        """Delete: call the service that removes (or refuses to remove) the record."""
        raise NotImplementedError

    @classmethod
    def implements(cls, name: str) -> bool:
        return getattr(cls, name) is not getattr(ServiceAdmin, name)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.implements("create") and self.allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.implements("update") and self.allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.implements("remove") and self.allowed(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor = admin_actor(request)
        if change:
            # `obj` already carries the form's values: the service gets the row as stored.
            stored = type(obj)._default_manager.get(pk=obj.pk)
            changes = {
                name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data
            }
            if changes:
                self.update(request=request, actor=actor, obj=stored, changes=changes)
            return
        created = self.create(request=request, actor=actor, obj=obj, form=form)
        obj.pk, obj._state = created.pk, created._state

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Nothing: related rows are written by their own services (inlines are read-only)."""

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> Any:
        return super().construct_change_message(request, form, [], add)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        self.remove(request=request, actor=admin_actor(request), obj=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        actor = admin_actor(request)
        with transaction.atomic():
            for obj in queryset.order_by("pk"):
                self.remove(request=request, actor=actor, obj=obj)

    def refusing(
        self, view: Callable[..., HttpResponse], request: HttpRequest, *args: Any, **kwargs: Any
    ) -> Any:
        """Run an admin view; a service's refusal rolls it back and comes back as an error message."""
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            self.message_user(request, str(error.message), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        except ProtectedError as error:
            names = ", ".join(sorted({str(type(obj)._meta.verbose_name) for obj in error.protected_objects}))
            self.message_user(
                request, _("Kept: other records refer to it (%(names)s).") % {"names": names}, messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return self.refusing(super().changeform_view, request, *args, **kwargs)

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return self.refusing(super().delete_view, request, *args, **kwargs)

    def changelist_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return self.refusing(super().changelist_view, request, *args, **kwargs)


class PlatformInline(PlatformPermissions, admin.TabularInline):
    """An inline: shown, never written (the rows it shows have their own services and admins)."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
