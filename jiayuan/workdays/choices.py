from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    """What an administrator-entered date is, whatever the weekday rule or the published schedule say."""

    DAY_OFF = "day_off", _("Day off (public holiday)")
    WORKING_DAY = "working_day", _("Working day (make-up day, 调休)")
