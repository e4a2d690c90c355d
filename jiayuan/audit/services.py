"""Writing audit events. Call inside the service's transaction, so the act and its record commit together.

The log is hash-chained (等保 2.0 asks for tamper-evident audit): each event's digest covers its
content and the digest of the event before it, so changing, inserting or removing a row breaks
the chain from there on (`chain_breaks` finds where).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from jiayuan.audit.models import AuditEvent
from jiayuan.core.actor import Actor

# Key of the PostgreSQL advisory lock that orders appends to the chain ("JAYA").
CHAIN_LOCK = 0x4A415941


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)


def event_digest(
    *,
    previous: str,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    reason: str,
    data: dict[str, Any],
) -> str:
    """SHA-256 of an event's canonical content, chained to the digest of the event before it."""
    payload = {
        "previous": previous,
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "reason": reason,
        "data": data,
    }
    return hashlib.sha256(canonical(payload).encode()).hexdigest()


def last_digest() -> str:
    """The digest the next event chains to; on PostgreSQL, appends are serialised until commit.

    Without the lock two concurrent transactions would chain to the same predecessor and the chain
    would fork. SQLite needs none: its transactions start IMMEDIATE, so writers already queue.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    return AuditEvent.objects.order_by("-id").values_list("digest", flat=True).first() or ""


def record_event(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Refuses to run outside a transaction (a write without its event)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the service's transaction")
    user = actor.user if getattr(actor.user, "pk", None) else None
    username = actor.username or "system"
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    clean_data = json.loads(canonical(data or {}))
    digest = event_digest(
        previous=last_digest(),
        actor=username,
        action=action,
        object_type=object_type,
        object_id=object_id,
        reason=reason,
        data=clean_data,
    )
    return AuditEvent.objects.create(
        actor=user,
        actor_username=username,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:200] if obj is not None else "",
        reason=reason,
        data=clean_data,
        digest=digest,
    )


def chain_breaks(events: Iterable[AuditEvent] | None = None) -> list[int]:
    """Ids of the events whose digest does not follow from their content and predecessor.

    `events` must be consecutive and in id order (default: the whole log); a changed or removed
    row shows as a break at the first event after it.
    """
    rows = AuditEvent.objects.order_by("id").iterator() if events is None else events
    broken: list[int] = []
    previous: str | None = None
    for event in rows:
        if previous is None:
            before = AuditEvent.objects.filter(id__lt=event.id).order_by("-id")
            previous = before.values_list("digest", flat=True).first() or ""
        expected = event_digest(
            previous=previous,
            actor=event.actor_username,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            reason=event.reason,
            data=event.data,
        )
        if event.digest != expected:
            broken.append(event.id)
        previous = event.digest
    return broken
