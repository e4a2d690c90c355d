"""Campaign pages: the list with case counts, a campaign's ledger (the case ledger narrowed to it),
the campaign form, and tagging a case. Writes go through `jiayuan.campaigns.services`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiayuan.campaigns import services
from jiayuan.campaigns.coverage import runs
from jiayuan.campaigns.forms import CampaignForm, CaseCampaignForm
from jiayuan.campaigns.models import Campaign
from jiayuan.campaigns.selectors import campaign_detail, campaign_ledger, campaign_list
from jiayuan.cases.filters import CaseFilter
from jiayuan.cases.forms import fit_ledger_filter_form
from jiayuan.cases.selectors import ledger
from jiayuan.cases.views import PAGER_PARAMETERS, STALE_VERSION, filter_data, ledger_context
from jiayuan.core import permissions
from jiayuan.core.exceptions import DomainError, NotPermitted
from jiayuan.core.views import ActorMixin, PartialTemplateView, View, paginate, partial_template

STATUS_LABELS = {
    "upcoming": gettext_lazy("Upcoming"),
    "active": gettext_lazy("Active"),
    "ended": gettext_lazy("Ended"),
}


def status_of(campaign: Campaign, today: dt.date) -> str:
    if campaign.starts_on > today:
        return "upcoming"
    return "ended" if campaign.ends_on < today else "active"


class CampaignListView(ActorMixin, PartialTemplateView):
    template_name = "campaigns/list.html"
    partial_name = "results"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = paginate(self.request, campaign_list(actor=self.actor))
        today = timezone.localdate()
        for campaign in page:
            campaign.status = status_of(campaign, today)
            campaign.status_label = STATUS_LABELS[campaign.status]
        context.update({"page_obj": page, "can_create": self.actor.has(permissions.CAMPAIGNS_MANAGE)})
        return context


class CampaignLedgerView(ActorMixin, PartialTemplateView):
    """The campaign's ledger: the case ledger page (counts, filters, table, export) of its cases."""

    template_name = "campaigns/detail.html"
    partial_name = "results"

    def get_template_names(self) -> list[str]:
        # The results partial lives in the case ledger's template, which this page extends.
        whole = partial_template(self.request, self.template_name, self.partial_name)
        return ["cases/ledger.html#results" if "#" in whole else whole]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        actor = self.actor
        campaign = campaign_detail(actor=actor, pk=self.kwargs["pk"])
        data = filter_data(self.request)
        data["campaign"] = str(campaign.pk)
        filterset = CaseFilter(data, queryset=campaign_ledger(actor=actor, campaign=campaign))
        # Paged by cursor and sorted like the case ledger whose template it shares (cases.views).
        context.update(ledger_context(self.request, filterset, actor=actor))
        form = fit_ledger_filter_form(filterset.form, actor=actor)
        form.fields["campaign"].widget = forms.HiddenInput()
        # The export link (the case ledger's export) needs the campaign in its query.
        query = self.request.GET.copy()
        for name in PAGER_PARAMETERS:
            query.pop(name, None)
        query["campaign"] = str(campaign.pk)
        context.update(
            {
                "campaign": campaign,
                "status_label": STATUS_LABELS[status_of(campaign, timezone.localdate())],
                "form": form,
                "query": query.urlencode(),
                "ledger_url": reverse("campaigns:detail", args=[campaign.pk]),
                "export_url": reverse("cases:export"),
                "can_edit": runs(actor, campaign.region),
            }
        )
        return context


def form_error(form: forms.Form, refused: DomainError) -> None:
    form.add_error(refused.field if refused.field in form.fields else None, str(refused.message))


class CampaignCreateView(ActorMixin, View):
    required_permission = permissions.CAMPAIGNS_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(CampaignForm(actor=self.actor))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CampaignForm(request.POST, actor=self.actor)
        if not form.is_valid():
            return self.render(form)
        try:
            campaign = services.campaign_create(actor=self.actor, **form.cleaned_data)
        except NotPermitted as refused:
            raise PermissionDenied from refused
        except DomainError as refused:
            form_error(form, refused)
            return self.render(form)
        messages.success(request, _("Campaign “%(name)s” launched.") % {"name": campaign.name})
        return redirect("campaigns:detail", pk=campaign.pk)

    def render(self, form: CampaignForm) -> HttpResponse:
        return render(self.request, "campaigns/form.html", {"form": form, "campaign": None})


class CampaignUpdateView(ActorMixin, View):
    required_permission = permissions.CAMPAIGNS_MANAGE

    def campaign(self, pk: int) -> Campaign:
        campaign = campaign_detail(actor=self.actor, pk=pk)
        if not runs(self.actor, campaign.region):
            raise PermissionDenied
        return campaign

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = self.campaign(pk)
        initial = {name: getattr(campaign, name) for name in services.CAMPAIGN_FIELDS}
        return self.render(CampaignForm(initial=initial, actor=self.actor, creating=False), campaign)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = self.campaign(pk)
        form = CampaignForm(request.POST, actor=self.actor, creating=False)
        if not form.is_valid():
            return self.render(form, campaign)
        try:
            services.campaign_update(actor=self.actor, campaign=campaign, **form.cleaned_data)
        except NotPermitted as refused:
            raise PermissionDenied from refused
        except DomainError as refused:
            form_error(form, refused)
            return self.render(form, campaign)
        messages.success(request, _("Campaign saved."))
        return redirect("campaigns:detail", pk=campaign.pk)

    def render(self, form: CampaignForm, campaign: Campaign) -> HttpResponse:
        return render(self.request, "campaigns/form.html", {"form": form, "campaign": campaign})


class CaseCampaignView(ActorMixin, View):
    """POST: tag a case with a campaign, or untag it; refusals and conflicts become messages."""

    http_method_names = ["post"]
    required_permission = permissions.CASES_ACCEPT

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        actor = self.actor
        case = get_object_or_404(ledger(actor=actor).select_related("campaign__region"), pk=pk)
        form = CaseCampaignForm(request.POST, actor=actor, case=case)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return redirect("cases:detail", pk=case.pk)
        if form.cleaned_data["version"] != case.version:
            messages.error(request, str(STALE_VERSION))
            return redirect("cases:detail", pk=case.pk)
        try:
            services.case_set_campaign(actor=actor, case=case, **form.cleaned_data)
        except NotPermitted as refused:
            raise PermissionDenied from refused
        except DomainError as refused:
            messages.error(request, str(refused.message))
        else:
            messages.success(request, _("Campaign saved."))
        return redirect("cases:detail", pk=case.pk)
