"""Forms of the estate pages: the list's filter inputs (filtering itself is `EstateFilter`) and the
registry's units, owners and ownerships (the services check and write)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiayuan.core.actor import Actor
from jiayuan.estates.choices import EstateType, ManagementMode, OwnerKind
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


# --- the registry: units, owners, ownerships (writes go through estates.services) -------------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AREA = {
    "max_digits": 10,
    "decimal_places": 2,
    "min_value": Decimal("0.01"),
    "label": _("Exclusive area (m²)"),
    "help_text": _("As on the property certificate, in square metres, e.g. 89.50."),
}


def reason_field(*, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=required,
        help_text=_("Kept in the audit log."),
    )


class UnitSearchForm(forms.Form):
    """The search over an estate's units: a unit number or an owner's name."""

    q = forms.CharField(
        label=_("Unit number or owner's name"),
        max_length=64,
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("e.g. 1-101 or 张")}),
    )


class UnitCreateForm(forms.Form):
    building_number = forms.CharField(
        label=_("Building"),
        max_length=20,
        help_text=_("The building's number; a building not yet recorded is added."),
    )
    number = forms.CharField(label=_("Unit number"), max_length=20, help_text=_("e.g. 1-101"))
    exclusive_area = forms.DecimalField(**AREA)  # type: ignore[arg-type]


class UnitUpdateForm(forms.Form):
    number = forms.CharField(label=_("Unit number"), max_length=20)
    exclusive_area = forms.DecimalField(**AREA)  # type: ignore[arg-type]
    reason = reason_field()


class OwnershipRegisterForm(forms.Form):
    """A person who owns the unit: found again by ID number if already recorded, else added."""

    name = forms.CharField(label=_("Owner's name"), max_length=64)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=32,
        required=False,
        help_text=_("An owner already recorded with this ID number is reused, not entered twice."),
    )
    since = forms.DateField(label=_("Owner since"), required=False, widget=DATE)


class OwnershipUpdateForm(forms.Form):
    since = forms.DateField(label=_("Owner since"), required=False, widget=DATE)
    reason = reason_field()


class OwnershipEndForm(forms.Form):
    reason = reason_field(required=True)


class OwnerUpdateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OwnerKind.choices)
    reason = reason_field()
