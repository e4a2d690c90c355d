from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from jiayuan.accounts.choices import Role
from jiayuan.core.actor import Actor
from jiayuan.notifications.models import OutboundMessage


def outbox_readable_by(actor: Actor) -> bool:
    """System administrators read the outbox; on a development deployment (DEBUG) so does the
    city housing bureau, whose testers read the verification codes there instead of on a phone."""
    return actor.has_role(Role.SYSTEM_ADMIN) or (settings.DEBUG and actor.has_role(Role.CITY_ADMIN))


def outbox_list(*, actor: Actor, phone: str = "") -> QuerySet[OutboundMessage]:
    """The outbox, newest first, optionally for one phone (a full, normalised number).

    The outbox belongs to no region, so its scope shows it to system actors only; the city housing
    bureau's development access (`outbox_readable_by`) is granted here, the one other way in.
    """
    if actor.scope.everything:
        messages = OutboundMessage.objects.visible_to(actor)
    elif outbox_readable_by(actor):
        messages = OutboundMessage.objects.all()
    else:
        messages = OutboundMessage.objects.none()
    if phone:
        messages = messages.filter(recipient=phone)
    return messages.order_by("-created_at", "-id")
