from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.utils import timezone

from jiayuan.core.actor import Actor
from jiayuan.enterprises.models import ServiceContract
from jiayuan.estates.models import Building, Estate, Owner, Ownership, Unit


def current_contracts(day: dt.date) -> QuerySet[ServiceContract]:
    return ServiceContract.objects.in_force_on(day).filter(estate=OuterRef("pk"))


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
