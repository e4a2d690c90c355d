"""The audit chain's arithmetic: the canonical form of an event, its digest, and signed checkpoints.

Pure functions, no queries: `services.record_event` writes with them, `verify.verify_chain` checks
with them, so the writer and the verifier cannot disagree on what an event's digest covers.

The digest of an event is the SHA-256 of the canonical JSON of every column but the digest itself
(`DIGEST_FIELDS`) plus the digest of the event before it ("previous"), so a changed, inserted or
removed row breaks the chain from there on. Anyone with write access to the database can recompute
a whole chain, though: checkpoints close that gap. A checkpoint is the chain's head at a moment
(the last event's id and digest and the number of events up to it) signed with HMAC-SHA256 under a
key that is not in the database (`settings.JIAYUAN_AUDIT_KEY`), so a tail cut off or a chain
recomputed from some row on no longer matches a checkpoint taken before, and a forged checkpoint
does not verify.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

# Every column of an audit event that its digest covers: all of them except `digest`
# (jiayuan/audit/tests/test_chain.py checks the model has no other).
DIGEST_FIELDS = (
    "id",
    "seq",
    "at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "reason",
    "data",
)


def canonical(payload: Mapping[str, Any]) -> str:
    """JSON with sorted keys and no escaping of Chinese: one text for one content."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)


def canonical_time(at: dt.datetime) -> str:
    """An instant as UTC ISO 8601 with microseconds, whatever the database returns it in."""
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_digest(*, previous: str, fields: Mapping[str, Any]) -> str:
    """SHA-256 of an event's columns (`DIGEST_FIELDS`), chained to the digest of the event before it."""
    payload: dict[str, Any] = {name: fields[name] for name in DIGEST_FIELDS}
    payload["at"] = canonical_time(fields["at"])
    payload["previous"] = previous
    return hashlib.sha256(canonical(payload).encode()).hexdigest()


# --- checkpoints -----------------------------------------------------------------------------------


def _key_bytes(key: str) -> bytes:
    return key.encode()


def signing_key() -> str:
    """The key checkpoints are signed with: JIAYUAN_AUDIT_KEY, else one derived from SECRET_KEY.

    The fallback keeps a development set-up working; in production it is weaker than a key of its
    own, since SECRET_KEY sits beside the database on the same server (`manage.py check --deploy`
    warns, docs/audit.md explains).
    """
    key: str = getattr(settings, "JIAYUAN_AUDIT_KEY", "") or ""
    if key:
        return key
    return hmac.new(settings.SECRET_KEY.encode(), b"jiayuan.audit.checkpoint-key", hashlib.sha256).hexdigest()


def verification_keys() -> list[str]:
    """The current key, then retired ones still trusted for older checkpoints (after a rotation)."""
    return [signing_key(), *getattr(settings, "JIAYUAN_AUDIT_PREVIOUS_KEYS", [])]


def key_id(key: str) -> str:
    """A short public name of a key (not the key), stored with each checkpoint to tell keys apart."""
    return hmac.new(_key_bytes(key), b"jiayuan.audit.key-id", hashlib.sha256).hexdigest()[:16]


def checkpoint_message(*, event_id: int, event_digest: str, count: int, at: dt.datetime) -> bytes:
    return canonical(
        {"event_id": event_id, "digest": event_digest, "count": count, "at": canonical_time(at)}
    ).encode()


def checkpoint_signature(*, key: str, event_id: int, event_digest: str, count: int, at: dt.datetime) -> str:
    message = checkpoint_message(event_id=event_id, event_digest=event_digest, count=count, at=at)
    return hmac.new(_key_bytes(key), message, hashlib.sha256).hexdigest()


def checkpoint_signed(
    *, event_id: int, event_digest: str, count: int, at: dt.datetime, signature: str
) -> bool:
    """Whether the signature is right under the current key or a retired one still trusted."""
    return any(
        hmac.compare_digest(
            signature,
            checkpoint_signature(key=key, event_id=event_id, event_digest=event_digest, count=count, at=at),
        )
        for key in verification_keys()
    )
