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
    username = actor.username or "system"
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    clean_data = json.loads(canonical(data or {}))
    payload = {
        "actor": username,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "reason": reason,
        "data": clean_data,
    }
    return AuditEvent.objects.create(
        actor=user,
        actor_username=username,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:200] if obj is not None else "",
        reason=reason,
        data=clean_data,
        digest=hashlib.sha256(canonical(payload).encode()).hexdigest(),
    )
