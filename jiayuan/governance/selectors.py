from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.utils import timezone

from jiayuan.core.actor import Actor
from jiayuan.governance.choices import Post
from jiayuan.governance.models import (
    ManagementCommittee,
    ManagementCommitteeMember,
    MemberBase,
    OwnersCommittee,
    OwnersCommitteeMember,
)
from jiayuan.policy.loader import active_preset

MemberT = TypeVar("MemberT", bound=MemberBase)


def term_warning_days() -> int:
    """How many days before its end a term shows as ending soon (policy: governance.term_warning)."""
    return active_preset().data.governance.term_warning.days


def members_by_post(model: type[MemberT]) -> QuerySet[MemberT]:
    """Committee members director first, then deputies, then members; by id within a post.

    Ranked in SQL: ordering by the text of `post` would put "deputy_director" before "director".
    For a `Prefetch` under committees the actor sees, so not scoped itself.
    """
    rank = Case(
        When(post=Post.DIRECTOR, then=Value(0)),
        When(post=Post.DEPUTY_DIRECTOR, then=Value(1)),
        When(post=Post.MEMBER, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return model._default_manager.alias(post_rank=rank).order_by("post_rank", "id")


def owners_committee_list(*, actor: Actor) -> QuerySet[OwnersCommittee]:
    """Owners' committees the actor sees, with members (`OwnersCommitteeFilter` narrows them)."""
    return (
        OwnersCommittee.objects.visible_to(actor)
        .select_related("estate__community")
        .prefetch_related(Prefetch("members", queryset=members_by_post(OwnersCommitteeMember)))
        .order_by("term_end", "id")
    )


def management_committee_list(*, actor: Actor) -> QuerySet[ManagementCommittee]:
    """Management committees (物管会) the actor sees, with members."""
    return (
        ManagementCommittee.objects.visible_to(actor)
        .select_related("estate__community")
        .prefetch_related(Prefetch("members", queryset=members_by_post(ManagementCommitteeMember)))
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


def terms_ending_count(*, actor: Actor, today: dt.date | None = None) -> int:
    """How many bodies `terms_ending` lists, counted in SQL (two COUNT queries, no rows loaded)."""
    day = today or timezone.localdate()
    days = term_warning_days()
    return sum(
        model.objects.visible_to(actor).ending_within(today=day, days=days).count()
        for model in (OwnersCommittee, ManagementCommittee)
    )
