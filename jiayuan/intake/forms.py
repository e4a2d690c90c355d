"""The owner's two forms: the phone number, then the code with the complaint."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiayuan.intake.services import public_category_choices


class PhoneForm(forms.Form):
    phone = forms.CharField(
        max_length=32,
        label=_("Mobile phone number"),
        help_text=_("We send a 6-digit code to this phone by SMS."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "type": "tel"}),
    )


class ComplaintForm(forms.Form):
    code = forms.CharField(
        max_length=6,
        min_length=6,
        label=_("Verification code"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    category = forms.ChoiceField(label=_("What kind of problem is it?"))
    description = forms.CharField(
        max_length=2000,
        label=_("Describe the problem"),
        help_text=_("Where it is, since when, what you have seen."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    name = forms.CharField(max_length=64, required=False, label=_("Your name (optional)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["category"]
        field.choices = [("", _("Please choose")), *public_category_choices()]
