"""Deployment check: texts (and the codes in them) are not written to the log in production."""

from __future__ import annotations

from typing import Any

from django.core import checks

from jiayuan.notifications.backends import backend_path

LOG_BACKEND = "jiayuan.notifications.backends.LoggingBackend"


@checks.register(checks.Tags.security, deploy=True)
def check_sms_backend(**kwargs: Any) -> list[checks.CheckMessage]:
    if backend_path() != LOG_BACKEND:
        return []
    return [
        checks.Warning(
            "JIAYUAN_SMS_BACKEND is the log: every text, verification codes included, goes to the log.",
            hint="Name the SMS gateway's backend (docs/notifications.md), or "
            "jiayuan.notifications.backends.OutboxOnlyBackend until there is one.",
            id="notifications.W001",
        )
    ]
