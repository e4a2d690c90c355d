from django.db import models
from django.utils.translation import gettext_lazy as _


class ManagementMode(models.TextChoices):
    """How an estate is managed (RULES §1; KD §3(一)3)."""

    ENTERPRISE = "enterprise", _("Property service enterprise")
    QUASI_PROPERTY = "quasi_property", _("Quasi-property service")
    CUSTODIAL = "custodial", _("Community-committee custody")
    SELF_MANAGED = "self_managed", _("Owners' self-management")


class EstateType(models.TextChoices):
    COMMERCIAL = "commercial", _("Commercial housing")
    REFORMED_PUBLIC = "reformed_public", _("Reformed public housing")
    AFFORDABLE = "affordable", _("Affordable housing")
    OLD_ESTATE = "old_estate", _("Old estate")
    RESETTLEMENT = "resettlement", _("Resettlement housing")
    OTHER = "other", _("Other")


class OwnerKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")
