from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """Where a case stands in the workflow (`jiayuan.cases.workflow` holds the table)."""

    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    RECTIFIED = "rectified", _("Rectified")
    VERIFIED = "verified", _("Verified")
    CLOSED_OUT = "closed_out", _("Closed out")


class Outcome(models.TextChoices):
    """How a closed-out case ended. Only `fixed` counts as a rectification."""

    FIXED = "fixed", _("Fixed")
    UNFOUNDED = "unfounded", _("Unfounded")
    DUPLICATE = "duplicate", _("Duplicate")
    OUTSIDE_REMIT = "outside_remit", _("Outside remit")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Source(models.TextChoices):
    """The channel a case came in through (YC §4, §6(四); YUN §4(一))."""

    HOTLINE_12345 = "hotline_12345", _("12345 hotline")
    QR_CODE = "qr_code", _("Owner via QR code")
    COMMUNITY_PATROL = "community_patrol", _("Community patrol")
    INSPECTION = "inspection", _("Inspection")
    RANDOM_CHECK = "random_check", _("Random check")
    MEDIA = "media", _("Media")
    MAILBOX = "mailbox", _("Mailbox")
    API = "api", _("API")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


class HandlerKind(models.TextChoices):
    """The kind of body a case is dispatched to: the handler forms of the responsibility list."""

    ENTERPRISE = "enterprise", _("Property service enterprise")
    COMMUNITY = "community", _("Community")
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    DISTRICT_HOUSING = "district_housing", _("District housing authority")
    CITY_HOUSING = "city_housing", _("City housing bureau")
    DEPARTMENT = "department", _("Department")


class EventKind(models.TextChoices):
    TRANSITION = "transition", _("Transition")
    NOTE = "note", _("Note")
    ESCALATION = "escalation", _("Escalation")
    REMINDER = "reminder", _("Reminder")
    REFERRAL = "referral", _("Referral")
    OVERRIDE = "override", _("Dispatch override")
    RATING = "rating", _("Rating")
    MODERATION = "moderation", _("Moderation")


class AttachmentKind(models.TextChoices):
    """What an attachment is: a photo (shown inline) or a document (downloaded)."""

    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")
