"""Forms every app uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import DateRangeWidget

from jiayuan.core.exceptions import DomainError, NotPermitted


class RevealPurposeForm(forms.Form):
    """Why unmasked personal data is needed: kept in the audit event (等保 2.0, YC §5(一) prohibition 5)."""

    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. complaint follow-up")}),
    )


def reveal_with_purpose(data: QueryDict, reveal: Callable[[str], dict[str, str]]) -> tuple[Any, Any]:
    """Run an audited reveal with the purpose posted: (the data, None) or (None, the error to show).

    `reveal(purpose)` calls the service (which checks the permission and writes the audit event);
    a missing permission is a 403.
    """
    form = RevealPurposeForm(data)
    if not form.is_valid():
        return None, form.errors.get("purpose", [""])[0]
    try:
        return reveal(form.cleaned_data["purpose"]), None
    except NotPermitted as refused:
        raise PermissionDenied from refused
    except DomainError as refused:
        return None, refused.message


# Filter widgets of long lists ------------------------------------------------------------------------
# Written in Python, not through Django's widget templates: a list page renders them on every request
# (see cases.forms.render_select for what template includes per option cost).


class ChipsSelectMultiple(forms.CheckboxSelectMultiple):
    """Several values as a row of checkable chips: checkboxes in labels, styled by `.chips` (no script).

    The page puts it in a fieldset whose legend names the field; each chip is its own label.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        chosen = {str(v) for v in context["value"] or ()}
        base_id = context["attrs"].get("id", f"id_{name}")
        parts: list[str] = [format_html('<div class="chips" id="{}">', base_id)]
        for index, (option_value, label) in enumerate(self.choices):
            if option_value in ("", None):
                continue
            parts.append(
                format_html(
                    '<label class="chip" for="{id}_{index}"><input type="checkbox" name="{name}" '
                    'value="{value}" id="{id}_{index}"{checked}><span>{label}</span></label>',
                    id=base_id,
                    index=index,
                    name=name,
                    value=option_value,
                    checked=mark_safe(" checked") if str(option_value) in chosen else "",
                    label=label,
                )
            )
        parts.append("</div>")
        return mark_safe("".join(parts))


class DatePickerRange(DateRangeWidget):
    """A date range as two date pickers (`<input type="date">`), each with its own label (both days
    count); the URL keeps django-filter's names (`filed_after`, `filed_before`) and ISO dates."""

    labels = (_("on or after"), _("on or before"))

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        for widget in self.widgets:
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        values = value if isinstance(value, list | tuple) else self.decompress(value)
        base_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        parts = ['<span class="date-range">']
        subwidgets = zip(self.widgets, self.suffixes, self.labels, strict=True)
        for index, (widget, suffix, label) in enumerate(subwidgets):
            item = values[index] if index < len(values) else None
            shown = widget.format_value(item) or ""
            parts.append(
                format_html(
                    '<label for="{id}_{index}">{label}</label>'
                    '<input type="date" name="{name}" id="{id}_{index}"{attrs}{value}>',
                    id=base_id,
                    index=index,
                    label=label,
                    name=self.suffixed(name, suffix),
                    attrs=flatatt({k: v for k, v in self.attrs.items() if k != "id"}),
                    value=format_html(' value="{}"', shown) if shown else "",
                )
            )
        parts.append("</span>")
        return mark_safe("".join(parts))


def add_domain_error(form: forms.Form, refused: DomainError) -> None:
    """Show a service's refusal on the form: under the field it names, or above the form."""
    form.add_error(refused.field if refused.field in form.fields else None, str(refused.message))
