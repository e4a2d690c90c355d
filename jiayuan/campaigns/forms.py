"""Forms of the campaign pages: a campaign, and tagging one case with a campaign."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jiayuan.campaigns.coverage import runnable_regions
from jiayuan.campaigns.models import Campaign
from jiayuan.cases.models import Case
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.regions.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.Form):
    """A campaign's fields; the region only when it is created (cases hang on it afterwards)."""

    region = forms.ModelChoiceField(
        queryset=Region.objects.none(),
        label=_("Region"),
        help_text=_("The city, district or subdistrict whose body runs the campaign."),
    )
    name = forms.CharField(max_length=120, label=_("Name"))
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    basis = forms.CharField(
        max_length=200,
        required=False,
        label=_("Basis"),
        help_text=_("The document and clause that launch it."),
    )
    description = forms.CharField(
        required=False, label=_("Description"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, actor: Actor, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            region: Any = self.fields["region"]
            region.queryset = runnable_regions(actor).order_by("path")
        else:
            del self.fields["region"]


def covering_campaigns(actor: Actor, case: Case) -> QuerySet[Campaign]:
    """The campaigns the actor sees whose region contains the case's estate (one query)."""
    codes = [code for code in case.estate.community.path.split("/") if code]
    prefixes = ["/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
    return Campaign.objects.visible_to(actor).filter(region__path__in=prefixes).order_by("-starts_on", "-id")


class CaseCampaignForm(forms.Form):
    """Tag a case with a campaign that covers its estate, or untag it (empty)."""

    version = forms.IntegerField(widget=forms.HiddenInput())
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.none(), required=False, label=_("Campaign"), empty_label=_("None")
    )

    def __init__(self, *args: Any, actor: Actor, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["campaign"]
        field.queryset = covering_campaigns(actor, case)


def case_campaign_context(actor: Actor, case: Case) -> dict[str, Any]:
    """For a case's page: its campaign if the actor sees it, and the tagging form if they may tag."""
    campaign = None
    if case.campaign_id is not None:
        campaign = Campaign.objects.visible_to(actor).filter(pk=case.campaign_id).first()
    form = None
    if actor.has(permissions.CASES_ACCEPT) and actor.can_see(case, permission=permissions.CASES_ACCEPT):
        initial = {"version": case.version, "campaign": case.campaign_id}
        form = CaseCampaignForm(initial=initial, actor=actor, case=case, auto_id="id_campaign_%s")
    return {"case_campaign": campaign, "campaign_form": form}
