from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
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


def visible_ownerships(actor: Actor) -> QuerySet[Ownership]:
    """Ownerships whose owner the actor may see (estate-bound users see none of their neighbours')."""
    return Ownership.objects.visible_to(actor).filter(owner__in=Owner.objects.visible_to(actor))


def units_visible(actor: Actor) -> QuerySet[Unit]:
    """Every unit the actor sees, in natural order (estate, building, number: `Unit.sort_key`),
    with its building and the ownerships of the owners the actor may see (two queries a page)."""
    ownerships = visible_ownerships(actor).select_related("owner").order_by("id")
    return (
        Unit.objects.visible_to(actor)
        .select_related("building", "estate")
        .prefetch_related(Prefetch("ownerships", queryset=ownerships))
        .order_by("estate_id", "sort_key", "id")
    )


def search_units(actor: Actor, units: QuerySet[Unit], text: str) -> QuerySet[Unit]:
    """Units whose number, or the name of an owner the actor may see, contains `text`.

    Only visible owners are searched: an owner or a committee member cannot find out which unit a
    neighbour of that name holds. Results show names masked like any list does.
    """
    text = text.strip()
    if not text:
        return units
    by_owner = visible_ownerships(actor).filter(owner__name__icontains=text).values("unit_id")
    return units.filter(Q(number__icontains=text) | Q(pk__in=by_owner))


def unit_list(*, actor: Actor, estate: Estate, search: str = "") -> QuerySet[Unit]:
    """The estate's units in natural order with their ownerships, narrowed to the owners the actor
    may see; `search` keeps those whose number or owner's name contains it (`search_units`).

    Estate-bound users (owners, committee members) see the units but list no owners
    (`Owner.scope_filter`): an unscoped prefetch would hand them every neighbour's record.
    Sorted in SQL on the index (estate, sort_key, id), never in Python: an estate may have
    thousands of units.
    """
    return search_units(actor, units_visible(actor).filter(estate=estate), search)


def owner_list(*, actor: Actor) -> QuerySet[Owner]:
    return Owner.objects.visible_to(actor).order_by("id")


def ownership_list(*, actor: Actor) -> QuerySet[Ownership]:
    """Ownerships the actor may see, with owner and unit, in the units' natural order."""
    return (
        visible_ownerships(actor)
        .select_related("owner", "unit__building", "unit__estate")
        .order_by("unit__estate_id", "unit__sort_key", "unit_id", "id")
    )


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
