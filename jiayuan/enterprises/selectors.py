from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jiayuan.core.actor import Actor
from jiayuan.enterprises.models import Enterprise, ServiceContract


def enterprise_list(*, actor: Actor) -> QuerySet[Enterprise]:
    """Enterprises the actor sees, with how many estates each serves today (`EnterpriseFilter`)."""
    today = timezone.localdate()
    enterprises = Enterprise.objects.visible_to(actor).select_related("registered_region")
    in_force = Q(contracts__status__in=["active", "terminated"], contracts__start_date__lte=today) & (
        Q(contracts__end_date__isnull=True) | Q(contracts__end_date__gte=today)
    )
    return enterprises.annotate(
        estates_served=Count("contracts__estate", filter=in_force, distinct=True)
    ).order_by("name", "id")


def contract_list(*, actor: Actor) -> QuerySet[ServiceContract]:
    """Contracts the actor sees (`ContractFilter` narrows them)."""
    return (
        ServiceContract.objects.visible_to(actor)
        .select_related("enterprise", "estate", "project_manager")
        .order_by("-start_date", "id")
    )
