from __future__ import annotations

from django.db.models import Count, QuerySet

from jiayuan.core.actor import Actor
from jiayuan.regions.models import Department, Region


def region_list(*, actor: Actor, level: str | None = None, parent_id: int | None = None) -> QuerySet[Region]:
    regions = Region.objects.visible_to(actor).select_related("parent")
    if level:
        regions = regions.filter(level=level)
    if parent_id:
        regions = regions.filter(parent_id=parent_id)
    return regions.order_by("path")


def region_roots(*, actor: Actor) -> QuerySet[Region]:
    """The topmost regions the actor sees: where the region browser starts."""
    visible = Region.objects.visible_to(actor)
    return visible.exclude(parent__in=visible).order_by("path")


def region_children(*, actor: Actor, region: Region) -> QuerySet[Region]:
    return (
        Region.objects.visible_to(actor)
        .filter(parent=region)
        .annotate(
            child_count=Count("children", distinct=True),
            estate_count=Count("estates", distinct=True),
        )
        .order_by("code")
    )


def department_list(*, actor: Actor) -> QuerySet[Department]:
    return Department.objects.visible_to(actor).select_related("region")
