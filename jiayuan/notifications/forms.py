from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiayuan.core.exceptions import DomainError
from jiayuan.notifications.services import normalise_phone


class OutboxFilterForm(forms.Form):
    """The outbox filter: one full phone number (a partial one would unmask the masked numbers)."""

    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)

    def clean_phone(self) -> str:
        value: Any = self.cleaned_data.get("phone") or ""
        if not value.strip():
            return ""
        try:
            return normalise_phone(value)
        except DomainError as error:
            raise forms.ValidationError(str(error.message)) from error
