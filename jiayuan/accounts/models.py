from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiayuan.accounts.choices import OrganisationKind, Role
from jiayuan.core.scoping import Scope, ScopedQuerySet, region_subtree_q


class User(AbstractUser):
    """A person who logs in. What they may do and see comes from their memberships."""

    display_name = models.CharField(_("display name"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # Set when an administrator sets the password: the user must choose their own at the next request.
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # Bumped by every service that changes the user's memberships: keys the cached reach (reach.py).
    access_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class Organisation(models.Model):
    """A body people act for: a housing bureau, an office, a committee, a department, an enterprise.

    `region` is where it sits (for an enterprise: where it is registered); `department`,
    `enterprise` and `estate` link it to the domain object it stands for, by kind.
    """

    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=128)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("region"),
    )
    department = models.ForeignKey(
        "regions.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    estate = models.ForeignKey(
        "estates.Estate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["region__path", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                name="organisation_links_match_kind",
                condition=(
                    Q(kind=OrganisationKind.DEPARTMENT, department__isnull=False)
                    | Q(kind=OrganisationKind.ENTERPRISE, enterprise__isnull=False)
                    | Q(
                        kind__in=[
                            OrganisationKind.OWNERS_COMMITTEE,
                            OrganisationKind.OWNERS_ASSEMBLY,
                        ],
                        estate__isnull=False,
                    )
                    | Q(
                        kind__in=[
                            OrganisationKind.HOUSING_BUREAU,
                            OrganisationKind.SUBDISTRICT_OFFICE,
                            OrganisationKind.COMMUNITY_COMMITTEE,
                            OrganisationKind.PLATFORM,
                        ]
                    )
                ),
            )
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        if scope.everything:
            return Q()
        q = region_subtree_q(scope, "region__path")
        if scope.enterprise_ids:
            q |= Q(enterprise_id__in=scope.enterprise_ids)
        if scope.estate_ids:
            q |= Q(estate_id__in=scope.estate_ids)
        return q


class Membership(models.Model):
    """A user acting for an organisation in a role. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return Q(organisation__in=Organisation.objects.filter(Organisation.scope_filter(scope)))
