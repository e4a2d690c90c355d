from django.db import models
from django.utils.translation import gettext_lazy as _


class ProblemKind(models.TextChoices):
    """What the verifier found wrong at an event (jiayuan/audit/verify.py says how it tells)."""

    EDITED = "edited", _("An event was changed")
    MISSING = "missing", _("Events were removed from the middle")
    ORDER = "order", _("An event was inserted or copied")
    FORGED = "forged", _("A checkpoint's signature does not verify")
    RECOMPUTED = "recomputed", _("The chain was recomputed")
    COUNT = "count", _("The number of events does not match a checkpoint")
    TRUNCATED = "truncated", _("The end of the log was removed")
    VANISHED = "vanished", _("An event signed by a checkpoint is missing")
