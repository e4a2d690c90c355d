"""The SMS outbox and phone verification codes.

Neither belongs to a region: an outbox row is addressed to a phone, a code to a phone. They are
shown to system administrators only (and, on the development outbox page, to the city housing
bureau when DEBUG is on), so their scope is everything-or-nothing.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiayuan.core.masking import mask_phone
from jiayuan.core.scoping import NOTHING, Scope, ScopedQuerySet
from jiayuan.notifications.choices import Channel, MessageStatus, Purpose


def system_only(scope: Scope) -> Q:
    return Q() if scope.everything else NOTHING


class OutboundMessage(models.Model):
    """One message handed to the SMS backend: the outbox, and the record of what was sent.

    Written by `send_sms`; delivered after commit by `outbox_deliver`, which claims the row with a
    conditional update (queued -> sending) so that a message is handed to the backend once.
    `related_type`/`related_id` name the object the message is about (`cases.case`, 42), if any.
    """

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.SMS)
    recipient = models.CharField(_("recipient phone"), max_length=32, db_index=True)
    text = models.TextField(_("text"))
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    related_type = models.CharField(_("related object type"), max_length=100, blank=True)
    related_id = models.CharField(_("related object id"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    backend = models.CharField(_("backend"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} → {self.recipient_masked}"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return system_only(scope)

    @property
    def recipient_masked(self) -> str:
        return mask_phone(self.recipient)


class VerificationCode(models.Model):
    """A 6-digit code sent to a phone to prove the sender holds it (no-account complaint intake).

    Only a keyed hash of the code is stored (`code_hash`, HMAC-SHA256 with the SECRET_KEY and the
    phone), so a database reader cannot use live codes. A code is used once (`used_at`), expires at
    `expires_at` and is locked after the preset's maximum of wrong attempts.
    """

    phone = models.CharField(_("phone"), max_length=32)
    purpose = models.CharField(_("purpose"), max_length=32)
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
        indexes = [models.Index(fields=["phone", "created_at"], name="notif_code_phone_created")]

    def __str__(self) -> str:
        return f"{self.purpose} → {mask_phone(self.phone)}"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return system_only(scope)
