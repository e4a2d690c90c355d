"""The home page's reads: what needs attention, per role.

Counts are SQL aggregates; lists show the first HOME_ROWS.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Sum
from django.db.models.functions import Coalesce

from jiayuan.accounts.choices import Role
from jiayuan.accounts.selectors import community_contacts, memberships_of
from jiayuan.cases.models import Case
from jiayuan.core.actor import Actor
from jiayuan.core.scoping import served_estate_ids
from jiayuan.enterprises.models import Enterprise, ServiceContract
from jiayuan.enterprises.selectors import contract_list
from jiayuan.estates.choices import ManagementMode
from jiayuan.estates.models import Estate, Unit
from jiayuan.estates.selectors import estate_list
from jiayuan.governance.models import (
    ManagementCommittee,
    ManagementCommitteeMember,
    OwnersCommittee,
    OwnersCommitteeMember,
)
from jiayuan.governance.selectors import (
    members_by_post,
    term_warning_days,
    terms_ending,
    terms_ending_count,
)
from jiayuan.policy.loader import active_preset

HOME_ROWS = 10  # rows per attention list on the home page; the counts are complete


def supervision_overview(*, actor: Actor, today: dt.date) -> dict[str, Any]:
    """The housing bureau's, subdistrict's, community's and auditor's view of their jurisdiction."""
    days = term_warning_days()
    estates = Estate.objects.visible_to(actor)
    totals = estates.aggregate(estates=Count("pk"), units=Coalesce(Sum("unit_count"), 0))
    in_force = ServiceContract.objects.in_force_on(today).values("estate_id")
    uncovered = (
        estates.filter(management_mode=ManagementMode.ENTERPRISE)
        .exclude(pk__in=in_force)
        .select_related("community__parent")
        .order_by("name", "id")
    )
    ending = (
        ServiceContract.objects.visible_to(actor)
        .in_force_on(today)
        .filter(end_date__lte=today + dt.timedelta(days=days))
        .select_related("estate", "enterprise")
        .order_by("end_date", "id")
    )
    return {
        "warning_days": days,
        "estate_count": totals["estates"],
        "unit_count": totals["units"],
        "enterprise_count": Enterprise.objects.visible_to(actor).count(),
        "uncovered_count": uncovered.count(),
        "uncovered": list(uncovered[:HOME_ROWS]),
        "contracts_ending_count": ending.count(),
        "contracts_ending": list(ending[:HOME_ROWS]),
        "terms_ending_count": terms_ending_count(actor=actor, today=today),
        "terms_ending": terms_ending(actor=actor, today=today)[:HOME_ROWS],
        "poor_rating_count": poor_rating_count(actor=actor),
    }


def poor_rating_count(*, actor: Actor) -> int:
    """Closed-out cases the complainant rated at or below the preset's poor mark (one query)."""
    poor = active_preset().data.cases.poor_rating.max
    return Case.objects.visible_to(actor).filter(rating__lte=poor).count()


def department_overview(*, actor: Actor) -> dict[str, Any]:
    """A department officer's department, its region, and how many estates lie there."""
    memberships = [m for m in memberships_of(actor=actor) if m.role == Role.DEPARTMENT_OFFICER]
    return {
        "memberships": memberships,
        "estate_count": Estate.objects.visible_to(actor).count(),
    }


def enterprise_overview(*, actor: Actor, today: dt.date) -> dict[str, Any]:
    """Enterprise staff: the estates their enterprise serves today and its contracts."""
    ids = actor.scope.enterprise_ids
    estates = estate_list(actor=actor).filter(pk__in=served_estate_ids(ids, today))
    contracts = contract_list(actor=actor).filter(enterprise_id__in=ids)
    return {
        "enterprises": list(Enterprise.objects.visible_to(actor).filter(pk__in=ids).order_by("name")),
        "estate_count": estates.count(),
        "estates": list(estates[:HOME_ROWS]),
        "contract_count": contracts.count(),
        "contracts": list(contracts[:HOME_ROWS]),
    }


def estate_overviews(*, actor: Actor, today: dt.date) -> list[dict[str, Any]]:
    """Committee members and owners: per estate, the enterprise, contract, committee and contacts.

    A fixed number of queries whatever the number of estates.
    """
    estates = list(estate_list(actor=actor).filter(pk__in=actor.scope.estate_ids))
    if not estates:
        return []
    contracts = {
        c.estate_id: c
        for c in ServiceContract.objects.visible_to(actor)
        .in_force_on(today)
        .filter(estate__in=estates)
        .select_related("enterprise", "project_manager")
    }
    committees = {
        c.estate_id: c
        for c in OwnersCommittee.objects.visible_to(actor)
        .active()
        .filter(estate__in=estates)
        .prefetch_related(Prefetch("members", queryset=members_by_post(OwnersCommitteeMember)))
    }
    management = {
        c.estate_id: c
        for c in ManagementCommittee.objects.visible_to(actor)
        .active()
        .filter(estate__in=estates)
        .prefetch_related(Prefetch("members", queryset=members_by_post(ManagementCommitteeMember)))
    }
    contacts = community_contacts(communities={e.community_id for e in estates})
    my_units: dict[int, list[Unit]] = {}
    for unit in (
        Unit.objects.visible_to(actor)
        .filter(estate__in=estates, ownerships__owner__user=actor.user)
        .select_related("building")
        .distinct()
        .order_by("building__number", "number")
    ):
        my_units.setdefault(unit.estate_id, []).append(unit)
    days = term_warning_days()
    overviews = []
    for estate in estates:
        committee = committees.get(estate.pk) or management.get(estate.pk)
        overviews.append(
            {
                "estate": estate,
                "contract": contracts.get(estate.pk),
                "committee": committee,
                "committee_is_management": estate.pk not in committees and committee is not None,
                "committee_ending_soon": bool(committee and committee.term_ends_within(today, days)),
                "community_committees": contacts.get(estate.community_id, []),
                "units": my_units.get(estate.pk, []),
            }
        )
    return overviews
