"""Tagging a case with a campaign: the one way a campaign changes a case (the campaigns app calls it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.audit.services import record_event
from jiayuan.cases.campaign_hooks import campaign_hooks
from jiayuan.cases.choices import EventKind
from jiayuan.cases.models import Case
from jiayuan.cases.services.timeline import add_event, stale_version
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.services import require_in_scope


def tag_note(before: Any, after: Any) -> str:
    if after is None:
        return _("Removed from campaign “%(name)s”.") % {"name": str(before) if before else ""}
    return _("Added to campaign “%(name)s”.") % {"name": str(after)}


@transaction.atomic
def case_set_campaign(
    *,
    actor: Actor,
    case: Case,
    campaign: Any,
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
        campaign_hooks().require_covers(actor, campaign, case.estate)
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
