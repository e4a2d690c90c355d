"""Working-day adjustments: dates a system administrator marks as a day off or a working day.

The State Council publishes each year's holiday schedule late in the year before, and the
`chinesecalendar` package carries it from its next release on. Until then, or when a city gives
a day off of its own, the administrator enters the dates here; they override the package.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiayuan.workdays.choices import DayKind


class WorkdayAdjustment(models.Model):
    """One date counted as a day off or as a working day (调休), overriding the published schedule."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    name = models.CharField(
        _("name"), max_length=60, help_text=_("The holiday the date belongs to, such as 春节 or 国庆节.")
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("Where it comes from, such as the number of the notice."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("working-day adjustment")
        verbose_name_plural = _("working-day adjustments")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name} ({self.get_kind_display()})"

    @property
    def is_working_day(self) -> bool:
        return self.kind == DayKind.WORKING_DAY
