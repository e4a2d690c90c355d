from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Func, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from jiayuan.core.actor import Actor
from jiayuan.estates.hooks import enterprise_lookup
from jiayuan.estates.models import Building, Estate, Owner, Ownership, Unit
from jiayuan.regions.models import Region


def current_contracts(day: dt.date) -> QuerySet[Any]:
    """The contracts in force on a day at the estate `OuterRef("pk")` (the enterprises app says)."""
    return enterprise_lookup().current_contracts(day)


def estate_list(*, actor: Actor) -> QuerySet[Estate]:
    """Estates the actor sees, with community and today's enterprise annotated (one query per page).

    The community, subdistrict and district are joined in the same query (pages show all three).
    Narrow it with `EstateFilter` (estates/filters.py).
    """
    contract = current_contracts(timezone.localdate())
    return (
        Estate.objects.visible_to(actor)
        .select_related("community__parent__parent")
        .annotate(
            enterprise_id_now=Subquery(contract.values("enterprise_id")[:1]),
            enterprise_name_now=Subquery(contract.values("enterprise__name")[:1]),
        )
        .order_by("name", "id")
    )


def estate_detail(*, actor: Actor, pk: int) -> Estate:
    """One visible estate with what its page shows; raises Estate.DoesNotExist when out of scope."""
    return (
        Estate.objects.visible_to(actor)
        .select_related("community__parent__parent")
        .prefetch_related(
            Prefetch(
                "buildings",
                queryset=Building.objects.annotate(
                    unit_total=Count("units"), area_total=Sum("units__exclusive_area")
                ).order_by("number"),
            ),
        )
        .get(pk=pk)
    )


def unit_list(*, actor: Actor, estate: Estate) -> QuerySet[Unit]:
    """The estate's units with their ownerships, narrowed to the owners the actor may see.

    Estate-bound users (owners, committee members) see the units but list no owners
    (`Owner.scope_filter`): an unscoped prefetch would hand them every neighbour's record.
    """
    ownerships = (
        Ownership.objects.filter(owner__in=Owner.objects.visible_to(actor))
        .select_related("owner")
        .order_by("id")
    )
    return (
        Unit.objects.visible_to(actor)
        .filter(estate=estate)
        .select_related("building")
        .prefetch_related(Prefetch("ownerships", queryset=ownerships))
        .order_by("building__number", "number")
    )


def owner_list(*, actor: Actor) -> QuerySet[Owner]:
    return Owner.objects.visible_to(actor).order_by("id")


# --- the region browser (estates/region_views.py) ----------------------------------------------------


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
