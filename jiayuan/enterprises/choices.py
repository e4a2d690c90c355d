from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractKind(models.TextChoices):
    EARLY_STAGE = "early_stage", _("Early-stage")
    REGULAR = "regular", _("Regular")


class ContractStatus(models.TextChoices):
    """`active`: signed and counting; `terminated`: ended early (end date = termination date);
    `void`: entered in error, never counts. Whether a contract is in force on a day follows from
    its status and dates."""

    ACTIVE = "active", _("Active")
    TERMINATED = "terminated", _("Terminated")
    VOID = "void", _("Void")


class ServiceGrade(models.IntegerChoices):
    GRADE_1 = 1, _("Grade 1")
    GRADE_2 = 2, _("Grade 2")
    GRADE_3 = 3, _("Grade 3")


COUNTING_STATUSES = [ContractStatus.ACTIVE, ContractStatus.TERMINATED]
