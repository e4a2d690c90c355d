"""Forms of the estate pages. Filtering itself is `EstateFilter`; these forms only render the inputs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiayuan.core.actor import Actor
from jiayuan.estates.choices import EstateType, ManagementMode
from jiayuan.estates.hooks import enterprise_lookup
from jiayuan.regions.choices import Level
from jiayuan.regions.models import Region


def region_choices(actor: Actor, selected: str | None) -> list[tuple[str, str]]:
    """Districts and subdistricts the actor sees (communities too when nothing larger is visible).

    The region given in the query is kept as a choice, so a link from the region browser shows it.
    """
    visible = Region.objects.visible_to(actor).exclude(level=Level.CITY)
    larger = visible.exclude(level=Level.COMMUNITY)
    regions = list(larger.order_by("path")[:500]) or list(visible.order_by("path")[:500])
    if selected and selected.isdigit() and all(str(r.pk) != selected for r in regions):
        regions.extend(visible.filter(pk=int(selected)))
    indent = {Level.DISTRICT: "", Level.SUBDISTRICT: "\u3000", Level.COMMUNITY: "\u3000\u3000"}
    return [("", str(_("All regions")))] + [
        (str(r.pk), f"{indent.get(r.level, '')}{r.name}") for r in sorted(regions, key=lambda r: r.path)
    ]


class EstateSearchForm(forms.Form):
    search = forms.CharField(label=_("Name"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    management_mode = forms.ChoiceField(
        label=_("Management mode"),
        required=False,
        choices=[("", _("All modes")), *ManagementMode.choices],
    )
    estate_type = forms.ChoiceField(
        label=_("Estate type"), required=False, choices=[("", _("All types")), *EstateType.choices]
    )
    enterprise = forms.ChoiceField(label=_("Enterprise"), required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        data = self.data if self.is_bound else {}
        region_field: Any = self.fields["region"]
        region_field.choices = region_choices(actor, data.get("region"))
        enterprises = enterprise_lookup().choices(actor)
        enterprise_field: Any = self.fields["enterprise"]
        enterprise_field.choices = [("", _("All enterprises"))] + [
            (str(pk), name) for pk, name in enterprises
        ]
        self.fields["search"].widget.attrs.update({"type": "search", "placeholder": _("Estate name")})
