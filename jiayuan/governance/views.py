"""Owner bodies: owners' committees (filter: term ending soon) and management committees; and the
registry pages that register an owners' committee and record its filing (备案) and term end."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from jiayuan.core import permissions
from jiayuan.core.exceptions import DomainError, NotPermitted
from jiayuan.core.forms import add_domain_error
from jiayuan.core.views import ActorMixin, View, paginate
from jiayuan.estates.models import Estate
from jiayuan.estates.selectors import estate_list
from jiayuan.governance import services
from jiayuan.governance.choices import BodyStatus
from jiayuan.governance.filters import OwnersCommitteeFilter
from jiayuan.governance.forms import OwnersCommitteeRegisterForm, OwnersCommitteeUpdateForm
from jiayuan.governance.models import OwnersCommittee
from jiayuan.governance.selectors import (
    management_committee_list,
    owners_committee_list,
    term_warning_days,
)


class OwnerBodyListView(ActorMixin, TemplateView):
    template_name = "governance/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        actor = self.actor
        today = timezone.localdate()
        days = term_warning_days()
        filterset = OwnersCommitteeFilter(
            self.request.GET or None, queryset=owners_committee_list(actor=actor), request=self.request
        )
        committees = paginate(self.request, filterset.qs)
        management = paginate(self.request, management_committee_list(actor=actor), param="mc_page")
        context.update(
            {
                "today": today,
                "warning_days": days,
                "status_choices": BodyStatus.choices,
                "status": self.request.GET.get("status", ""),
                "ending_soon": self.request.GET.get("ending_soon") == "true",
                "committees_page": committees,
                "committees": [(c, c.term_ends_within(today, days)) for c in committees],
                "management_page": management,
                "management": [(c, c.term_ends_within(today, days)) for c in management],
            }
        )
        return context


def run_service(form: forms.Form, write: Any) -> bool:
    """Call `write()` (a service); a refusal lands on the form, a missing permission is a 403."""
    try:
        write()
    except NotPermitted as refused:
        raise PermissionDenied from refused
    except DomainError as refused:
        add_domain_error(form, refused)
        return False
    return True


def form_page(request: HttpRequest, form: forms.Form, estate: Estate, title: str) -> HttpResponse:
    context = {"form": form, "estate": estate, "title": title}
    return render(request, "governance/form.html", context)


class OwnersCommitteeRegisterView(ActorMixin, View):
    """Register the elected owners' committee of an estate, with its members, term and filing."""

    required_permission = permissions.GOVERNANCE_CHANGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        estate = get_object_or_404(estate_list(actor=self.actor), pk=pk)
        return form_page(request, OwnersCommitteeRegisterForm(), estate, _("Register an owners' committee"))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        estate = get_object_or_404(estate_list(actor=self.actor), pk=pk)
        form = OwnersCommitteeRegisterForm(request.POST)
        if form.is_valid() and run_service(
            form,
            lambda: services.owners_committee_register(actor=self.actor, estate=estate, **form.cleaned_data),
        ):
            messages.success(request, _("Owners' committee registered."))
            return redirect("estates:detail", pk=estate.pk)
        return form_page(request, form, estate, _("Register an owners' committee"))


class OwnersCommitteeUpdateView(ActorMixin, View):
    """Record the committee's filing (备案) or change the end of its term."""

    required_permission = permissions.GOVERNANCE_CHANGE

    def committee(self, pk: int) -> OwnersCommittee:
        return get_object_or_404(
            OwnersCommittee.objects.visible_to(self.actor).select_related("estate"), pk=pk
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        committee = self.committee(pk)
        initial = {name: getattr(committee, name) for name in services.COMMITTEE_FIELDS}
        return form_page(request, OwnersCommitteeUpdateForm(initial=initial), committee.estate, self.title())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        committee = self.committee(pk)
        form = OwnersCommitteeUpdateForm(request.POST)
        if form.is_valid() and run_service(
            form,
            lambda: services.owners_committee_update(
                actor=self.actor, committee=committee, **form.cleaned_data
            ),
        ):
            messages.success(request, _("Saved."))
            return redirect("estates:detail", pk=committee.estate_id)
        return form_page(request, form, committee.estate, self.title())

    @staticmethod
    def title() -> str:
        return _("Owners' committee: filing and term end")
