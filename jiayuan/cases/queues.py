"""The cases' contribution to the work queues (jiayuan/core/queues.py): what each role must do now.

- community, subdistrict and district officers: counts of cases awaiting acceptance, overdue, due
  soon, awaiting verification and close-out, reopened, poorly rated and escalated to their level,
  each linking to the ledger filtered so (one aggregate query);
- the city housing bureau: the districts with the most overdue cases, and the cases escalated to
  the city (two queries);
- department officers and enterprise staff: the cases dispatched or referred to them, to start and
  to rectify, by deadline, the sent-back ones marked (two queries);
- owners' committee members: their estate's open and overdue cases (one query).
An owner's own complaints are intake's (jiayuan/intake/queues.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jiayuan.accounts.choices import Role
from jiayuan.cases import workflow
from jiayuan.cases.choices import HandlerKind, State
from jiayuan.cases.deadlines import due_at, due_soon_q, overdue_q
from jiayuan.cases.filters import escalated_q, reopened_q
from jiayuan.cases.models import Case, CaseEvent
from jiayuan.core.queues import QueueItem, QueueRequest, Urgency
from jiayuan.policy.loader import active_preset
from jiayuan.regions.choices import Level
from jiayuan.regions.models import Region

QUEUE_ROWS = 10  # cases listed one by one in a handler's queue; the rest are a count to the ledger

OFFICER_ROLES = (Role.COMMUNITY_OFFICER, Role.SUBDISTRICT_OFFICER, Role.DISTRICT_OFFICER)
# The escalation level (督办, policy.schema.ESCALATION_LEVELS) each supervising role answers for.
ESCALATION_LEVEL_OF_ROLE = {
    Role.SUBDISTRICT_OFFICER: "subdistrict",
    Role.DISTRICT_OFFICER: "district",
    Role.CITY_ADMIN: "city",
}
HANDLER_STATES = (State.DISPATCHED, State.IN_PROGRESS)


def ledger_url(**params: Any) -> str:
    """The ledger filtered by the given query parameters (those of `CaseFilter`)."""
    query = urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
    return f"{reverse('cases:ledger')}?{query}"


def urgency_of(deadline: dt.datetime | None, now: dt.datetime) -> Urgency:
    """Overdue, due soon (the preset's window) or merely to do, by a deadline."""
    if deadline is None:
        return Urgency.TO_DO
    if deadline < now:
        return Urgency.OVERDUE
    if deadline - now <= dt.timedelta(hours=active_preset().data.cases.due_soon.hours):
        return Urgency.DUE_SOON
    return Urgency.TO_DO


def earliest(*moments: dt.datetime | None) -> dt.datetime | None:
    present = [m for m in moments if m is not None]
    return min(present) if present else None


def case_queue(request: QueueRequest) -> Iterable[QueueItem]:
    actor = request.actor
    items: list[QueueItem] = []
    if actor.has_role(*OFFICER_ROLES):
        items += officer_items(request)
    if actor.has_role(Role.CITY_ADMIN):
        items += city_items(request)
    if actor.has_role(Role.DEPARTMENT_OFFICER, Role.ENTERPRISE_STAFF):
        items += handler_items(request)
    if actor.has_role(Role.COMMITTEE_MEMBER):
        items += committee_items(request)
    return items


def escalation_level(actor: Any) -> str | None:
    """The highest escalation level the actor answers for (the city over a district ...)."""
    levels = [level for role, level in ESCALATION_LEVEL_OF_ROLE.items() if actor.has_role(role)]
    return max(levels, key=["subdistrict", "district", "city"].index) if levels else None


def officer_items(request: QueueRequest) -> list[QueueItem]:
    """Counts over the officer's ledger, with the earliest deadline of each (one aggregate query)."""
    now, actor = request.now, request.actor
    preset = active_preset()
    submitted = Q(state=State.SUBMITTED)
    acceptance = Q(state__in=sorted(workflow.ACCEPTANCE_CLOCK))
    rectification = Q(state__in=sorted(workflow.RECTIFICATION_CLOCK))
    overdue, due_soon = overdue_q(now), due_soon_q(now, preset)
    level = escalation_level(actor)
    aggregates: dict[str, Any] = {
        "submitted": Count("pk", filter=submitted),
        "submitted_due": Min("accept_due_at", filter=submitted),
        "overdue": Count("pk", filter=overdue),
        "overdue_accept": Min("accept_due_at", filter=overdue & acceptance),
        "overdue_rectify": Min("deadline", filter=overdue & rectification),
        "due_soon": Count("pk", filter=due_soon),
        "due_soon_accept": Min("accept_due_at", filter=due_soon & acceptance),
        "due_soon_rectify": Min("deadline", filter=due_soon & rectification),
        "rectified": Count("pk", filter=Q(state=State.RECTIFIED)),
        "verified": Count("pk", filter=Q(state=State.VERIFIED)),
        "reopened": Count("pk", filter=reopened_q()),
        "reopened_due": Min("deadline", filter=reopened_q() & rectification),
        "poor": Count("pk", filter=Q(rating__lte=preset.data.cases.poor_rating.max)),
    }
    if level is not None:
        aggregates["escalated"] = Count("pk", filter=escalated_q(level))
    c = Case.objects.visible_to(actor).order_by().aggregate(**aggregates)
    items: list[QueueItem] = []

    def add(kind: str, count: int, title: str, url: str, urgency: Urgency, deadline: Any = None) -> None:
        if count:
            items.append(
                QueueItem(
                    kind=kind,
                    title=title,
                    count=count,
                    url=url,
                    urgency=urgency,
                    deadline=deadline,
                    group=_("Cases"),
                    weight=count,
                )
            )

    add(
        "cases.awaiting_acceptance",
        c["submitted"],
        _("Cases awaiting acceptance"),
        ledger_url(state=State.SUBMITTED),
        urgency_of(c["submitted_due"], now),
        c["submitted_due"],
    )
    add(
        "cases.overdue",
        c["overdue"],
        _("Overdue cases"),
        ledger_url(overdue="true"),
        Urgency.OVERDUE,
        earliest(c["overdue_accept"], c["overdue_rectify"]),
    )
    add(
        "cases.due_soon",
        c["due_soon"],
        _("Cases due soon"),
        ledger_url(due_soon="true"),
        Urgency.DUE_SOON,
        earliest(c["due_soon_accept"], c["due_soon_rectify"]),
    )
    add(
        "cases.awaiting_verification",
        c["rectified"],
        _("Rectified cases awaiting verification"),
        ledger_url(state=State.RECTIFIED),
        Urgency.TO_DO,
    )
    add(
        "cases.awaiting_close_out",
        c["verified"],
        _("Verified cases awaiting close-out"),
        ledger_url(state=State.VERIFIED),
        Urgency.TO_DO,
    )
    add(
        "cases.reopened",
        c["reopened"],
        _("Cases reopened by the complainant"),
        ledger_url(reopened="true"),
        urgency_of(c["reopened_due"], now),
        c["reopened_due"],
    )
    add(
        "cases.poor_rating",
        c["poor"],
        _("Cases rated poorly by the complainant"),
        ledger_url(poor_rating="true"),
        Urgency.INFO,
    )
    if level is not None:
        add(
            "cases.escalated",
            c["escalated"],
            _("Overdue cases escalated to your level (%(level)s)") % {"level": Level(level).label},
            ledger_url(escalated=level),
            Urgency.OVERDUE,
        )
    return items


def city_items(request: QueueRequest) -> list[QueueItem]:
    """The districts with the most overdue cases, and the cases escalated to the city (two queries)."""
    actor, now = request.actor, request.now
    scope = actor.scope
    districts = [
        d
        for d in Region.objects.filter(level=Level.DISTRICT).order_by("path")
        if scope.everything or scope.covers_path(d.path)
    ]
    aggregates: dict[str, Any] = {
        f"d{d.pk}": Count("pk", filter=Q(estate__community__path__startswith=d.path)) for d in districts
    }
    aggregates["escalated"] = Count("pk", filter=escalated_q("city"))
    counts = Case.objects.visible_to(actor).filter(overdue_q(now)).order_by().aggregate(**aggregates)
    items = [
        QueueItem(
            kind="cases.district_overdue",
            title=d.name,
            detail=ngettext("%(count)d overdue case", "%(count)d overdue cases", n) % {"count": n},
            count=n,
            url=ledger_url(overdue="true", region=d.pk),
            urgency=Urgency.OVERDUE,
            group=_("Districts with the most overdue cases"),
            weight=n,
        )
        for d in districts
        if (n := counts[f"d{d.pk}"])
    ]
    items.sort(key=lambda item: -item.weight)
    items = items[:QUEUE_ROWS]
    if counts["escalated"]:
        items.append(
            QueueItem(
                kind="cases.escalated",
                title=_("Overdue cases escalated to your level (%(level)s)") % {"level": Level.CITY.label},
                count=counts["escalated"],
                url=ledger_url(escalated="city"),
                urgency=Urgency.OVERDUE,
                group=_("Cases"),
                weight=counts["escalated"] + 1_000_000,  # before the districts: the city's own duty
            )
        )
    return items


def handler_cases_q(actor: Any) -> Q:
    """Cases dispatched or referred to the actor's enterprise or department, to start or rectify."""
    mine = Q(pk__in=[])
    if actor.has_role(Role.ENTERPRISE_STAFF):
        enterprise_ids = sorted(actor.scope.enterprise_ids)
        mine |= Q(handler_kind=HandlerKind.ENTERPRISE, handler_enterprise_id__in=enterprise_ids)
    if actor.has_role(Role.DEPARTMENT_OFFICER):
        mine |= Q(handler_kind=HandlerKind.DEPARTMENT, handler_department_id__in=sorted(actor.department_ids))
    return mine & Q(state__in=HANDLER_STATES)


def handler_items(request: QueueRequest) -> list[QueueItem]:
    """The cases the actor's body must start or rectify, by deadline (two queries)."""
    actor, now = request.actor, request.now
    preset = active_preset()
    cases = Case.objects.visible_to(actor).filter(handler_cases_q(actor))
    sent_back = Exists(CaseEvent.objects.filter(case=OuterRef("pk"), transition="send_back"))
    total = cases.count()
    rows = list(
        cases.annotate(was_sent_back=sent_back)
        .select_related("estate")
        .order_by("deadline", "id")[:QUEUE_ROWS]
    )
    items = []
    for case in rows:
        category = preset.categories.get(case.category)
        to_start = case.state == State.DISPATCHED
        deadline = due_at(case)
        if case.was_sent_back:
            kind, group = "cases.sent_back", _("Sent back: rectify again")
        elif to_start:
            kind, group = "cases.to_start", _("Cases to start")
        else:
            kind, group = "cases.to_rectify", _("Cases to rectify")
        items.append(
            QueueItem(
                kind=kind,
                title=f"{case.number} · {category.name if category else case.category}",
                detail=case.estate.name,
                url=reverse("cases:detail", args=[case.pk]),
                urgency=urgency_of(deadline, now),
                deadline=deadline,
                action=str(_("Start work") if to_start else _("Report rectification")),
                group=group,
            )
        )
    if total > len(rows):
        items.append(
            QueueItem(
                kind="cases.handler_more",
                title=_("All cases to start or rectify"),
                count=total,
                url=handler_ledger_url(actor),
                urgency=Urgency.INFO,
                group=_("Cases"),
            )
        )
    return items


def handler_ledger_url(actor: Any) -> str:
    """The ledger narrowed to the body's cases when it is one body (the filters take one id)."""
    params: dict[str, Any] = {"state": list(HANDLER_STATES)}
    enterprises, departments = actor.scope.enterprise_ids, actor.department_ids
    if len(enterprises) == 1 and not departments:
        params["enterprise"] = next(iter(enterprises))
    elif len(departments) == 1 and not enterprises:
        params["department"] = next(iter(departments))
    return ledger_url(**params)


def committee_items(request: QueueRequest) -> list[QueueItem]:
    """Per estate of the committee: its open cases and its overdue ones (one query)."""
    actor, now = request.actor, request.now
    estate_ids = actor.scope.estate_ids
    rows = (
        Case.objects.visible_to(actor)
        .filter(estate_id__in=sorted(estate_ids), state__in=sorted(workflow.OPEN_STATES))
        .values("estate_id", "estate__name")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(now)))
        .order_by("estate__name", "estate_id")
    )
    items = []
    for row in rows:
        estate, name = row["estate_id"], row["estate__name"]
        if row["overdue"]:
            items.append(
                QueueItem(
                    kind="cases.estate_overdue",
                    title=_("Overdue cases at %(estate)s") % {"estate": name},
                    count=row["overdue"],
                    url=ledger_url(estate=estate, overdue="true"),
                    urgency=Urgency.OVERDUE,
                    group=_("Your estate's cases"),
                    weight=row["overdue"],
                )
            )
        items.append(
            QueueItem(
                kind="cases.estate_open",
                title=_("Open cases at %(estate)s") % {"estate": name},
                count=row["open"],
                url=ledger_url(estate=estate, open="true"),
                urgency=Urgency.INFO,
                group=_("Your estate's cases"),
                weight=row["open"],
            )
        )
    return items
