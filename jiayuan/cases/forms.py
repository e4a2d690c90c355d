"""Forms of the case pages: the ledger filter's widgets, hotline entry, and one form per transition.

Every transition form carries the case `version` the actor saw, so that the service's conditional
update refuses a change made on a stale page.
"""

from __future__ import annotations

import hashlib
from types import MethodType
from typing import Any

from django import forms
from django.core.cache import cache
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from jiayuan.cases.campaign_hooks import campaign_hooks
from jiayuan.cases.choices import Outcome, Source, Urgency
from jiayuan.cases.filters import DEFAULT_LEDGER_ORDER, LEDGER_ORDERS
from jiayuan.core.actor import Actor
from jiayuan.core.forms import ChipsSelectMultiple, DatePickerRange
from jiayuan.core.pagination import KeysetOrder
from jiayuan.estates.models import Estate
from jiayuan.policy.loader import active_preset
from jiayuan.regions.models import Department

# What the file inputs offer to choose; the service checks each file's content whatever its name.
ATTACHMENT_ACCEPT = "image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx"
ATTACHMENT_HELP = _("Photos (JPEG, PNG, WebP) or PDF, DOCX, XLSX documents.")

HANDLER_CHOICES = [
    ("", _("As the responsibility list says")),
    ("enterprise", _("Property service enterprise")),
    ("community", _("Community")),
    ("subdistrict", _("Subdistrict")),
    ("district_housing", _("District housing authority")),
    ("city_housing", _("City housing bureau")),
]


def category_choices(*, blank: bool, blank_label: Any = "---------") -> list[Any]:
    """The preset's categories grouped under their category groups, for a select."""
    preset = active_preset()
    grouped: dict[str, list[tuple[str, str]]] = {code: [] for code in preset.category_groups}
    for category in preset.categories.values():
        grouped.setdefault(category.group, []).append((category.code, category.name))
    choices: list[Any] = [("", blank_label)] if blank else []
    for code, items in grouped.items():
        group = preset.category_groups.get(code)
        if items:
            choices.append((group.name if group else code, items))
    return choices


def category_group_choices() -> list[tuple[str, Any]]:
    """The preset's category groups (those with categories), in the catalogue's order."""
    preset = active_preset()
    used = {category.group for category in preset.categories.values()}
    groups = [(code, group.name) for code, group in preset.category_groups.items() if code in used]
    return [("", _("All")), *groups]


def estate_choices(estates: QuerySet[Estate], blank_label: Any = "---------") -> list[tuple[Any, str]]:
    return [("", blank_label), *estates.order_by("name").values_list("pk", "name")]


# Filters shown as a fieldset (a legend and a label per input) rather than one label and one input.
LEDGER_FIELDSETS = frozenset({"state", "source", "filed", "closed"})
# Filters a link may set (the home page's counts, a department's or an enterprise's view) that the
# form does not offer: kept as hidden inputs while they hold a value.
LEDGER_HIDDEN = ("region", "enterprise", "department")


# Filters of the ledger only the home page's work queues link to: kept in the form, not shown.
QUEUE_FILTERS = ("due_soon", "open", "reopened", "escalated", "sent_back")


def fit_ledger_filter_form(
    form: forms.Form, *, actor: Actor, estates: list[tuple[int, str]] | None = None
) -> forms.Form:
    """The ledger filter in the clerk's words: chips for state and source, all / yes / no for
    overdue and poor rating, date pickers for the ranges, the category as a searchable select
    grouped by the catalogue's groups, and selects for the group, estate and campaign.

    Categories come from the preset (no query); `estates` are the actor's visible estates, (id, name)
    by name, if the page has them already (else one query); the campaigns are cached a minute.
    """
    everything = _("All")
    categories = category_choices(blank=True, blank_label=everything)
    form.fields["category"].widget = SearchableSelect(choices=categories)
    form.fields["group"].widget = forms.Select(choices=category_group_choices())
    estate_rows: list[tuple[Any, Any]]
    if estates is None:
        estate_rows = estate_choices(Estate.objects.visible_to(actor), everything)
    else:
        estate_rows = [("", everything), *estates]
    form.fields["estate"].widget = forms.Select(choices=estate_rows)
    for name in ("state", "source"):
        field: Any = form.fields[name]
        field.widget = ChipsSelectMultiple(choices=field.choices)
    for name in ("filed", "closed"):
        form.fields[name].widget = DatePickerRange()
    for name in (*LEDGER_HIDDEN, *QUEUE_FILTERS):  # QUEUE_FILTERS: set by the home page's links
        if name in form.fields:
            form.fields[name].widget = forms.HiddenInput()
    if "campaign" in form.fields:
        form.fields["campaign"].widget = forms.Select(choices=campaign_choices(actor, everything))
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            field.widget.render = MethodType(render_select, field.widget)  # type: ignore[method-assign]
    form.fieldset_names = LEDGER_FIELDSETS  # type: ignore[attr-defined]
    # The chips first, each on a row of its own; then the selects; the date ranges last.
    first, last = ("state", "source"), ("filed", "closed")
    middle = [name for name in form.fields if name not in (*first, *last)]
    form.fields = {name: form.fields[name] for name in (*first, *middle, *last) if name in form.fields}
    return form


class LedgerSortForm(forms.Form):
    """The ledger's order (`?sort=`): by filing date or by deadline, either way."""

    sort = forms.ChoiceField(
        choices=[(key, label) for key, (_order, label) in LEDGER_ORDERS.items()],
        required=False,
        label=_("Sort by"),
    )

    def order(self) -> KeysetOrder:
        """The order asked for; the default one when none or a wrong one is given (the error shows)."""
        key = self.cleaned_data.get("sort") if self.is_valid() else None
        return LEDGER_ORDERS[key or DEFAULT_LEDGER_ORDER][0]


class SearchableSelect(forms.Select):
    """A select with a search box above it that narrows its options (static/js/select-search.js).

    Without the script the box stays hidden and the select works as it is; its optgroups remain.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        attrs = {**(attrs or {}), "data-searchable": ""}
        select = render_select(self, name, value, attrs, renderer)
        select_id = attrs.get("id") or f"id_{name}"
        search = format_html(
            '<input type="search" class="select-search" id="{}_search" aria-controls="{}" '
            'aria-label="{}" placeholder="{}" autocomplete="off" hidden>',
            select_id,
            select_id,
            _("Search the categories"),
            _("Type to search"),
        )
        return mark_safe(f"{search}{select}")


def render_select(
    widget: forms.Select, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
) -> SafeString:
    """A select as Django's widget templates write it, in Python: the ledger filter's selects hold a
    few hundred options (the catalogue, the estates), and one template include per option made the
    form most of the page's time (bench/reports/cases_city.md)."""
    context = widget.get_context(name, value, attrs)["widget"]
    parts: list[str] = [format_html('<select name="{}"{}>', context["name"], flatatt(context["attrs"]))]
    for group_name, options, _index in context["optgroups"]:
        if group_name:
            parts.append(format_html('<optgroup label="{}">', group_name))
        parts += [
            format_html(
                '<option value="{}"{}>{}</option>', option["value"], flatatt(option["attrs"]), option["label"]
            )
            for option in options
        ]
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    return mark_safe("".join(parts))


# How long the ledger filter's list of campaigns is kept: a new campaign shows in it this much later.
CAMPAIGN_CHOICES_SECONDS = 60


def campaign_choices(actor: Actor, blank_label: Any = "---------") -> list[tuple[Any, str]]:
    """The campaigns the actor sees, for the ledger filter: one query a minute per scope, not one
    per page (the cache key is the scope, so two users of the same reach share it)."""
    key = "cases:campaign-choices:" + hashlib.sha256(repr(actor.scope).encode()).hexdigest()[:32]
    rows = cache.get(key)
    if rows is None:
        rows = list(campaign_hooks().names(actor).items())
        cache.set(key, rows, CAMPAIGN_CHOICES_SECONDS)
    return [("", blank_label), *rows]


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that takes several files at once (Django's "Uploading multiple files")."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files, or none: each is checked by its content by the attachment service."""

    def __init__(self, *args: Any, accept: str = ATTACHMENT_ACCEPT, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", ATTACHMENT_HELP)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        files = [single(item, initial) for item in items if item]
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


class AttachForm(forms.Form):
    """Add photos and documents to a case."""

    attachments = MultipleFileField(label=_("Add attachments"), required=True)


class HotlineCaseForm(forms.Form):
    """A case taken on the phone (12345 hotline): the fast entry form of the staff."""

    estate = forms.ModelChoiceField(queryset=Estate.objects.none(), label=_("Estate"))
    category = forms.ChoiceField(label=_("Category"))
    source = forms.ChoiceField(choices=Source.choices, initial=Source.HOTLINE_12345, label=_("Source"))
    urgency = forms.ChoiceField(choices=Urgency.choices, initial=Urgency.NORMAL, label=_("Urgency"))
    complainant_name = forms.CharField(max_length=64, required=False, label=_("Complainant name"))
    complainant_phone = forms.CharField(max_length=32, required=False, label=_("Complainant phone"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label=_("Description"))
    confirm_not_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput())
    campaign: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,  # the campaigns running now that the actor sees: set per actor below
        required=False,
        label=_("Campaign"),
        help_text=_("A campaign running now that covers the estate."),
    )
    attachments = MultipleFileField(label=_("Photos and documents"))

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        estate_field: Any = self.fields["estate"]
        estate_field.queryset = Estate.objects.visible_to(actor).order_by("name")
        category_field: Any = self.fields["category"]
        category_field.choices = category_choices(blank=True)
        campaign_field: Any = self.fields["campaign"]
        campaign_field.queryset = campaign_hooks().open_for_filing(actor)


# --- transitions --------------------------------------------------------------------------------------


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, actor: Actor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


NOTE_LABEL = _("Note")


def note_field(label: Any = NOTE_LABEL, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        required=required, label=label, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


def responsible_phone_field() -> forms.CharField:
    return forms.CharField(
        max_length=32,
        required=False,
        label=_("Responsible person's mobile"),
        help_text=_("Reminders of the deadline and escalations are sent here."),
    )


class NoteForm(TransitionForm):
    note = note_field()


class ReasonForm(TransitionForm):
    reason = note_field(_("Reason"), required=True)


class DispatchForm(TransitionForm):
    handler = forms.ChoiceField(choices=HANDLER_CHOICES, required=False, label=_("Send to"))
    responsible_person = forms.CharField(max_length=64, required=False, label=_("Responsible person"))
    responsible_phone = responsible_phone_field()
    reason = note_field(_("Reason (needed to override the list)"))


class ReferForm(TransitionForm):
    department = forms.ModelChoiceField(queryset=Department.objects.none(), label=_("Department"))
    reason = note_field(_("Reason"), required=True)

    def __init__(self, *args: Any, actor: Actor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if actor is not None:
            field: Any = self.fields["department"]
            field.queryset = Department.objects.visible_to(actor).order_by("name")


class StartForm(TransitionForm):
    responsible_person = forms.CharField(max_length=64, required=False, label=_("Responsible person"))
    responsible_phone = responsible_phone_field()


class RectifyForm(TransitionForm):
    measures = note_field(_("Rectification measures"), required=True)
    evidence = note_field(_("Evidence"), required=True)
    attachments = MultipleFileField(label=_("Evidence photos and documents"))


class CloseOutForm(TransitionForm):
    outcome = forms.ChoiceField(choices=Outcome.choices, label=_("Outcome"))
    note = note_field()
    duplicate_of = forms.CharField(max_length=32, required=False, label=_("Number of the case it duplicates"))


class RateForm(TransitionForm):
    rating = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(5, 0, -1)], coerce=int, label=_("Rating")
    )
    comment = note_field(_("Comment"))


class ModerateForm(TransitionForm):
    moderated_text = note_field(_("Text shown in public (empty restores the original)"))
    reason = note_field(_("Reason"), required=True)


TRANSITION_FORMS: dict[str, type[TransitionForm]] = {
    "accept": NoteForm,
    "reject": ReasonForm,
    "dispatch": DispatchForm,
    "refer": ReferForm,
    "start": StartForm,
    "rectify": RectifyForm,
    "verify": NoteForm,
    "send_back": ReasonForm,
    "close_out": CloseOutForm,
    "reopen": ReasonForm,
    "rate": RateForm,
    "moderate": ModerateForm,
}
