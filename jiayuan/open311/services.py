"""Writes of the Open311 endpoint: creating API clients, and filing a case for a client."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.audit.services import record_event
from jiayuan.cases.choices import Source, Urgency
from jiayuan.cases.models import Case
from jiayuan.cases.services import case_file
from jiayuan.core import permissions
from jiayuan.core.actor import Actor, ClientPrincipal
from jiayuan.core.exceptions import DomainError
from jiayuan.core.scoping import Scope
from jiayuan.core.services import apply_changes, validate
from jiayuan.estates.models import Estate
from jiayuan.open311.models import ApiClient
from jiayuan.regions.models import Region


class OutsideReach(DomainError):
    """The estate lies outside the region the client's key may file for."""

    code = "outside_region"
    status = 403


def hash_key(key: str) -> str:
    """Keys are long random strings, so a plain SHA-256 is enough (no salt or slow hash needed)."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_client_create(*, actor: Actor, name: str, region: Region) -> tuple[ApiClient, str]:
    """Create a machine client and return it with its key; the key is not stored and shown only now."""
    actor.require(permissions.ADMIN_SITE)
    key = secrets.token_urlsafe(32)
    client = ApiClient(name=name.strip(), region=region, key_prefix=key[:8], key_hash=hash_key(key))
    validate(client)
    client.save()
    record_event(
        actor=actor,
        action="open311.api_client.created",
        obj=client,
        data={"name": client.name, "region": region.code, "key_prefix": client.key_prefix},
    )
    return client, key


@transaction.atomic
def api_client_update(*, actor: Actor, client: ApiClient, reason: str = "", **fields: Any) -> ApiClient:
    """Rename a machine client or switch its key off (`active`) and on again."""
    actor.require(permissions.ADMIN_SITE)
    changed = apply_changes(client, fields, allowed=("name", "active"))
    if not changed:
        return client
    client.save(update_fields=list(changed))
    record_event(actor=actor, action="open311.api_client.updated", obj=client, reason=reason, data=changed)
    return client


def client_actor(client: ApiClient) -> Actor:
    """The client acts as an intake desk (the community officer's role, the first line that takes
    complaints) whose reach is the client's region; it only ever calls `case_file`."""
    return Actor(
        user=ClientPrincipal(username=f"open311:{client.name}"),
        scope=Scope(region_paths=(client.region.path,)),
        roles=frozenset({Role.COMMUNITY_OFFICER}),
    )


@transaction.atomic
def request_file(
    *,
    client: ApiClient,
    estate: Estate,
    service_code: str,
    description: str,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
) -> Case:
    """File a case posted by a machine client: source `api`, urgency normal.

    An estate outside the client's region is refused with `OutsideReach` (403), before `case_file`
    would answer it as not found. A suspected duplicate raises `DuplicateSuspected`; the client
    decides whether it is the same problem (Open311 has no way to confirm).
    """
    if not estate.community.path.startswith(client.region.path):
        raise OutsideReach(_("This key may not file cases for this estate."))
    # Chinese names are written family name first.
    name = f"{last_name.strip()}{first_name.strip()}" if last_name else first_name.strip()
    return case_file(
        actor=client_actor(client),
        estate=estate,
        category=service_code,
        description=description,
        source=Source.API,
        urgency=Urgency.NORMAL,
        complainant_name=name,
        complainant_phone=phone,
    )
