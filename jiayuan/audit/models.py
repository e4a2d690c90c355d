from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiayuan.audit.choices import ProblemKind


class AppendOnly(models.Model):
    """A record written once and never changed nor deleted (the database refuses it too)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError(f"{type(self).__name__} rows are append-only.")


class AuditEvent(AppendOnly):
    """One sensitive act, append-only (等保 2.0): who did what to which object, when and why.

    `digest` is the SHA-256 of every other column and the digest of the event before it (see
    jiayuan/audit/chain.py); `seq` numbers the events 1, 2, 3... in chain order, so a missing row
    shows as a gap. Write through `services.record_event` only. A user who acted stays on record:
    the actor cannot be deleted (deactivate them instead).
    """

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    seq = models.PositiveBigIntegerField(_("number in the chain"), editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    digest = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"


class AuditCheckpoint(AppendOnly):
    """The chain's head at a moment, signed with a key kept outside the database (chain.py).

    A later verification finds the row `event_id` with the same digest and exactly `count` events
    up to it; otherwise the chain was cut short or recomputed since.
    """

    at = models.DateTimeField(_("at"), default=timezone.now)
    event_id = models.BigIntegerField(_("last event"))
    event_digest = models.CharField(_("digest of the last event"), max_length=64, blank=True)
    count = models.PositiveBigIntegerField(_("events up to it"))
    key_id = models.CharField(_("key"), max_length=16)
    signature = models.CharField(_("signature"), max_length=64)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["event_id"])]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} #{self.event_id} ({self.count})"


class AuditVerification(AppendOnly):
    """The result of one walk of the whole chain and its checkpoints (daily, or `audit verify`)."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    ok = models.BooleanField(_("intact"))
    rows_checked = models.PositiveBigIntegerField(_("events checked"))
    checkpoints_checked = models.PositiveIntegerField(_("checkpoints checked"))
    last_event_id = models.BigIntegerField(_("last event"), null=True, blank=True)
    first_broken_id = models.BigIntegerField(_("first broken event"), null=True, blank=True)
    problem = models.CharField(_("problem"), max_length=32, choices=ProblemKind.choices, blank=True)
    detail = models.TextField(_("detail"), blank=True)
    seconds = models.FloatField(_("duration (s)"))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit verification")
        verbose_name_plural = _("audit verifications")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'broken'}"
