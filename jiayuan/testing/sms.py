"""Text messages in tests: what the SMS gateway was handed (the outbox keeps codes redacted)."""

from __future__ import annotations

import re

from django.db import connection

from jiayuan.notifications.backends import MemoryBackend


def deliver_pending() -> None:
    """Run what waits for a commit that a test never makes (its own transaction is rolled back).

    Whatever is still registered belongs to a service transaction that completed: one that failed
    took its callbacks with it. So this is what the worker would have done after the commit.
    """
    pending, connection.run_on_commit = connection.run_on_commit, []
    for entry in pending:  # (savepoint ids, callback, robust)
        entry[1]()


def texts_to(phone: str) -> list[str]:
    """The texts handed to the gateway for `phone`, oldest first."""
    deliver_pending()
    return [text for recipient, text in MemoryBackend.sent if recipient == phone]


def last_code(phone: str) -> str:
    """The verification code last sent to `phone`, as the phone's owner reads it."""
    for text in reversed(texts_to(phone)):
        if found := re.search(r"\d{6}", text):
            return found.group(0)
    raise AssertionError(f"no verification code was sent to {phone}")
