"""Reads of cases for users: the ledger (问题整改台账), its counts, and one case with its timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jiayuan.cases.choices import State
from jiayuan.cases.deadlines import overdue_q, with_overdue
from jiayuan.cases.models import Case, CaseEvent
from jiayuan.cases.timeline import events_with_actors
from jiayuan.cases.workflow import OPEN_STATES
from jiayuan.core.actor import Actor
from jiayuan.estates.models import Estate, Owner
from jiayuan.policy.loader import active_preset


def visible_estates(actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the estates the actor sees, by name (one query): a page that shows the ledger
    and an estate filter resolves them once for both (`ledger(estate_ids=...)`)."""
    return list(Estate.objects.visible_to(actor).order_by("name", "pk").values_list("pk", "name"))


def ledger(
    *, actor: Actor, now: dt.datetime | None = None, estate_ids: list[int] | None = None
) -> QuerySet[Case]:
    """The cases the actor sees, newest first, with `is_overdue` and `is_poor_rating` annotated.

    `CaseFilter` narrows it; the query count does not grow with the number of rows. A long list
    (the ledger page, the API list) passes `estate_ids`, the actor's visible estates resolved once
    for the request (`visible_estates`, `visible_estate_ids`): the scope is then `estate_id IN (...)`,
    which beats the join over the regions on every page; one case by id keeps the join (one query).
    """
    now = now or timezone.now()
    poor = active_preset().data.cases.poor_rating.max
    cases = Case.objects.visible_to(actor, estate_ids=estate_ids).select_related(
        "estate__community", "handler_enterprise", "handler_department", "handler_region"
    )
    return (
        with_overdue(cases, now).annotate(is_poor_rating=Q(rating__lte=poor)).order_by("-created_at", "-id")
    )


# What a line of the ledger shows (the page, the API list): the complainant's phone and name (masked
# on the line), the rectification's text and the rest stay in the database. Fewer columns read and
# fewer fields set on each model: a page of 20 lines costs the database and Python less.
LINE_FIELDS = (
    "number", "version", "category", "description", "moderated_description", "source", "urgency",
    "state", "outcome", "complainant_name", "complainant_phone", "handler_kind", "responsible_person",
    "accept_due_at", "deadline", "escalation_level", "reopen_count", "rating", "campaign_id",
    "created_at", "closed_at",
    "estate__name", "estate__community__name",
    "handler_enterprise__name", "handler_department__name", "handler_region__name",
)  # fmt: skip


def ledger_lines(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The ledger's lines only: `ledger()` (filtered) reading just the columns a line shows."""
    return cases.only(*LINE_FIELDS)


def case_detail(*, actor: Actor, pk: int, now: dt.datetime | None = None) -> Case:
    """One case the actor sees, with its timeline prefetched; out of scope is the same 404 as missing."""
    events = Prefetch("events", queryset=events_with_actors(CaseEvent.objects.order_by("at", "id")))
    cases = ledger(actor=actor, now=now).select_related("duplicate_of")
    return get_object_or_404(cases.prefetch_related(events, duplicates_prefetch()), pk=pk)


def duplicates_prefetch() -> Prefetch:
    """The cases closed out as duplicates of a case (its `duplicates`), by number: both pages link."""
    return Prefetch(
        "duplicates", queryset=Case.objects.only("id", "number", "duplicate_of").order_by("number")
    )


# The filing's record of the open cases its filer confirmed were another problem.
ALONGSIDE = "confirmed_not_duplicate_of"


def filed_alongside(case: Case) -> list[Case]:
    """The cases filed while this one was open, on the same problem at the same estate, whose filer
    confirmed they differ (`confirmed_not_duplicate_of`): the other side of their "filed although"
    link. One query, over the estate's later cases of the category only."""
    later = CaseEvent.objects.filter(
        transition="file",
        case__estate_id=case.estate_id,
        case__category=case.category,
        case__created_at__gte=case.created_at,
    ).exclude(case_id=case.pk)
    rows = later.select_related("case").only("data", "case__id", "case__number").order_by("case__number")
    return [
        event.case
        for event in rows
        if case.number in (event.data or {}).get("confirmed_not_duplicate_of", [])
    ]


def filed_although(case: Case) -> list[Case]:
    """The open cases this one was filed alongside (its filing's `confirmed_not_duplicate_of`), by
    number, among the cases at its estate (one query, none when there were none)."""
    events = case.events.all()
    numbers: list[str] = next((e.data.get(ALONGSIDE, []) for e in events if e.transition == "file"), [])
    if not numbers:
        return []
    return list(
        Case.objects.filter(estate_id=case.estate_id, number__in=numbers)
        .only("pk", "number")
        .order_by("number")
    )


def ledger_counts(
    *, actor: Actor, qs: QuerySet[Case] | None = None, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Counts for the top of a ledger, in one aggregate query: per state, overdue, poor ratings.

    `qs` is the (filtered) ledger; unless it was narrowed for this actor already (it starts from
    `ledger(actor=actor)`), it is narrowed to the actor's scope, so counts never include what the
    actor cannot see.
    """
    now = now or timezone.now()
    poor = active_preset().data.cases.poor_rating.max
    cases: Any = qs if qs is not None else Case.objects.all()
    if getattr(cases, "scoped_for", None) is not actor:
        cases = cases.filter(Case.scope_filter(actor.scope))
    # Counting estate_id (never null), not the pk: every column read is then in the covering index
    # `case_estate_state_cover`, so PostgreSQL counts a region's cases from the index alone.
    aggregates: dict[str, Any] = {state: Count("estate_id", filter=Q(state=state)) for state in State.values}
    aggregates["total"] = Count("estate_id")
    aggregates["overdue"] = Count("estate_id", filter=overdue_q(now))
    aggregates["poor_rating"] = Count("estate_id", filter=Q(rating__lte=poor))
    aggregates["fixed"] = Count("estate_id", filter=Q(state=State.CLOSED_OUT, outcome="fixed"))
    return cases.order_by().aggregate(**aggregates)


def complaints_of(*, actor: Actor) -> QuerySet[Case]:
    """The cases the actor filed, among those they see: by their account, or by the phone of their
    account or of their owner record (a complaint filed by QR code carries only the phone).

    Open ones first, then the closed, each newest first. One query.
    """
    user = actor.user
    if getattr(user, "pk", None) is None:
        return Case.objects.none()
    mine = Q(complainant_user=user)
    phones = Owner.objects.filter(user=user).exclude(phone="").values("phone")
    mine |= Q(complainant_phone__in=phones)
    if getattr(user, "phone", ""):
        mine |= Q(complainant_phone=user.phone)
    open_first = Case.objects.visible_to(actor).filter(mine).select_related("estate")
    return open_first.annotate(
        is_open=Q(state__in=sorted(OPEN_STATES)),
    ).order_by("-is_open", "-created_at", "-id")
