from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from jiayuan.core.actor import Actor
from jiayuan.governance.models import (
    ManagementCommittee,
    ManagementCommitteeMember,
    OwnersCommittee,
    OwnersCommitteeMember,
)
from jiayuan.policy.loader import active_preset


def term_warning_days() -> int:
    """How many days before its end a term shows as ending soon (policy: governance.term_warning)."""
    return active_preset().data.governance.term_warning.days


def owners_committee_list(*, actor: Actor) -> QuerySet[OwnersCommittee]:
    """Owners' committees the actor sees, with members (`OwnersCommitteeFilter` narrows them)."""
    return (
        OwnersCommittee.objects.visible_to(actor)
        .select_related("estate__community")
        .prefetch_related(Prefetch("members", queryset=OwnersCommitteeMember.objects.order_by("post", "id")))
        .order_by("term_end", "id")
    )


def management_committee_list(*, actor: Actor) -> QuerySet[ManagementCommittee]:
    """Management committees (物管会) the actor sees, with members."""
    return (
        ManagementCommittee.objects.visible_to(actor)
        .select_related("estate__community")
        .prefetch_related(
            Prefetch("members", queryset=ManagementCommitteeMember.objects.order_by("post", "id"))
        )
        .order_by("term_end", "id")
    )


def terms_ending(
    *, actor: Actor, today: dt.date | None = None
) -> list[OwnersCommittee | ManagementCommittee]:
    """Active owners' and management committees whose term ends within the warning period."""
    day = today or timezone.localdate()
    days = term_warning_days()
    bodies: list[OwnersCommittee | ManagementCommittee] = []
    for model in (OwnersCommittee, ManagementCommittee):
        bodies.extend(
            model.objects.visible_to(actor).ending_within(today=day, days=days).select_related("estate")
        )
    return sorted(bodies, key=lambda body: body.term_end)
