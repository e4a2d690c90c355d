"""Owner bodies: the owners' assembly, its committee, and the temporary management committee."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jiayuan.core.scoping import ScopedModel, ScopedQuerySet
from jiayuan.governance.choices import BodyStatus, Post


class OwnersAssembly(ScopedModel):
    """The owners' assembly (业主大会) of an estate: all its owners."""

    estate = models.OneToOneField("estates.Estate", on_delete=models.CASCADE, related_name="assembly")
    established_on = models.DateField(_("established on"), null=True, blank=True)
    rules_of_procedure_filed_on = models.DateField(_("rules of procedure filed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("owners' assembly")
        verbose_name_plural = _("owners' assemblies")

    def __str__(self) -> str:
        return gettext("%(estate)s owners' assembly") % {"estate": self.estate}


class TermQuerySet(ScopedQuerySet):
    def active(self) -> TermQuerySet:
        return self.filter(status=BodyStatus.ACTIVE)

    def ending_within(self, *, today: dt.date, days: int) -> TermQuerySet:
        """Active bodies whose term ends in the next `days` days (or has already ended)."""
        return self.active().filter(term_end__lte=today + dt.timedelta(days=days))


class CommitteeBase(ScopedModel):
    estate = models.ForeignKey("estates.Estate", on_delete=models.CASCADE)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"))
    filing_number = models.CharField(_("filing number"), max_length=64, blank=True)
    filing_date = models.DateField(_("filing date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=BodyStatus.choices,
        default=BodyStatus.ACTIVE,
        db_index=True,
    )

    objects = TermQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        abstract = True

    def days_left(self, today: dt.date) -> int:
        return (self.term_end - today).days

    def term_ends_within(self, today: dt.date, days: int) -> bool:
        return self.status == BodyStatus.ACTIVE and self.days_left(today) <= days


class OwnersCommittee(CommitteeBase):
    """The owners' committee (业主委员会): the assembly's elected executive, with a term.

    An estate has at most one active committee.
    """

    estate = models.ForeignKey("estates.Estate", on_delete=models.CASCADE, related_name="owners_committees")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-term_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["estate"],
                condition=Q(status=BodyStatus.ACTIVE),
                name="one_active_owners_committee_per_estate",
            ),
            models.CheckConstraint(
                name="owners_committee_term_order", condition=Q(term_end__gt=models.F("term_start"))
            ),
        ]
        indexes = [models.Index(fields=["status", "term_end"])]
        verbose_name = _("owners' committee")
        verbose_name_plural = _("owners' committees")

    def __str__(self) -> str:
        return gettext("%(estate)s owners' committee") % {"estate": self.estate}


class ManagementCommittee(CommitteeBase):
    """The property management committee (物管会): a temporary body under the community committee
    where no owners' committee exists (YC §5(六), ZT §3(一)2(2))."""

    estate = models.ForeignKey(
        "estates.Estate", on_delete=models.CASCADE, related_name="management_committees"
    )

    class Meta:
        ordering = ["-term_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["estate"],
                condition=Q(status=BodyStatus.ACTIVE),
                name="one_active_management_committee_per_estate",
            ),
            models.CheckConstraint(
                name="management_committee_term_order",
                condition=Q(term_end__gt=models.F("term_start")),
            ),
        ]
        indexes = [models.Index(fields=["status", "term_end"])]
        verbose_name = _("management committee")
        verbose_name_plural = _("management committees")

    def __str__(self) -> str:
        return gettext("%(estate)s management committee") % {"estate": self.estate}


class MemberBase(ScopedModel):
    name = models.CharField(_("name"), max_length=64)
    post = models.CharField(_("post"), max_length=16, choices=Post.choices, default=Post.MEMBER)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class OwnersCommitteeMember(MemberBase):
    scope_estate = "committee__estate"

    committee = models.ForeignKey(OwnersCommittee, on_delete=models.CASCADE, related_name="members")
    owner = models.ForeignKey(
        "estates.Owner", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["committee", "post", "id"]
        verbose_name = _("owners' committee member")
        verbose_name_plural = _("owners' committee members")


class ManagementCommitteeMember(MemberBase):
    scope_estate = "committee__estate"

    committee = models.ForeignKey(ManagementCommittee, on_delete=models.CASCADE, related_name="members")
    owner = models.ForeignKey(
        "estates.Owner", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    affiliation = models.CharField(_("affiliation"), max_length=64, blank=True)

    class Meta:
        ordering = ["committee", "post", "id"]
        verbose_name = _("management committee member")
        verbose_name_plural = _("management committee members")
