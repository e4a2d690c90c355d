"""What the estate pages show of the apps above estates (enterprises, governance): they register it.

Estates does not import them. The enterprises app registers an `EnterpriseLookup` (the contract in
force at each estate, for the list's enterprise column; the enterprises to filter the list by), and
each app adds what an estate's page shows of it (`register_estate_page`): the contracts, the owners'
bodies. The estates an enterprise serves (the list's filter) come from core's scoping mechanism
(`served_estate_ids`), where the enterprises app registered them too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from jiayuan.core.actor import Actor

if TYPE_CHECKING:
    from jiayuan.estates.models import Estate


class EnterpriseLookup(Protocol):
    def current_contracts(self, day: dt.date) -> QuerySet[Any]:
        """The contracts in force on a day at the estate `OuterRef("pk")` (for a Subquery), with
        `enterprise_id` and `enterprise__name`."""
        ...

    def choices(self, actor: Actor) -> list[tuple[int, str]]:
        """(id, name) of the enterprises the actor sees, by name: the list filter's choices."""
        ...


# (actor, estate, today) -> what the estate's page shows of one app (template context).
EstatePage = Callable[[Actor, "Estate", dt.date], dict[str, Any]]

_lookup: EnterpriseLookup | None = None
_pages: list[EstatePage] = []


def register_enterprise_lookup(lookup: EnterpriseLookup) -> None:
    global _lookup
    _lookup = lookup


def enterprise_lookup() -> EnterpriseLookup:
    if _lookup is None:
        raise ImproperlyConfigured("The enterprises app registered no EnterpriseLookup")
    return _lookup


def register_estate_page(page: EstatePage) -> None:
    if page not in _pages:
        _pages.append(page)


def estate_page_context(actor: Actor, estate: Estate, today: dt.date) -> dict[str, Any]:
    """What the registered apps show on an estate's page, merged."""
    context: dict[str, Any] = {}
    for page in _pages:
        context.update(page(actor, estate, today))
    return context
