"""What the estate pages show of enterprises and contracts (registered with `jiayuan.estates.hooks`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, QuerySet

from jiayuan.core.actor import Actor
from jiayuan.enterprises.models import Enterprise, ServiceContract
from jiayuan.enterprises.selectors import contract_list
from jiayuan.estates.models import Estate


class EnterpriseLookup:
    """Registered by `EnterprisesConfig.ready`."""

    def current_contracts(self, day: dt.date) -> QuerySet[ServiceContract]:
        return ServiceContract.objects.in_force_on(day).filter(estate=OuterRef("pk"))

    def choices(self, actor: Actor) -> list[tuple[int, str]]:
        enterprises = Enterprise.objects.visible_to(actor).order_by("name", "id").values_list("pk", "name")
        return list(enterprises[:1000])


def estate_contracts(actor: Actor, estate: Estate, today: dt.date) -> dict[str, Any]:
    """An estate's page: its contracts the actor sees, and the one in force today."""
    contracts = list(contract_list(actor=actor).filter(estate=estate))
    current = next((c for c in contracts if c.in_force_on(today)), None)
    return {"contracts": contracts, "current_contract": current}
