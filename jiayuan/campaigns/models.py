"""Campaigns (专项行动): time-boxed drives a housing bureau or subdistrict runs over its area.

A campaign has a ledger of its own: the cases tagged with it (RULES.md §12, YUN §4). Stages,
targets and weekly briefings arrive with the inspections-and-campaigns work (ROADMAP item 5).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiayuan.core.scoping import NOTHING, Scope, ScopedQuerySet, region_subtree_q


class Campaign(models.Model):
    """A drive run by the body of `region` over that region, from `starts_on` to `ends_on`."""

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("region")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    basis = models.CharField(
        _("basis"), max_length=200, blank=True, help_text=_("The document and clause that launch it.")
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["region", "starts_on"], name="campaign_region_starts")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_dates_ordered"
            )
        ]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        """Campaigns of the user's regions and of the regions above them (they run over the subtree).

        Enterprise staff, committee members and owners see none: a campaign is the authorities'
        tool; they see its cases in their own ledgers.
        """
        if scope.everything:
            return Q()
        q = region_subtree_q(scope, "region__path")
        codes = {code for prefix in scope.region_paths for code in prefix.split("/") if code}
        return q | Q(region__code__in=codes) if codes else q or NOTHING
