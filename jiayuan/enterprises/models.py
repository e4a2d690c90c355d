from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jiayuan.core.scoping import Scope, ScopedModel, ScopedQuerySet, estate_q, region_subtree_q
from jiayuan.enterprises.choices import (
    COUNTING_STATUSES,
    ContractKind,
    ContractStatus,
    ServiceGrade,
)
from jiayuan.enterprises.uscc import validate_uscc


class Enterprise(models.Model):
    """A property service enterprise (物业服务企业), keyed by its USCC."""

    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    name = models.CharField(_("name"), max_length=128, db_index=True)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    registered_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_enterprises",
        verbose_name=_("registered in"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("service phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        """Registered in a visible region, serving (or having served) a visible estate, or one's own.

        An enterprise registered nowhere in the tree (e.g. from another city) is visible city-wide.
        """
        if scope.everything:
            return Q()
        q = region_subtree_q(scope, "registered_region__path")
        if scope.covers_a_city:
            q |= Q(registered_region__isnull=True)
        if scope.enterprise_ids:
            q |= Q(pk__in=scope.enterprise_ids)
        contracts = ServiceContract.objects.counting().filter(
            estate_q(Scope(region_paths=scope.region_paths, estate_ids=scope.estate_ids), "estate")
        )
        if scope.region_paths or scope.estate_ids:
            q |= Q(pk__in=contracts.values("enterprise_id"))
        return q


class ProjectManager(models.Model):
    """The enterprise's person in charge at an estate (项目经理)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="project_managers")
    name = models.CharField(_("name"), max_length=64)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise", "name"]
        verbose_name = _("project manager")
        verbose_name_plural = _("project managers")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return Q(enterprise__in=Enterprise.objects.filter(Enterprise.scope_filter(scope)))


class ServiceContractQuerySet(ScopedQuerySet):
    def counting(self) -> ServiceContractQuerySet:
        return self.filter(status__in=COUNTING_STATUSES)

    def in_force_on(self, day: dt.date) -> ServiceContractQuerySet:
        return (
            self.counting()
            .filter(start_date__lte=day)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        )

    def overlapping(self, *, estate_id: int, start: dt.date, end: dt.date | None) -> ServiceContractQuerySet:
        q = (
            self.counting()
            .filter(estate_id=estate_id)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        )
        return q.filter(start_date__lte=end) if end else q


class ServiceContract(ScopedModel):
    """A property service contract (物业服务合同) between an enterprise and an estate.

    An estate has at most one contract in force on any day: the service refuses a second, and the
    database does too (an exclusion constraint on PostgreSQL, a trigger on SQLite; see migrations).
    """

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="contracts")
    estate = models.ForeignKey("estates.Estate", on_delete=models.PROTECT, related_name="contracts")
    project_manager = models.ForeignKey(
        ProjectManager, on_delete=models.SET_NULL, null=True, blank=True, related_name="contracts"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ContractKind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    service_grade = models.PositiveSmallIntegerField(_("service grade"), choices=ServiceGrade.choices)
    fee_per_m2_month = models.DecimalField(
        _("fee (yuan per m² per month)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    filing_number = models.CharField(_("filing number"), max_length=64, blank=True)
    filing_date = models.DateField(_("filing date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ServiceContractQuerySet.as_manager()  # type: ignore[misc]
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                name="contract_end_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
            )
        ]
        indexes = [
            models.Index(fields=["estate", "start_date"]),
            models.Index(fields=["enterprise", "status"]),
        ]
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")

    def __str__(self) -> str:
        return f"{self.enterprise} - {self.estate} ({self.start_date})"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        """Contracts of visible estates, and every contract of one's own enterprise."""
        q = estate_q(scope, "estate")
        if scope.enterprise_ids and not scope.everything:
            q |= Q(enterprise_id__in=scope.enterprise_ids)
        return q

    def in_force_on(self, day: dt.date) -> bool:
        return (
            self.status in COUNTING_STATUSES
            and self.start_date <= day
            and (self.end_date is None or self.end_date >= day)
        )
