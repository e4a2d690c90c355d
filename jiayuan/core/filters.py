"""Filter fields every list shares (pages and API): values the database can hold, or a clear refusal.

An id beyond the 64-bit range, or a date whose midnight cannot be turned into an instant, would
otherwise reach the database and fail there (a server error). Refused here, the API answers 400
naming the parameter and a page shows the form's error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.fields import DateRangeField, RangeField

# The largest value of a BIGINT column (PostgreSQL) and of an SQLite INTEGER.
MAX_ID = 2**63 - 1
# Dates a filter accepts: wide enough for any record, narrow enough for every time-zone conversion.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2999, 12, 31)


class IdField(forms.IntegerField):
    """A database id: a whole number from 1 to the 64-bit limit."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class IdFilter(django_filters.NumberFilter):
    """Filter by the id of a related object (`?estate=12`)."""

    field_class = IdField


class BoundedDateField(forms.DateField):
    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise ValidationError(
                _("Give a date between %(earliest)s and %(latest)s."),
                code="date_out_of_range",
                params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
            )


class BoundedDateRangeField(DateRangeField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        RangeField.__init__(self, (BoundedDateField(), BoundedDateField()), *args, **kwargs)
        # A two-input widget has no single label to point at (Django's MultiWidget gives the
        # <label> no `for`): each input names itself, "Filed between, from" and "..., to".
        start, end = self.widget.widgets
        start.attrs["aria-label"] = format_lazy(_("{label}, from"), label=self.label)
        end.attrs["aria-label"] = format_lazy(_("{label}, to"), label=self.label)


class DateRangeFilter(django_filters.DateFromToRangeFilter):
    """`?filed_after=YYYY-MM-DD&filed_before=YYYY-MM-DD` within the dates a record can carry."""

    field_class = BoundedDateRangeField


def parse_id(text: str) -> int | None:
    """`text` as a database id if it is one (ASCII digits, within range), else None.

    `str.isdigit` is not the test: it accepts "²", which `int()` refuses.
    """
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


# Yes / no filters ------------------------------------------------------------------------------------

YES_NO_VALUES: dict[str, bool] = {
    **dict.fromkeys(("true", "True", "1"), True),
    **dict.fromkeys(("false", "False", "0"), False),
}


class YesNoField(forms.NullBooleanField):
    """Yes, no, or no filter at all (empty). Anything else is an error, never taken for "unknown"."""

    default_error_messages = {"invalid": _("Choose all, yes or no.")}

    def to_python(self, value: Any) -> Any:
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value in YES_NO_VALUES:
            return YES_NO_VALUES[value]
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value: Any) -> None:
        pass


class AllYesNoSelect(forms.Select):
    """All (the default: no filter) / yes / no, with the values `true` and `false` in the URL."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))])

    def format_value(self, value: Any) -> Any:
        if value is True or value == "True":
            return ["true"]
        if value is False or value == "False":
            return ["false"]
        return super().format_value(value)


class YesNoFilter(django_filters.BooleanFilter):
    """`?overdue=true` / `false`, or absent for all: a three-way choice whose default is all."""

    field_class = YesNoField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", AllYesNoSelect)
        super().__init__(*args, **kwargs)
