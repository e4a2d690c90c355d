"""Background jobs of notifications: the worker hands queued messages to the SMS backend."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from jiayuan.notifications.services import outbox_deliver


@db_task(name="notifications.deliver_sms", retries=2, retry_delay=30)
def deliver_sms(message_id: int) -> None:
    """Deliver one queued message (`outbox_deliver`: claims it first, so a second run does nothing)."""
    outbox_deliver(message_id=message_id)
