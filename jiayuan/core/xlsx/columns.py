"""Columns and their cell parsers: how one cell of a ledger becomes a value, or a message why not.

A `Parser` turns a non-empty cell into a value or raises `CellInvalid` with a translated message;
it also describes itself for the template (`describe`) and may offer a dropdown (`options`).
A `Column` ties a header, as the clerks' ledger spells it, to the field it fills and its parser.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jiayuan.core.text import CONTROL_CHARACTERS, ProhibitControlCharactersValidator


class CellInvalid(Exception):
    """A cell's value is unusable; `message` (translated) says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------- cells


def cell_text(value: Any) -> str:
    """A cell as the clerk sees it: trimmed text; 12.0 becomes "12", a date "2024-03-15"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


_LABEL_TRANSLATION = str.maketrans({"（": "(", "）": ")", "＊": "", "*": "", "㎡": "m²"})


def normalise_label(value: Any) -> str:
    """Compare headers and choice labels as clerks type them: no spaces, either kind of bracket."""
    text = re.sub(r"\s+", "", cell_text(value).translate(_LABEL_TRANSLATION))
    return re.sub(r"\((必填|选填|可选|可不填)\)", "", text)


def _strip_units(text: str, units: Sequence[str]) -> str:
    text = text.replace(",", "").replace("，", "").replace(" ", "")
    for unit in units:
        if text.endswith(unit):
            return text[: -len(unit)]
    return text


class Parser:
    """Turns one non-empty cell into a value, or raises CellInvalid. `empty` is the value of a blank cell."""

    empty: Any = None
    number_format: str | None = None

    def parse(self, value: Any) -> Any:
        raise NotImplementedError

    def describe(self) -> str:
        return ""

    def options(self) -> list[str]:
        return []


class Text(Parser):
    """Text, trimmed; optionally upper-cased, length-limited, matched against a pattern, validated."""

    empty = ""
    number_format = "@"

    def __init__(
        self,
        *,
        max_length: int | None = None,
        pattern: str | None = None,
        pattern_help: Any = None,
        upper: bool = False,
        validators: Sequence[Callable[[str], None]] = (),
    ) -> None:
        self.max_length = max_length
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_help = pattern_help
        self.upper = upper
        self.validators = tuple(validators)

    def parse(self, value: Any) -> str:
        text = cell_text(value)
        if CONTROL_CHARACTERS.search(text):
            raise CellInvalid(str(ProhibitControlCharactersValidator.message))
        if self.upper:
            text = text.upper()
        if self.max_length is not None and len(text) > self.max_length:
            raise CellInvalid(
                _("At most %(max)d characters are allowed; this has %(n)d.")
                % {"max": self.max_length, "n": len(text)}
            )
        if self.pattern is not None and not self.pattern.fullmatch(text):
            raise CellInvalid(
                str(self.pattern_help or _("“%(value)s” is not in the expected format.")) % {"value": text}
            )
        for validator in self.validators:
            try:
                validator(text)
            except ValidationError as error:
                raise CellInvalid(" ".join(error.messages)) from error
        return text

    def describe(self) -> str:
        if self.pattern_help is not None:
            return str(self.pattern_help) % {"value": "…"}
        if self.max_length is not None:
            return _("Text, at most %(max)d characters.") % {"max": self.max_length}
        return _("Text.")


def code(pattern: str, *, pattern_help: Any, upper: bool = True, **kwargs: Any) -> Text:
    """A code column (division code, credit code ...): text matched in full against `pattern`."""
    return Text(pattern=pattern, pattern_help=pattern_help, upper=upper, **kwargs)


class Integer(Parser):
    """A whole number in a range; "1,200" and a trailing unit ("套") are accepted."""

    def __init__(
        self, *, min_value: int | None = None, max_value: int | None = None, units: Sequence[str] = ()
    ) -> None:
        self.min_value = min_value
        self.max_value = max_value
        self.units = tuple(units)

    def bounds(self) -> tuple[int | None, int | None]:
        return self.min_value, self.max_value

    def parse(self, value: Any) -> int:
        number = self.to_int(value)
        low, high = self.bounds()
        if (low is not None and number < low) or (high is not None and number > high):
            raise CellInvalid(self.range_message())
        return number

    def to_int(self, value: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            return int(value)
        text = _strip_units(cell_text(value), self.units)
        if re.fullmatch(r"[+-]?\d+(\.0*)?", text):
            return int(Decimal(text))
        raise CellInvalid(_("Enter a whole number; “%(value)s” is not one.") % {"value": cell_text(value)})

    def range_message(self) -> str:
        low, high = self.bounds()
        if low is not None and high is not None:
            return _("Enter a whole number from %(min)d to %(max)d.") % {"min": low, "max": high}
        if low is not None:
            return _("Enter a whole number of at least %(min)d.") % {"min": low}
        return _("Enter a whole number of at most %(max)d.") % {"max": high}

    def describe(self) -> str:
        return self.range_message()


class Year(Integer):
    """A year from `min_value` to this year (a date cell counts by its year; "2010年" is accepted)."""

    def __init__(self, *, min_value: int = 1900) -> None:
        super().__init__(min_value=min_value, units=("年",))

    def bounds(self) -> tuple[int | None, int | None]:
        return self.min_value, timezone.localdate().year

    def to_int(self, value: Any) -> int:
        if isinstance(value, dt.date):
            return value.year
        return super().to_int(value)

    def range_message(self) -> str:
        return _("Enter a year from %(min)d to this year (%(max)d).") % {
            "min": self.min_value,
            "max": timezone.localdate().year,
        }

    def describe(self) -> str:
        return _("A year from %(min)d to this year, e.g. 2010.") % {"min": self.min_value}


class Number(Parser):
    """A decimal number with at most `places` decimals (or rounded to them), in a range."""

    def __init__(
        self,
        *,
        places: int = 2,
        min_value: Decimal | None = None,
        max_value: Decimal | None = None,
        round_places: bool = False,
        units: Sequence[str] = (),
    ) -> None:
        self.places = places
        self.min_value = min_value
        self.max_value = max_value
        self.round_places = round_places
        self.units = tuple(units)

    def parse(self, value: Any) -> Decimal:
        number = self.to_decimal(value)
        if (self.min_value is not None and number < self.min_value) or (
            self.max_value is not None and number > self.max_value
        ):
            raise CellInvalid(self.range_message())
        try:
            rounded = number.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)
        except InvalidOperation as error:  # more digits than a Decimal context holds
            raise CellInvalid(self.range_message()) from error
        # A float read from Excel may carry binary noise (12.299999999999999): that is not a clerk's
        # third decimal place, so it is rounded away rather than refused.
        noise = isinstance(value, float) and abs(rounded - number) < Decimal("1e-9")
        if rounded != number and not (self.round_places or noise):
            raise CellInvalid(
                ngettext(
                    "Use at most %(places)d decimal place.",
                    "Use at most %(places)d decimal places.",
                    self.places,
                )
                % {"places": self.places}
            )
        return rounded

    def to_decimal(self, value: Any) -> Decimal:
        if isinstance(value, bool):
            raise CellInvalid(_("Enter a number; “%(value)s” is not one.") % {"value": value})
        try:
            if isinstance(value, int | Decimal):
                number = Decimal(value)
            elif isinstance(value, float):
                number = Decimal(repr(value))
            else:
                number = Decimal(_strip_units(cell_text(value), self.units))
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise CellInvalid(_("Enter a number; “%(value)s” is not one.") % {"value": cell_text(value)})
        return number

    def range_message(self) -> str:
        low, high = self.min_value, self.max_value
        if low is not None and high is not None:
            return _("Enter a number from %(min)s to %(max)s.") % {"min": low, "max": high}
        if low is not None:
            return _("Enter a number of at least %(min)s.") % {"min": low}
        return _("Enter a number of at most %(max)s.") % {"max": high}

    def describe(self) -> str:
        places = ngettext(
            "A number with at most %(places)d decimal place.",
            "A number with at most %(places)d decimal places.",
            self.places,
        ) % {"places": self.places}
        if self.min_value is None and self.max_value is None:
            return places
        return f"{places} {self.range_message()}"


class Date(Parser):
    """A date: a date cell, or text like 2024-03-15, 2024/3/15, 2024.3.15 or 2024年3月15日."""

    formats = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")

    def parse(self, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = cell_text(value)
        for fmt in self.formats:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise CellInvalid(_("Enter a date such as 2024-03-15; “%(value)s” is not one.") % {"value": text})

    def describe(self) -> str:
        return _("A date, e.g. 2024-03-15.")


class Choice(Parser):
    """One of a list, given by its label (the first label of each value goes into the dropdown)."""

    def __init__(
        self, options: Sequence[tuple[Any, str]], *, aliases: Mapping[str, Any] | None = None
    ) -> None:
        self.labels = [label for _value, label in options]
        self.lookup = {normalise_label(label): value for value, label in options}
        for alias, value in (aliases or {}).items():
            self.lookup.setdefault(normalise_label(alias), value)

    def parse(self, value: Any) -> Any:
        key = normalise_label(value)
        if key in self.lookup:
            return self.lookup[key]
        raise CellInvalid(
            _("“%(value)s” is not one of: %(options)s.")
            % {"value": cell_text(value), "options": self.joined()}
        )

    def joined(self) -> str:
        return "、".join(self.labels)

    def describe(self) -> str:
        return _("One of: %(options)s (pick from the list).") % {"options": self.joined()}

    def options(self) -> list[str]:
        return list(self.labels)


# --------------------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    """One declared column. `required`: the column must be there and no cell of it may be blank."""

    header: str
    field: str
    parser: Parser = dataclasses.field(default_factory=Text)
    required: bool = False
    help: Any = ""
    example: Any = None
    width: int | None = None
    aliases: tuple[str, ...] = ()

    def describe(self) -> str:
        return " ".join(part for part in (self.parser.describe(), str(self.help or "")) if part)
