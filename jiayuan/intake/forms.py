"""The owner's forms: the phone number, then the code with the complaint; on the follow page the
code, the rating and the reopen."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jiayuan.cases.forms import MultipleFileField
from jiayuan.intake.services import INTAKE_MAX_PHOTOS, public_category_choices


class PhoneForm(forms.Form):
    phone = forms.CharField(
        max_length=32,
        label=_("Mobile phone number"),
        help_text=_("We send a 6-digit code to this phone by SMS."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "type": "tel"}),
    )


class CodeForm(forms.Form):
    """The SMS code: the follow page asks for it alone, the complaint step with the complaint."""

    code = forms.CharField(
        max_length=6,
        min_length=6,
        label=_("Verification code"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ComplaintForm(CodeForm):
    category = forms.ChoiceField(label=_("What kind of problem is it?"))
    description = forms.CharField(
        max_length=2000,
        label=_("Describe the problem"),
        help_text=_("Where it is, since when, what you have seen."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    name = forms.CharField(max_length=64, required=False, label=_("Your name (optional)"))
    photos = MultipleFileField(
        accept="image/*",
        label=_("Photos (optional)"),
        help_text=format_lazy(_("Up to {count} photos of the problem."), count=INTAKE_MAX_PHOTOS),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["category"]
        field.choices = [("", _("Please choose")), *public_category_choices()]

    def clean_photos(self) -> list[Any]:
        photos: list[Any] = self.cleaned_data["photos"]
        if len(photos) > INTAKE_MAX_PHOTOS:
            raise forms.ValidationError(_("Send at most %(count)d photos.") % {"count": INTAKE_MAX_PHOTOS})
        return photos


# --- the follow page: the rating, the reopen (the code is CodeForm) ------------------------------


def stars(count: int, words: Any) -> Any:
    return format_lazy("{} {}", "★" * count, words)


RATING_CHOICES = [
    ("5", stars(5, _("Very satisfied"))),
    ("4", stars(4, _("Satisfied"))),
    ("3", stars(3, _("Neither satisfied nor dissatisfied"))),
    ("2", stars(2, _("Dissatisfied"))),
    ("1", stars(1, _("Very dissatisfied"))),
]


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=RATING_CHOICES,
        coerce=int,
        label=_("How satisfied are you with the result?"),
        widget=forms.RadioSelect(attrs={"class": "rating-choice"}),
    )
    comment = forms.CharField(
        max_length=500,
        required=False,
        label=_("Anything to add? (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        max_length=1000,
        label=_("What is still wrong?"),
        help_text=_("The case goes back to the staff, who must handle it again."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
