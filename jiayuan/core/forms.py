"""Forms every app uses."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RevealPurposeForm(forms.Form):
    """Why unmasked personal data is needed: kept in the audit event (等保 2.0, YC §5(一) prohibition 5)."""

    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. complaint follow-up")}),
    )
