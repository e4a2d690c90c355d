"""Writing audit events, checkpoints and verification results.

Call `record_event` inside the service's transaction, so the act and its record commit together.
The log is hash-chained (等保 2.0 asks for tamper-evident audit, docs/audit.md): each event's
digest covers every column of it and the digest of the event before it (jiayuan/audit/chain.py),
and signed checkpoints of the head (`checkpoint_create`) catch a cut-off tail or a recomputed
chain. `verification_run` walks it all (jiayuan/audit/verify.py) and keeps the result.
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from jiayuan.audit import chain
from jiayuan.audit.models import AuditCheckpoint, AuditEvent, AuditVerification
from jiayuan.audit.verify import VerificationReport, verify_chain
from jiayuan.core.actor import Actor, system_actor

# Key of the PostgreSQL advisory lock that orders appends to the chain ("JAYA").
CHAIN_LOCK = 0x4A415941

# Kept for callers of the earlier API.
canonical = chain.canonical

_PG_NEXT = (
    "SELECT nextval(pg_get_serial_sequence('audit_auditevent', 'id')),"
    " (SELECT digest FROM audit_auditevent ORDER BY id DESC LIMIT 1),"
    " (SELECT seq FROM audit_auditevent ORDER BY id DESC LIMIT 1)"
)
_SQLITE_NEXT = "SELECT id, digest, seq FROM audit_auditevent ORDER BY id DESC LIMIT 1"


def next_link() -> tuple[int, str, int]:
    """The next event's id, the digest it chains to and its number; appends queue until commit.

    Without the lock two concurrent transactions would chain to the same predecessor and the chain
    would fork. PostgreSQL: an advisory lock held to commit, then one query that reads the head
    and takes the next id from the sequence (the id is part of the digest, so it is known before
    the insert). SQLite needs no lock: its transactions start IMMEDIATE, so writers already queue.
    """
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
            cursor.execute(_PG_NEXT)
            next_id, digest, seq = cursor.fetchone()
            return next_id, digest or "", (seq or 0) + 1
        cursor.execute(_SQLITE_NEXT)
        row = cursor.fetchone()
    if row is None:
        return 1, "", 1
    return row[0] + 1, row[1], row[2] + 1


def record_event(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Refuses to run outside a transaction (a write without its event).

    Two statements on SQLite, three on PostgreSQL (lock, head, insert). Call it last in the
    service, after the act's own writes: on PostgreSQL the chain stays locked until commit.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the service's transaction")
    user = actor.user if getattr(actor.user, "pk", None) else None
    event = AuditEvent(
        at=timezone.now(),
        actor=user,
        actor_username=actor.username or "system",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        reason=reason,
        # As the database will give it back: dates and decimals as text, keys in any order.
        data=json.loads(chain.canonical(data or {})),
    )
    event.id, previous, event.seq = next_link()
    event.digest = chain.event_digest(previous=previous, fields=fields_of(event))
    event.save(force_insert=True)
    return event


def fields_of(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in chain.DIGEST_FIELDS}


def chain_breaks() -> list[int]:
    """Ids of the events where the chain is broken (empty if intact); see `verify_chain`."""
    return [problem.event_id for problem in verify_chain(max_problems=None).problems]


@transaction.atomic
def checkpoint_create() -> AuditCheckpoint:
    """Sign the chain's head as it is committed now: last event's id and digest, events up to it.

    Reads committed rows only, so it takes no lock and does not slow writers down. The count is the
    head's number in the chain (one query, not a COUNT over millions of rows); the verifier counts
    the rows itself and compares.
    """
    head = AuditEvent.objects.order_by("-id").values_list("id", "digest", "seq").first()
    event_id, digest, count = head if head is not None else (0, "", 0)
    at = timezone.now()
    key = chain.signing_key()
    return AuditCheckpoint.objects.create(
        at=at,
        event_id=event_id,
        event_digest=digest,
        count=count,
        key_id=chain.key_id(key),
        signature=chain.checkpoint_signature(
            key=key, event_id=event_id, event_digest=digest, count=count, at=at
        ),
    )


def verification_run() -> tuple[AuditVerification, VerificationReport]:
    """Walk the whole chain and every checkpoint, keep the result for auditors and audit the check.

    The walk runs outside a transaction (on PostgreSQL a transaction held for minutes would hold
    back vacuum); the result and its audit event are written together after it.
    """
    started = time.monotonic()
    report = verify_chain()
    return _keep_verification(report, seconds=time.monotonic() - started), report


@transaction.atomic
def _keep_verification(report: VerificationReport, *, seconds: float) -> AuditVerification:
    first = report.problems[0] if report.problems else None
    result = AuditVerification.objects.create(
        ok=report.ok,
        rows_checked=report.rows,
        checkpoints_checked=report.checkpoints,
        last_event_id=report.last_id,
        first_broken_id=first.event_id if first else None,
        problem=first.kind if first else "",
        detail=first.detail if first else "",
        seconds=round(seconds, 3),
    )
    record_event(
        actor=system_actor(),
        action="audit.chain_verified",
        obj=result,
        data={"ok": result.ok, "rows": result.rows_checked, "first_broken_id": result.first_broken_id},
    )
    return result
