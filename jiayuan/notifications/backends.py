"""SMS backends: how an outbox message leaves the platform.

A backend is a class with one method, `send(message) -> None`, that hands one `OutboundMessage` to
its channel and returns when the channel accepted it, or raises (any exception) when it did not.
It never writes the row: `outbox_deliver` marks the message sent or failed from the outcome.
The setting `JIAYUAN_SMS_BACKEND` names the class (dotted path). docs/notifications.md says how
to write one for a provider.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from jiayuan.core.masking import mask_phone

if TYPE_CHECKING:
    from jiayuan.notifications.models import OutboundMessage

logger = logging.getLogger("jiayuan.notifications")

# On a developer's machine the texts (codes included) go to the console of `make run`.
DEFAULT_BACKEND = "jiayuan.notifications.backends.LoggingBackend"


class SmsBackend(Protocol):
    def send(self, message: OutboundMessage) -> None: ...


class OutboxOnlyBackend:
    """Nothing leaves the platform; the outbox page lists the messages (verification codes redacted)."""

    def send(self, message: OutboundMessage) -> None:
        return None


class MemoryBackend:
    """Keeps what it is given in memory, for tests: `MemoryBackend.sent`, cleared by the tests."""

    sent: ClassVar[list[tuple[str, str]]] = []

    def send(self, message: OutboundMessage) -> None:
        MemoryBackend.sent.append((message.recipient, message.text))


class LoggingBackend:
    """Writes each message to the log (logger `jiayuan.notifications`), phone masked.

    The text goes to the log in full, verification codes included: for development and test
    deployments only.
    """

    def send(self, message: OutboundMessage) -> None:
        logger.info("SMS to %s (%s): %s", mask_phone(message.recipient), message.purpose, message.text)


def backend_path() -> str:
    return str(getattr(settings, "JIAYUAN_SMS_BACKEND", "") or DEFAULT_BACKEND)


def get_backend() -> SmsBackend:
    """An instance of the configured backend (a new one per message: backends keep no state)."""
    backend: SmsBackend = import_string(backend_path())()
    return backend
