"""The demo city's campaign (专项行动): a Yuncheng-style drive on the quality of property services.

Run by the city from 20 May to 31 October of the seed's year (YUN §4), launched and filled through
the campaign services like a real one, so every tagged case has its timeline note and audit event.
A deterministic share of the seeded cases (every `TAG_EVERY`-th by number) is tagged.
"""

from __future__ import annotations

import datetime as dt

from jiayuan.campaigns.models import Campaign
from jiayuan.campaigns.services import campaign_create, case_set_campaign
from jiayuan.cases.models import Case
from jiayuan.core.actor import system_actor
from jiayuan.regions.models import Region

NAME = "物业服务质量提升专项行动"
BASIS = "YUN §4"
DESCRIPTION = "动员部署、集中整治、督导检查、巩固提升四个阶段，聚焦物业服务质量突出问题。"
TAG_EVERY = 3


def seed_campaign(*, city: Region, today: dt.date) -> tuple[Campaign, int]:
    """Launch the city's campaign and tag a share of the cases; return it and how many were tagged."""
    actor = system_actor()
    campaign = campaign_create(
        actor=actor,
        region=city,
        name=NAME,
        starts_on=dt.date(today.year, 5, 20),
        ends_on=dt.date(today.year, 10, 31),
        basis=BASIS,
        description=DESCRIPTION,
    )
    cases = Case.objects.select_related("estate__community").order_by("number")
    tagged = 0
    for index, case in enumerate(cases.iterator(chunk_size=500)):
        if index % TAG_EVERY == 0:
            # Dated at the case's last change, so the note falls after everything already done.
            case_set_campaign(actor=actor, case=case, campaign=campaign, now=case.updated_at)
            tagged += 1
    return campaign, tagged
