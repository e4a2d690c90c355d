from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jiayuan.core.actor import Actor
from jiayuan.enterprises.models import Enterprise, ServiceContract


def enterprise_list(*, actor: Actor, search: str | None = None) -> QuerySet[Enterprise]:
    """Enterprises the actor sees, with how many estates each serves today."""
    today = timezone.localdate()
    enterprises = Enterprise.objects.visible_to(actor).select_related("registered_region")
    if search:
        term = search.strip()
        enterprises = enterprises.filter(Q(name__icontains=term) | Q(uscc__icontains=term.upper()))
    in_force = Q(
        contracts__status__in=["active", "terminated"], contracts__start_date__lte=today
    ) & (Q(contracts__end_date__isnull=True) | Q(contracts__end_date__gte=today))
    return enterprises.annotate(
        estates_served=Count("contracts__estate", filter=in_force, distinct=True)
    ).order_by("name", "id")


def contract_list(
    *,
    actor: Actor,
    estate_id: int | None = None,
    enterprise_id: int | None = None,
    in_force: bool | None = None,
) -> QuerySet[ServiceContract]:
    contracts = ServiceContract.objects.visible_to(actor).select_related(
        "enterprise", "estate", "project_manager"
    )
    if estate_id:
        contracts = contracts.filter(estate_id=estate_id)
    if enterprise_id:
        contracts = contracts.filter(enterprise_id=enterprise_id)
    if in_force is not None:
        current = ServiceContract.objects.in_force_on(timezone.localdate()).values("pk")
        contracts = (
            contracts.filter(pk__in=current) if in_force else contracts.exclude(pk__in=current)
        )
    return contracts.order_by("-start_date", "id")
