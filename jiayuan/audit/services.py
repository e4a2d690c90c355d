"""Writing audit events. Call inside the service's transaction, so the act and its record commit together."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from jiayuan.audit.models import AuditEvent
from jiayuan.core.actor import Actor


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)


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
    payload = {
        "actor": actor.username or "system",
        "action": action,
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "reason": reason,
        "data": data or {},
    }
    return AuditEvent.objects.create(
        actor=user,
        actor_username=payload["actor"],
        action=action,
        object_type=payload["object_type"],
        object_id=payload["object_id"],
        object_repr=str(obj)[:200] if obj is not None else "",
        reason=reason,
        data=json.loads(canonical(payload["data"])),
        digest=hashlib.sha256(canonical(payload).encode()).hexdigest(),
    )
