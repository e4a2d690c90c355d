"""The home page: the actor's work queue first, then an overview for each role the user holds."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.views.generic import TemplateView

from jiayuan.accounts.choices import SUPERVISORY_ROLES, Role
from jiayuan.audit.selectors import audit_overview
from jiayuan.core import permissions
from jiayuan.core.queues import previous_visit_from, queue_for
from jiayuan.core.views import ActorMixin
from jiayuan.dashboard.selectors import (
    department_overview,
    enterprise_overview,
    estate_overviews,
    supervision_overview,
)
from jiayuan.workdays.selectors import years_without_schedule

# Owners and committee members see their own estates. Listed here rather than taken from the
# role-to-reach mapping in accounts.choices, which only the framework uses (tests/test_architecture.py).
ESTATE_MEMBERS = (Role.COMMITTEE_MEMBER, Role.OWNER)


class HomeView(ActorMixin, TemplateView):
    """What needs attention, for each role the user holds. Anonymous users go to the login page."""

    template_name = "dashboard/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        actor = self.actor
        today = timezone.localdate()
        context["today"] = today
        # First: what this actor must do now, from every app that contributes (core/queues.py).
        queue = queue_for(
            actor, now=timezone.now(), today=today, previous_visit=previous_visit_from(self.request.session)
        )
        context["queue"] = [item for item in queue if not item.button]
        context["queue_buttons"] = [item for item in queue if item.button]
        if actor.has(permissions.ADMIN_SITE):
            # Deadlines in working days need each year's holidays: the platform's keepers are told
            # here (not by every manage.py command) when a year has none.
            context["years_without_schedule"] = years_without_schedule(today=today)
        if actor.has_role(*SUPERVISORY_ROLES):
            context["supervision"] = supervision_overview(actor=actor, today=today)
            context["read_only"] = actor.roles == {Role.AUDITOR}
        # Auditors and system administrators: the latest verification of the audit chain.
        context["audit"] = audit_overview(actor=actor)
        if actor.has_role(Role.DEPARTMENT_OFFICER):
            context["department"] = department_overview(actor=actor)
        if actor.has_role(Role.ENTERPRISE_STAFF):
            context["enterprise"] = enterprise_overview(actor=actor, today=today)
        if actor.has_role(*ESTATE_MEMBERS):
            context["estate_overviews"] = estate_overviews(actor=actor, today=today)
        return context
