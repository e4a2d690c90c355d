"""The demo city's campaign (专项行动): a Yuncheng-style drive on the quality of property services.

Run by the city over half a year (YUN §4: four stages), placed around the seeding day so that the
demo shows a campaign under way, whatever the day: it began `STARTED_DAYS_AGO` days before and runs
`RUNS_ON_DAYS` days more. Launched and filled through the campaign services like a real one, so
every tagged case has its timeline note and audit event. A deterministic share of the cases filed
within its dates (every `TAG_EVERY`-th by number) is tagged; a case filed before it began never is.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from jiayuan.campaigns.models import Campaign
from jiayuan.campaigns.services import campaign_create, case_set_campaign
from jiayuan.cases.models import Case
from jiayuan.core.actor import system_actor
from jiayuan.regions.models import Region

NAME = "物业服务质量提升专项行动"
BASIS = "YUN §4"
DESCRIPTION = "动员部署、集中整治、督导检查、巩固提升四个阶段，聚焦物业服务质量突出问题。"
TAG_EVERY = 3
STARTED_DAYS_AGO = 120
RUNS_ON_DAYS = 60


def seed_campaign(*, city: Region, today: dt.date) -> tuple[Campaign, int]:
    """Launch the city's campaign and tag a share of the cases filed within its dates; return it and
    how many were tagged."""
    actor = system_actor()
    campaign = campaign_create(
        actor=actor,
        region=city,
        name=NAME,
        starts_on=today - dt.timedelta(days=STARTED_DAYS_AGO),
        ends_on=today + dt.timedelta(days=RUNS_ON_DAYS),
        basis=BASIS,
        description=DESCRIPTION,
    )
    cases = within_dates(campaign).select_related("estate__community").order_by("number")
    tagged = 0
    for index, case in enumerate(cases.iterator(chunk_size=500)):
        if index % TAG_EVERY == 0:
            # Dated at the case's last change, so the note falls after everything already done.
            case_set_campaign(actor=actor, case=case, campaign=campaign, now=case.updated_at)
            tagged += 1
    return campaign, tagged


def within_dates(campaign: Campaign) -> QuerySet[Case]:
    """The cases filed on the campaign's days (local dates, both ends included)."""
    start = timezone.make_aware(dt.datetime.combine(campaign.starts_on, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(campaign.ends_on + dt.timedelta(days=1), dt.time.min))
    return Case.objects.filter(created_at__gte=start, created_at__lt=end)
