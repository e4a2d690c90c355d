from __future__ import annotations

from django.db.models import QuerySet

from jiayuan.core.actor import Actor
from jiayuan.regions.models import Department, Region


def region_list(*, actor: Actor, level: str | None = None, parent_id: int | None = None) -> QuerySet[Region]:
    regions = Region.objects.visible_to(actor).select_related("parent")
    if level:
        regions = regions.filter(level=level)
    if parent_id:
        regions = regions.filter(parent_id=parent_id)
    return regions.order_by("path")


def region_breadcrumbs(*, actor: Actor, region: Region) -> list[tuple[Region, bool]]:
    """Breadcrumbs: every ancestor, and whether the actor may open it (two queries)."""
    ancestors = region.ancestors()
    visible = set(
        Region.objects.visible_to(actor).filter(pk__in=[a.pk for a in ancestors]).values_list("pk", flat=True)
    )
    return [(ancestor, ancestor.pk in visible) for ancestor in ancestors]


def department_list(*, actor: Actor) -> QuerySet[Department]:
    return Department.objects.visible_to(actor).select_related("region")
