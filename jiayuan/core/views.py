"""Base views: every page acts for an Actor and reads through selectors. Out of scope is 404.

Also the home page: what needs attention, per role.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views import View
from django.views.generic import TemplateView

from jiayuan.core.actor import Actor, actor_for

PAGE_SIZE = 20
HOME_ROWS = 10  # rows per attention list on the home page; the counts are complete


class ActorMixin(LoginRequiredMixin):
    """A logged-in page; `self.actor` is who acts. `required_permission` guards the whole view."""

    required_permission: str | None = None
    request: HttpRequest

    @property
    def actor(self) -> Actor:
        return actor_for(self.request.user)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.required_permission and not self.actor.has(self.required_permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"error": {"code": "not_found", "message": "Not found."}}, status=404)
    return render(request, "404.html", status=404)


def paginate(request: HttpRequest, queryset: QuerySet[Any], *, param: str = "page") -> Page[Any]:
    """One page of an ordered queryset (`?page=`); a bad or too-high number gives the nearest page."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(param))


def partial_template(request: HttpRequest, template: str, partial: str) -> str:
    """The whole page, or only its named partial when htmx asks for a fragment.

    A boosted request and the request htmx makes to restore history both need the whole page.
    """
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        return f"{template}#{partial}"
    return template


class PartialTemplateView(TemplateView):
    """A page whose `partial_name` part (django-template-partials) htmx can ask for alone.

    `Vary: HX-Request` keeps a browser from showing the cached fragment as the page on "back".
    """

    partial_name = ""

    def get_template_names(self) -> list[str]:
        return [
            partial_template(self.request, name, self.partial_name) for name in super().get_template_names()
        ]

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ("HX-Request",))
        return response


# Home page: what needs attention. Counts are SQL aggregates; lists show the first HOME_ROWS.


def supervision_overview(*, actor: Actor, today: dt.date) -> dict[str, Any]:
    """The housing bureau's, subdistrict's, community's and auditor's view of their jurisdiction."""
    from jiayuan.enterprises.models import Enterprise, ServiceContract
    from jiayuan.estates.choices import ManagementMode
    from jiayuan.estates.models import Estate
    from jiayuan.governance.selectors import term_warning_days, terms_ending

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
    terms = terms_ending(actor=actor, today=today)
    return {
        "warning_days": days,
        "estate_count": totals["estates"],
        "unit_count": totals["units"],
        "enterprise_count": Enterprise.objects.visible_to(actor).count(),
        "uncovered_count": uncovered.count(),
        "uncovered": list(uncovered[:HOME_ROWS]),
        "contracts_ending_count": ending.count(),
        "contracts_ending": list(ending[:HOME_ROWS]),
        "terms_ending_count": len(terms),
        "terms_ending": terms[:HOME_ROWS],
    }


def department_overview(*, actor: Actor) -> dict[str, Any]:
    """A department officer's department, its region, and how many estates lie there."""
    from jiayuan.accounts.choices import Role
    from jiayuan.accounts.selectors import memberships_of
    from jiayuan.estates.models import Estate

    memberships = [m for m in memberships_of(actor=actor) if m.role == Role.DEPARTMENT_OFFICER]
    return {
        "memberships": memberships,
        "estate_count": Estate.objects.visible_to(actor).count(),
    }


def enterprise_overview(*, actor: Actor, today: dt.date) -> dict[str, Any]:
    """Enterprise staff: the estates their enterprise serves today and its contracts."""
    from jiayuan.core.scoping import served_estate_ids
    from jiayuan.enterprises.models import Enterprise
    from jiayuan.enterprises.selectors import contract_list
    from jiayuan.estates.selectors import estate_list

    ids = actor.scope.enterprise_ids
    estates = estate_list(actor=actor).filter(pk__in=served_estate_ids(ids, today))
    contracts = contract_list(actor=actor).filter(enterprise_id__in=ids)
    return {
        "enterprises": list(Enterprise.objects.visible_to(actor).filter(pk__in=ids).order_by("name")),
        "estate_count": estates.count(),
        "estates": list(estates.select_related("community__parent__parent")[:HOME_ROWS]),
        "contract_count": contracts.count(),
        "contracts": list(contracts[:HOME_ROWS]),
    }


def estate_overviews(*, actor: Actor, today: dt.date) -> list[dict[str, Any]]:
    """Committee members and owners: per estate, the enterprise, contract, committee and contacts.

    A fixed number of queries whatever the number of estates.
    """
    from jiayuan.accounts.choices import OrganisationKind
    from jiayuan.accounts.models import Organisation
    from jiayuan.enterprises.models import ServiceContract
    from jiayuan.estates.models import Unit
    from jiayuan.estates.selectors import estate_list
    from jiayuan.governance.models import (
        ManagementCommittee,
        ManagementCommitteeMember,
        OwnersCommittee,
        OwnersCommitteeMember,
    )
    from jiayuan.governance.selectors import term_warning_days

    estates = list(
        estate_list(actor=actor)
        .filter(pk__in=actor.scope.estate_ids)
        .select_related("community__parent__parent")
    )
    if not estates:
        return []
    contracts = {
        c.estate_id: c
        for c in ServiceContract.objects.visible_to(actor)
        .in_force_on(today)
        .filter(estate__in=estates)
        .select_related("enterprise", "project_manager")
    }
    members = OwnersCommitteeMember.objects.order_by("post", "id")
    committees = {
        c.estate_id: c
        for c in OwnersCommittee.objects.visible_to(actor)
        .active()
        .filter(estate__in=estates)
        .prefetch_related(Prefetch("members", queryset=members))
    }
    mc_members = ManagementCommitteeMember.objects.order_by("post", "id")
    management = {
        c.estate_id: c
        for c in ManagementCommittee.objects.visible_to(actor)
        .active()
        .filter(estate__in=estates)
        .prefetch_related(Prefetch("members", queryset=mc_members))
    }
    # The community committee of a visible estate's community is public contact information.
    community_committees: dict[int, list[Organisation]] = {}
    for org in Organisation.objects.filter(
        kind=OrganisationKind.COMMUNITY_COMMITTEE, region_id__in={e.community_id for e in estates}
    ).order_by("name"):
        community_committees.setdefault(org.region_id, []).append(org)
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
                "community_committees": community_committees.get(estate.community_id, []),
                "units": my_units.get(estate.pk, []),
            }
        )
    return overviews


class HomeView(ActorMixin, TemplateView):
    """What needs attention, for each role the user holds. Anonymous users go to the login page."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from jiayuan.accounts.choices import ESTATE_ROLES, Role

        context = super().get_context_data(**kwargs)
        actor = self.actor
        today = timezone.localdate()
        context["today"] = today
        supervisors = (
            Role.CITY_ADMIN,
            Role.DISTRICT_OFFICER,
            Role.SUBDISTRICT_OFFICER,
            Role.COMMUNITY_OFFICER,
            Role.AUDITOR,
            Role.SYSTEM_ADMIN,
        )
        if actor.has_role(*supervisors):
            context["supervision"] = supervision_overview(actor=actor, today=today)
            context["read_only"] = actor.roles == {Role.AUDITOR}
        if actor.has_role(Role.DEPARTMENT_OFFICER):
            context["department"] = department_overview(actor=actor)
        if actor.has_role(Role.ENTERPRISE_STAFF):
            context["enterprise"] = enterprise_overview(actor=actor, today=today)
        if actor.has_role(*ESTATE_ROLES):
            context["estate_overviews"] = estate_overviews(actor=actor, today=today)
        return context


__all__ = [
    "ActorMixin",
    "HomeView",
    "PartialTemplateView",
    "View",
    "not_found",
    "paginate",
    "partial_template",
]
