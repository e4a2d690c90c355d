from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")


class Purpose(models.TextChoices):
    """Why a message is sent; a verification code's purpose also names what it unlocks."""

    VERIFICATION = "verification", _("Verification code")
    CASE_UPDATE = "case_update", _("Case update")
    REMINDER = "reminder", _("Reminder")


class MessageStatus(models.TextChoices):
    """queued -> sending (claimed by one worker) -> sent or failed."""

    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
