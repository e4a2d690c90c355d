"""All writes to campaigns (专项行动): create, update, and tagging a case with one (RULES.md §12).

A campaign is run by the body of the region it covers (see `coverage`); a case is tagged only with
a campaign that covers its estate. Each write is audited in its own transaction; tagging also puts a
note on the case's timeline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.audit.services import record_event
from jiayuan.campaigns.coverage import require_covers, require_runs
from jiayuan.campaigns.models import Campaign
from jiayuan.cases.choices import EventKind
from jiayuan.cases.models import Case
from jiayuan.cases.services import add_event, stale_version
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


def tag_note(before: Campaign | None, after: Campaign | None) -> str:
    if after is None:
        return _("Removed from campaign “%(name)s”.") % {"name": before.name if before else ""}
    return _("Added to campaign “%(name)s”.") % {"name": after.name}


@transaction.atomic
def case_set_campaign(
    *,
    actor: Actor,
    case: Case,
    campaign: Campaign | None,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """Tag a case with a campaign that covers its estate, or untag it (`campaign=None`).

    Staff who take cases in (`cases.accept`) where the case lies may do it. With `version`, a case
    changed since the actor saw it is refused (409 `stale_version`); the tag bumps the version.
    """
    actor.require(permissions.CASES_ACCEPT)
    require_in_scope(actor, case, permission=permissions.CASES_ACCEPT)
    if version is not None and version != case.version:
        raise stale_version()
    if campaign is not None:
        require_covers(actor, campaign, case.estate)
    if campaign is not None and campaign.pk == case.campaign_id:
        return case
    if campaign is None and case.campaign_id is None:
        return case
    before = case.campaign
    now = now or timezone.now()
    claimed = Case.objects.filter(pk=case.pk, version=case.version).update(
        campaign=campaign, version=F("version") + 1, updated_at=now
    )
    if not claimed:
        raise stale_version()
    case.campaign, case.updated_at, case.version = campaign, now, case.version + 1
    data = {
        "number": case.number,
        "campaign": campaign.pk if campaign else None,
        "previous": before.pk if before else None,
    }
    add_event(
        actor=actor, case=case, at=now, kind=EventKind.NOTE, reason=tag_note(before, campaign), data=data
    )
    record_event(actor=actor, action="case.campaign_set", obj=case, data=data)
    return case
