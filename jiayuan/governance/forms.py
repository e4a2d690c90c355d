"""Forms of the owners' committee registry: registering a committee, its filing (备案) and term end.

The services (`governance.services`) check the rules and write; these forms read what a clerk types.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiayuan.governance.choices import Post

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The words a clerk writes after a member's name, as the committee's record uses them.
POST_WORDS = {"主任": Post.DIRECTOR, "副主任": Post.DEPUTY_DIRECTOR, "委员": Post.MEMBER}
MAX_MEMBERS = 50


def parse_members(text: str) -> list[dict[str, Any]]:
    """One member a line: a name, then optionally a post (主任, 副主任, 委员; 委员 when left out)."""
    members: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.replace("，", " ").replace(",", " ").split()
        if not words:
            continue
        name, rest = words[0], words[1:]
        if len(rest) > 1 or (rest and rest[0] not in POST_WORDS):
            raise ValidationError(
                _("Line %(line)s: write a name, then 主任, 副主任 or 委员 (or nothing)."),
                params={"line": number},
                code="member_line",
            )
        if len(name) > 64:
            raise ValidationError(
                _("Line %(line)s: the name is longer than 64 characters."), params={"line": number}
            )
        members.append({"name": name, "post": POST_WORDS[rest[0]] if rest else Post.MEMBER})
    if len(members) > MAX_MEMBERS:
        raise ValidationError(_("At most %(count)s members."), params={"count": MAX_MEMBERS})
    return members


class OwnersCommitteeRegisterForm(forms.Form):
    term_start = forms.DateField(label=_("Term start"), widget=DATE)
    term_end = forms.DateField(label=_("Term end"), widget=DATE)
    filing_number = forms.CharField(label=_("Filing number"), max_length=64, required=False)
    filing_date = forms.DateField(label=_("Filing date"), required=False, widget=DATE)
    members = forms.CharField(
        label=_("Members"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One member a line: the name, then 主任, 副主任 or 委员, e.g. “张伟 主任”."),
    )

    def clean_members(self) -> list[dict[str, Any]]:
        return parse_members(self.cleaned_data["members"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("term_start"), data.get("term_end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end <= start:
            self.add_error("term_end", _("The term must end after it starts."))
        return data


class OwnersCommitteeUpdateForm(forms.Form):
    filing_number = forms.CharField(label=_("Filing number"), max_length=64, required=False)
    filing_date = forms.DateField(label=_("Filing date"), required=False, widget=DATE)
    term_end = forms.DateField(label=_("Term end"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, help_text=_("Kept in the audit log.")
    )
