"""Forms every app uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

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


def add_domain_error(form: forms.Form, refused: DomainError) -> None:
    """Show a service's refusal on the form: under the field it names, or above the form."""
    form.add_error(refused.field if refused.field in form.fields else None, str(refused.message))
