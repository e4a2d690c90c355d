"""Admin of Open311 machine clients: created, renamed and switched off through the services (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from jiayuan.core.actor import Actor
from jiayuan.core.admin_site import ServiceAdmin
from jiayuan.open311.models import ApiClient
from jiayuan.open311.services import api_client_create, api_client_update


@admin.register(ApiClient)
class ApiClientAdmin(ServiceAdmin):
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
        return [] if obj is None else ["region", "key_prefix", "created_at"]

    def create(self, *, request: HttpRequest, actor: Actor, obj: ApiClient, form: Any) -> ApiClient:
        client, key = api_client_create(
            actor=actor, name=form.cleaned_data["name"], region=form.cleaned_data["region"]
        )
        text = _("The API key of %(name)s is %(key)s. It is shown only now.")
        messages.warning(request, text % {"name": client.name, "key": key})
        return client

    def update(self, *, request: HttpRequest, actor: Actor, obj: ApiClient, changes: dict[str, Any]) -> None:
        api_client_update(actor=actor, client=obj, **changes)
