"""Deployment check: checkpoints signed with a key of their own (`manage.py check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_audit_key(**kwargs: Any) -> list[checks.CheckMessage]:
    if getattr(settings, "JIAYUAN_AUDIT_KEY", ""):
        return []
    return [
        checks.Warning(
            "JIAYUAN_AUDIT_KEY is not set: audit checkpoints are signed with a key derived from SECRET_KEY.",
            hint="Set JIAYUAN_AUDIT_KEY to a random secret kept outside the database and its backups "
            "(docs/audit.md).",
            id="audit.W001",
        )
    ]
