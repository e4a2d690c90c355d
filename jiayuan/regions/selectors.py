from __future__ import annotations

from django.db.models import F, Func, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from jiayuan.core.actor import Actor
from jiayuan.estates.models import Estate
from jiayuan.regions.models import Department, Region


def region_list(*, actor: Actor, level: str | None = None, parent_id: int | None = None) -> QuerySet[Region]:
    regions = Region.objects.visible_to(actor).select_related("parent")
    if level:
        regions = regions.filter(level=level)
    if parent_id:
        regions = regions.filter(parent_id=parent_id)
    return regions.order_by("path")


def subquery_count(rows: QuerySet[Estate] | QuerySet[Region]) -> Coalesce:
    """`COUNT(*)` of a correlated subquery as an integer annotation; 0 when nothing matches."""
    count = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(count, output_field=IntegerField()), 0)


def with_counts(regions: QuerySet[Region], *, actor: Actor) -> QuerySet[Region]:
    """Annotate `child_count` (visible children) and `subtree_estates` (visible estates anywhere under).

    A district's estates lie under its communities, so `subtree_estates` matches on the community's
    path prefix: one subquery, whatever the depth.
    """
    return regions.annotate(
        child_count=subquery_count(Region.objects.visible_to(actor).filter(parent=OuterRef("pk"))),
        subtree_estates=subquery_count(
            Estate.objects.visible_to(actor).filter(community__path__startswith=OuterRef("path"))
        ),
    )


def region_roots(*, actor: Actor) -> QuerySet[Region]:
    """The topmost regions the actor sees, with their counts: where the region browser starts."""
    visible = Region.objects.visible_to(actor)
    return with_counts(visible.exclude(parent__in=visible), actor=actor).order_by("path")


def region_children(*, actor: Actor, region: Region) -> QuerySet[Region]:
    """The visible subdivisions of a region, with their counts."""
    children = Region.objects.visible_to(actor).filter(parent=region)
    return with_counts(children, actor=actor).order_by("code")


def region_breadcrumbs(*, actor: Actor, region: Region) -> list[tuple[Region, bool]]:
    """Breadcrumbs: every ancestor, and whether the actor may open it (two queries)."""
    ancestors = region.ancestors()
    visible = set(
        Region.objects.visible_to(actor).filter(pk__in=[a.pk for a in ancestors]).values_list("pk", flat=True)
    )
    return [(ancestor, ancestor.pk in visible) for ancestor in ancestors]


def department_list(*, actor: Actor) -> QuerySet[Department]:
    return Department.objects.visible_to(actor).select_related("region")
