from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiayuan.core.scoping import Scope, ScopedQuerySet, estate_q, region_subtree_q
from jiayuan.regions.choices import Level


class Region(models.Model):
    """A node of the jurisdiction tree: city > district > subdistrict > community (YC §1).

    `path` is the chain of codes from the city down to this node ("640100000000/640104000000/"),
    so that a subtree is one indexed prefix match.
    """

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(_("path"), max_length=80, unique=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        """A region is visible inside a regional subtree, or as the community of a visible estate."""
        if scope.everything:
            return Q()
        q = region_subtree_q(scope, "path")
        if scope.estate_ids or scope.enterprise_ids:
            # Through the estates' reverse relation (`Estate.community`): regions sit below estates.
            reached = Scope(estate_ids=scope.estate_ids, enterprise_ids=scope.enterprise_ids)
            communities = Region.objects.filter(estate_q(reached, "estates")).values("pk")
            q |= Q(pk__in=communities)
        return q

    def ancestor_codes(self) -> list[str]:
        return [code for code in self.path.split("/") if code][:-1]

    def ancestors(self) -> list[Region]:
        """From the city down to the parent; one query."""
        codes = self.ancestor_codes()
        by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]


class Department(models.Model):
    """A functional department (职能部门) of a city or district that receives referred cases.

    `kind` is a department code of the policy preset's department catalogue (police, fire ...);
    its remit comes from the preset.
    """

    kind = models.CharField(_("kind"), max_length=32, db_index=True)
    name = models.CharField(_("name"), max_length=64)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("region")
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["region__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "region"], name="department_kind_region_unique")
        ]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        """Departments of the user's regions and of the regions above them (they serve the subtree)."""
        if scope.everything:
            return Q()
        q = region_subtree_q(scope, "region__path")
        codes = {code for prefix in scope.region_paths for code in prefix.split("/") if code}
        if codes:
            q |= Q(region__code__in=codes)
        return q
