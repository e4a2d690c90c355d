"""What cases knows of campaigns (专项行动), which sit above it: only what the campaigns app registers.

A case may be tagged with a campaign (`Case.campaign`, a foreign key cases owns). Cases does not
import the campaigns app: which campaigns an actor sees or may file a case into, whether one covers
an estate, and what a case's page shows of its campaign come from the `CampaignHooks` the campaigns
app registers from its AppConfig.ready (`register_campaign_hooks`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet

from jiayuan.core.actor import Actor

if TYPE_CHECKING:
    from jiayuan.cases.models import Case
    from jiayuan.estates.models import Estate


class CampaignHooks(Protocol):
    def names(self, actor: Actor, ids: Iterable[int] | None = None) -> dict[int, str]:
        """{id: name} of the campaigns the actor sees (of `ids` if given), newest first (one query)."""
        ...

    def open_for_filing(self, actor: Actor) -> QuerySet[Any]:
        """The campaigns the actor sees that run today: those a new case may join."""
        ...

    def require_covers(self, actor: Actor, campaign: Any, estate: Estate) -> None:
        """The actor sees the campaign and it covers the estate; else a DomainError on `campaign`."""
        ...

    def case_page(self, actor: Actor, case: Case) -> dict[str, Any]:
        """What a case's page shows of its campaign (and the form to tag it, if the actor may)."""
        ...


_hooks: CampaignHooks | None = None


def register_campaign_hooks(hooks: CampaignHooks) -> None:
    global _hooks
    _hooks = hooks


def campaign_hooks() -> CampaignHooks:
    if _hooks is None:
        raise ImproperlyConfigured("The campaigns app registered no CampaignHooks (register_campaign_hooks)")
    return _hooks


def campaign_model() -> type[Model]:
    """The model `Case.campaign` points to (for a form or serializer field's base queryset)."""
    from jiayuan.cases.models import Case

    model: Any = Case._meta.get_field("campaign").related_model
    return model
