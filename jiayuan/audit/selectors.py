"""Reads of the audit chain's verifications, for auditors and system administrators (`audit.read`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jiayuan.audit.models import AuditCheckpoint, AuditVerification
from jiayuan.core import permissions
from jiayuan.core.actor import Actor

# The daily verification is late when the newest one is older than this (the job runs at 02:17).
VERIFICATION_DUE = dt.timedelta(hours=36)


def verification_list(*, actor: Actor) -> QuerySet[AuditVerification]:
    """Every verification of the chain, newest first (none for a role without `audit.read`)."""
    if not actor.has(permissions.AUDIT_READ):
        return AuditVerification.objects.none()
    return AuditVerification.objects.order_by("-id")


def audit_overview(*, actor: Actor, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The latest verification and checkpoint, and whether the daily check is late (2 queries)."""
    if not actor.has(permissions.AUDIT_READ):
        return None
    now = now or timezone.now()
    latest = AuditVerification.objects.order_by("-id").first()
    checkpoint = AuditCheckpoint.objects.order_by("-id").first()
    return {
        "verification": latest,
        "checkpoint": checkpoint,
        "late": latest is None or latest.at < now - VERIFICATION_DUE,
    }
