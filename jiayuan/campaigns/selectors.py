"""Reads of campaigns for users: the list with its case counts, one campaign, and its ledger."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jiayuan.campaigns.models import Campaign
from jiayuan.cases import workflow
from jiayuan.cases.choices import State
from jiayuan.cases.deadlines import overdue_q
from jiayuan.cases.models import Case
from jiayuan.cases.selectors import ledger
from jiayuan.core.actor import Actor


def campaign_list(*, actor: Actor, now: dt.datetime | None = None) -> QuerySet[Campaign]:
    """The campaigns the actor sees, newest first, with their region and the counts of their cases
    the actor sees (`open_count`, `overdue_count`, `closed_count`), all in one query."""
    now = now or timezone.now()
    visible = Q(cases__in=Case.objects.visible_to(actor).values("pk"))
    return (
        Campaign.objects.visible_to(actor)
        .select_related("region")
        .annotate(
            open_count=Count("cases", filter=visible & Q(cases__state__in=sorted(workflow.OPEN_STATES))),
            overdue_count=Count("cases", filter=visible & overdue_q(now, prefix="cases__")),
            closed_count=Count("cases", filter=visible & Q(cases__state=State.CLOSED_OUT)),
        )
        .order_by("-starts_on", "-id")
    )


def active_campaigns(*, actor: Actor, on: dt.date | None = None) -> QuerySet[Campaign]:
    """The campaigns the actor sees that run on a day (today by default)."""
    on = on or timezone.localdate()
    return (
        Campaign.objects.visible_to(actor)
        .filter(starts_on__lte=on, ends_on__gte=on)
        .select_related("region")
        .order_by("-starts_on", "-id")
    )


def campaign_detail(*, actor: Actor, pk: int) -> Campaign:
    """One campaign the actor sees; out of scope is the same 404 as missing."""
    return get_object_or_404(Campaign.objects.visible_to(actor).select_related("region"), pk=pk)


def campaign_ledger(*, actor: Actor, campaign: Campaign, now: dt.datetime | None = None) -> QuerySet[Case]:
    """The campaign's ledger: the cases ledger of the actor (`cases.selectors.ledger`), only its cases."""
    return ledger(actor=actor, now=now).filter(campaign=campaign)
