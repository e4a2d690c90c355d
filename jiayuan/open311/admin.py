from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.core.actor import Actor
from jiayuan.core.admin_site import PlatformAdmin
from jiayuan.core.scoping import Scope
from jiayuan.open311.models import ApiClient
from jiayuan.open311.services import api_client_create


@admin.register(ApiClient)
class ApiClientAdmin(PlatformAdmin):
    """Creating a client goes through `api_client_create`, which makes the key and shows it once."""

    list_display = ("name", "region", "key_prefix", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("name",)
    raw_id_fields = ("region",)

    def get_fields(self, request: HttpRequest, obj: ApiClient | None = None) -> Any:
        if obj is None:
            return ["name", "region"]
        return ["name", "region", "key_prefix", "active", "created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiClient | None = None) -> list[str]:
        return [] if obj is None else ["name", "region", "key_prefix", "created_at"]

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # Whoever reaches the admin is a system administrator or a superuser (admin_allowed).
        actor = Actor(user=request.user, scope=Scope(everything=True), roles=frozenset({Role.SYSTEM_ADMIN}))
        client, key = api_client_create(actor=actor, name=obj.name, region=obj.region)
        obj.pk = client.pk
        obj.key_prefix, obj.key_hash, obj.created_at = client.key_prefix, client.key_hash, client.created_at
        text = _("The API key of %(name)s is %(key)s. It is shown only now.")
        messages.warning(request, text % {"name": obj.name, "key": key})
