from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jiayuan.core.masking import mask_name
from jiayuan.core.scoping import Scope, ScopedModel, ScopedQuerySet, estate_q
from jiayuan.core.text import natural_sort_key
from jiayuan.estates.choices import EstateType, ManagementMode, OwnerKind


class Estate(ScopedModel):
    """A residential estate (住宅小区 / 物业管理区域): the unit everything hangs on.

    It belongs to exactly one community (RULES §1). `unit_count` and `total_exclusive_area` are the
    figures of the baseline ledger; the Unit rows may be filled in later.
    """

    scope_estate = ""

    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    community = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="estates",
        limit_choices_to={"level": "community"},
        verbose_name=_("community"),
    )
    management_mode = models.CharField(
        _("management mode"), max_length=20, choices=ManagementMode.choices, db_index=True
    )
    estate_type = models.CharField(_("estate type"), max_length=20, choices=EstateType.choices, db_index=True)
    year_built = models.PositiveSmallIntegerField(
        _("year built"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    unit_count = models.PositiveIntegerField(_("number of units"), default=0)
    total_exclusive_area = models.DecimalField(
        _("total exclusive area (m²)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="estate_name_unique_in_community")
        ]
        indexes = [models.Index(fields=["community", "name"])]
        verbose_name = _("estate")
        verbose_name_plural = _("estates")

    def __str__(self) -> str:
        return self.name


class Building(ScopedModel):
    """A building (楼栋) of an estate."""

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="buildings")
    number = models.CharField(_("building number"), max_length=20)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)

    class Meta:
        ordering = ["estate", "number"]
        constraints = [models.UniqueConstraint(fields=["estate", "number"], name="building_number_unique")]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")

    def __str__(self) -> str:
        return self.number


def unit_sort_key(building_number: str, unit_number: str) -> str:
    """Where a unit sorts in its estate: by building, then by number, numbers read as numbers.

    "0" ends the building's part: natural keys are made of tokens starting "1" or "2", so building
    "1" (all its units) sorts before building "1a", and no two buildings' keys run into each other.
    """
    return f"{natural_sort_key(building_number)}0{natural_sort_key(unit_number)}"


class Unit(ScopedModel):
    """A unit (房屋, the exclusive part). Its area counts in votes and fund shares.

    `estate` repeats the building's estate so that scope and per-estate sums need no join.
    `sort_key` (`unit_sort_key`) orders an estate's units naturally in SQL, on an index: 1-101
    before 1-1001, building 2 before building 10. Whatever writes a unit's or its building's number
    sets it (the services, the demo loader); migration 0003 filled the rows that existed before.
    """

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="units")
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="units")
    number = models.CharField(_("unit number"), max_length=20)
    exclusive_area = models.DecimalField(
        _("exclusive area (m²)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    sort_key = models.CharField(max_length=400, default="", editable=False)

    class Meta:
        ordering = ["estate_id", "sort_key", "id"]
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="unit_number_unique")]
        indexes = [models.Index(fields=["estate", "sort_key", "id"], name="unit_natural_order")]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.number

    def set_sort_key(self) -> None:
        self.sort_key = unit_sort_key(self.building.number, self.number)


class OwnerQuerySet(ScopedQuerySet):
    pass


class Owner(models.Model):
    """An owner (业主): a person or organisation owning units. Personal data is masked by default."""

    kind = models.CharField(_("kind"), max_length=12, choices=OwnerKind.choices, default=OwnerKind.PERSON)
    name = models.CharField(_("name"), max_length=64)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    id_number = models.CharField(_("ID number"), max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owner_record",
    )

    objects = OwnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("owner")
        verbose_name_plural = _("owners")

    def __str__(self) -> str:
        # Masked: str(owner) lands in audit events, admin lists and logs, none of which may carry
        # an owner's name in clear (YC §5(一) item 5); the audited reveal is the one way to read it.
        return mask_name(self.name)

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        """Owners with a unit in a regional or served estate; estate-bound users list no owners."""
        if scope.everything:
            return Q()
        regional = Scope(region_paths=scope.region_paths, enterprise_ids=scope.enterprise_ids)
        return Q(pk__in=Ownership.objects.filter(estate_q(regional, "unit__estate")).values("owner_id"))


class Ownership(ScopedModel):
    """An owner holds a unit (co-owners: one row each)."""

    scope_estate = "unit__estate"

    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="ownerships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="ownerships")
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "unit"], name="ownership_unique")]
        verbose_name = _("ownership")
        verbose_name_plural = _("ownerships")

    def __str__(self) -> str:
        return f"{self.owner} - {self.unit}"
