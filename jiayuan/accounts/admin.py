"""Admin of users, organisations, memberships, API tokens and lock-outs (system administrators only).

Every write goes through the services (jiayuan/accounts/services.py), which check it and audit it:
granting, changing and revoking a role, creating, changing and deleting a user, setting a password,
revoking an API token. Organisations are read-only here.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from jiayuan.accounts.models import Membership, Organisation, User
from jiayuan.accounts.services import (
    api_token_revoke,
    membership_grant,
    membership_revoke,
    membership_update,
    user_create,
    user_delete,
    user_set_password,
    user_update,
)
from jiayuan.core.actor import Actor
from jiayuan.core.admin_site import PlatformInline, ReadOnlyAdmin, ServiceAdmin, admin_actor

# Who changes a password in the admin, for the form's save (set per request, safe across threads).
PASSWORD_ACTOR: ContextVar[Actor] = ContextVar("password_actor")


class MembershipInline(PlatformInline):
    model = Membership
    fk_name = "user"
    fields = ("organisation", "role", "active")
    readonly_fields = fields


class PasswordForm(AdminPasswordChangeForm):
    """Django's password form, saving through `user_set_password` (audited, the password not recorded)."""

    def save(self, commit: bool = True) -> Any:
        usable = self.cleaned_data.get("set_usable_password", True)
        password = self.cleaned_data["password1"] if usable else None
        return user_set_password(actor=PASSWORD_ACTOR.get(), user=self.user, password=password)


@admin.register(User)
class UserAdmin(ServiceAdmin, DjangoUserAdmin):
    list_display = ("username", "display_name", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "memberships__role")
    search_fields = ("username", "display_name")
    inlines = [MembershipInline]
    change_password_form = PasswordForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Jiayuan"), {"fields": ("display_name", "phone")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("username", "last_login", "date_joined") if obj is not None else ()

    def create(self, *, request: HttpRequest, actor: Actor, obj: User, form: Any) -> User:
        data = form.cleaned_data
        return user_create(actor=actor, username=data["username"], password=data.get("password1") or "")

    def update(self, *, request: HttpRequest, actor: Actor, obj: User, changes: dict[str, Any]) -> None:
        user_update(actor=actor, user=obj, **changes)

    def remove(self, *, request: HttpRequest, actor: Actor, obj: User) -> None:
        user_delete(actor=actor, user=obj)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        token = PASSWORD_ACTOR.set(admin_actor(request))
        try:
            return self.refusing(super().user_change_password, request, id, form_url)
        finally:
            PASSWORD_ACTOR.reset(token)


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "region")
    list_filter = ("kind",)
    search_fields = ("name", "region__name")
    raw_id_fields = ("region", "department", "enterprise", "estate")
    list_select_related = ("region",)


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    """Role grants: `membership_grant`, `membership_update` (role, suspended) and `membership_revoke`."""

    list_display = ("user", "organisation", "role", "active", "created_at")
    list_filter = ("role", "active")
    search_fields = ("user__username", "user__display_name", "organisation__name")
    raw_id_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("user", "organisation", "created_at") if obj is not None else ()

    def create(self, *, request: HttpRequest, actor: Actor, obj: Membership, form: Any) -> Membership:
        data = form.cleaned_data
        return membership_grant(
            actor=actor, user=data["user"], organisation=data["organisation"], role=data["role"]
        )

    def update(self, *, request: HttpRequest, actor: Actor, obj: Membership, changes: dict[str, Any]) -> None:
        membership_update(actor=actor, membership=obj, **changes)

    def remove(self, *, request: HttpRequest, actor: Actor, obj: Membership) -> None:
        membership_revoke(actor=actor, membership=obj)


# API tokens (django-rest-knox): listed by user, key and dates (the token itself is never stored);
# revoking one is audited.
if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class TokenAdmin(ServiceAdmin):
    """The API tokens in use, without their secrets; revoking goes through the service."""

    list_display = ("token_key", "user", "created", "expiry")
    fields = ("token_key", "user", "created", "expiry")
    readonly_fields = ("token_key", "user", "created", "expiry")
    list_select_related = ("user",)
    search_fields = ("token_key", "user__username")

    def remove(self, *, request: HttpRequest, actor: Actor, obj: AuthToken) -> None:
        api_token_revoke(actor=actor, token=obj)
