"""All writes to campaigns (专项行动): create and update (RULES.md §12).

A campaign is run by the body of the region it covers (see `coverage`). A case is tagged with a
campaign that covers its estate through the cases service `case_set_campaign` (re-exported here):
a campaign never writes a case itself. Each write is audited in its own transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jiayuan.audit.services import record_event
from jiayuan.campaigns.coverage import require_runs
from jiayuan.campaigns.models import Campaign
from jiayuan.cases.services import case_set_campaign as case_set_campaign
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import DomainError
from jiayuan.core.services import apply_changes, require_in_scope, validate
from jiayuan.regions.models import Region

CAMPAIGN_FIELDS = ("name", "starts_on", "ends_on", "basis", "description")


def check_dates(starts_on: Any, ends_on: Any) -> None:
    """The end on or after the start, said on the end date's field (not as a broken constraint)."""
    dates = (starts_on, ends_on)
    if all(isinstance(d, dt.date) for d in dates) and ends_on < starts_on:
        raise DomainError(_("A campaign cannot end before it starts."), field="ends_on")


@transaction.atomic
def campaign_create(
    *,
    actor: Actor,
    region: Region,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    basis: str = "",
    description: str = "",
) -> Campaign:
    """Launch a campaign over a region the actor administers (city, district or subdistrict)."""
    require_runs(actor, region)
    campaign = Campaign(
        region=region,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        basis=basis.strip(),
        description=description.strip(),
        created_by=actor.user if getattr(actor.user, "pk", None) else None,
    )
    check_dates(starts_on, ends_on)
    validate(campaign, exclude=["created_by"])
    campaign.save()
    data = {"region": region.code, "starts_on": starts_on, "ends_on": ends_on, "basis": campaign.basis}
    record_event(actor=actor, action="campaign.created", obj=campaign, data=data)
    return campaign


@transaction.atomic
def campaign_update(*, actor: Actor, campaign: Campaign, reason: str = "", **fields: Any) -> Campaign:
    """Change a campaign's name, dates, basis or description (its region stays: cases hang on it)."""
    actor.require(permissions.CAMPAIGNS_MANAGE)
    require_in_scope(actor, campaign)
    require_runs(actor, campaign.region)
    check_dates(fields.get("starts_on", campaign.starts_on), fields.get("ends_on", campaign.ends_on))
    changed = apply_changes(campaign, fields, allowed=CAMPAIGN_FIELDS)
    if not changed:
        return campaign
    campaign.save(update_fields=list(changed))
    record_event(actor=actor, action="campaign.updated", obj=campaign, reason=reason, data=changed)
    return campaign
