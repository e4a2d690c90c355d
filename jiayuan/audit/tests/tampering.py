"""Acting as an attacker with direct database access: lift the audit tables' guards for a moment."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db import connection

from jiayuan.audit import chain
from jiayuan.audit.management.commands.flush import AUDIT_TABLES, audit_triggers
from jiayuan.audit.models import AuditEvent


@contextlib.contextmanager
def tampering() -> Iterator[None]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks before ALTER TABLE
            for table in AUDIT_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table in AUDIT_TABLES:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        return
    triggers = audit_triggers(connection)
    with connection.cursor() as cursor:
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in triggers:
                cursor.execute(sql)


def raw_delete(**filters: Any) -> None:
    with tampering():
        AuditEvent.objects.filter(**filters)._raw_delete(AuditEvent.objects.db)


def recompute_from(event_id: int) -> None:
    """Rewrite every digest from `event_id` on, as an attacker who knows the (public) algorithm would."""
    before = (
        AuditEvent.objects.filter(id__lt=event_id).order_by("-id").values_list("digest", flat=True).first()
    )
    previous = before or ""
    with tampering():
        for event in AuditEvent.objects.filter(id__gte=event_id).order_by("id"):
            fields = {name: getattr(event, name) for name in chain.DIGEST_FIELDS}
            digest = chain.event_digest(previous=previous, fields=fields)
            AuditEvent.objects.filter(pk=event.pk).update(digest=digest)
            previous = digest


def shift(at: dt.datetime, **delta: float) -> dt.datetime:
    return at + dt.timedelta(**delta)
