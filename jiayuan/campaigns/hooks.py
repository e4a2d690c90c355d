"""What the campaigns app tells cases, which sits below it (`jiayuan.cases.campaign_hooks`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from jiayuan.campaigns.coverage import require_covers
from jiayuan.campaigns.forms import case_campaign_context
from jiayuan.campaigns.models import Campaign
from jiayuan.campaigns.selectors import active_campaigns
from jiayuan.cases.models import Case
from jiayuan.core.actor import Actor
from jiayuan.estates.models import Estate


class Hooks:
    """Registered with cases by `CampaignsConfig.ready`."""

    def names(self, actor: Actor, ids: Iterable[int] | None = None) -> dict[int, str]:
        campaigns = Campaign.objects.visible_to(actor).order_by("-starts_on", "-id")
        if ids is not None:
            campaigns = campaigns.filter(pk__in=sorted(ids))
        return dict(campaigns.values_list("pk", "name"))

    def open_for_filing(self, actor: Actor) -> QuerySet[Campaign]:
        return active_campaigns(actor=actor)

    def require_covers(self, actor: Actor, campaign: Any, estate: Estate) -> None:
        require_covers(actor, campaign, estate)

    def case_page(self, actor: Actor, case: Case) -> dict[str, Any]:
        return case_campaign_context(actor, case)
