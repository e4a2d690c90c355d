from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.utils import timezone

from jiayuan.core.actor import Actor
from jiayuan.enterprises.models import ServiceContract
from jiayuan.estates.models import Building, Estate, Owner, Unit


def current_contracts(day: dt.date) -> QuerySet[ServiceContract]:
    return ServiceContract.objects.in_force_on(day).filter(estate=OuterRef("pk"))


def estate_list(
    *,
    actor: Actor,
    region_id: int | None = None,
    management_mode: str | None = None,
    enterprise_id: int | None = None,
    search: str | None = None,
    estate_type: str | None = None,
) -> QuerySet[Estate]:
    """Estates the actor sees, each with its community and today's enterprise (one query per page)."""
    today = timezone.localdate()
    estates = Estate.objects.visible_to(actor).select_related("community__parent")
    if region_id:
        from jiayuan.regions.models import Region

        region = Region.objects.filter(pk=region_id).only("path").first()
        estates = (
            estates.filter(community__path__startswith=region.path) if region else estates.none()
        )
    if management_mode:
        estates = estates.filter(management_mode=management_mode)
    if estate_type:
        estates = estates.filter(estate_type=estate_type)
    if enterprise_id:
        estates = estates.filter(
            pk__in=ServiceContract.objects.in_force_on(today)
            .filter(enterprise_id=enterprise_id)
            .values("estate_id")
        )
    if search:
        estates = estates.filter(name__icontains=search.strip())
    contract = current_contracts(today)
    return estates.annotate(
        enterprise_id_now=Subquery(contract.values("enterprise_id")[:1]),
        enterprise_name_now=Subquery(contract.values("enterprise__name")[:1]),
    ).order_by("name", "id")


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
    return (
        Unit.objects.visible_to(actor)
        .filter(estate=estate)
        .select_related("building")
        .prefetch_related("ownerships__owner")
        .order_by("building__number", "number")
    )


def owner_list(*, actor: Actor) -> QuerySet[Owner]:
    return Owner.objects.visible_to(actor).order_by("id")
