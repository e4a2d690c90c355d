"""Text that cannot break a feed: C0 control characters are refused on input and dropped on output.

A vertical tab (\\x0b) pasted into a description once made the Open311 XML feed unparseable for every
client, and the same characters make openpyxl refuse to write a ledger export. Tab, line feed and
carriage return are ordinary text; the other C0 characters never are.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What XML 1.0 cannot carry at all (besides the C0 characters): lone surrogates and U+FFFE/U+FFFF.
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@deconstructible
class ProhibitControlCharactersValidator:
    """Refuse text with C0 control characters other than tab, line feed and carriage return."""

    message = _("Remove the invisible control characters (such as a vertical tab) from this text.")
    code = "control_characters"

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ProhibitControlCharactersValidator)


def printable(value: str) -> str:
    """`value` without the characters an XML document or an xlsx cell cannot hold."""
    return NOT_IN_XML.sub("", value)


def refuse_control_characters_in_every_text_field() -> None:
    """Every form and API text field refuses control characters, as each already refuses NUL.

    Set once at start-up (core's AppConfig.ready) on the base classes, so no form or serializer
    written later can forget it.
    """
    from django import forms
    from rest_framework import serializers

    validator = ProhibitControlCharactersValidator()
    field_class: Any
    for field_class in (forms.CharField, serializers.CharField):
        current = list(vars(field_class).get("default_validators", field_class.default_validators))
        if validator not in current:
            field_class.default_validators = [*current, validator]


NUMBER_RUN = re.compile(r"[0-9]+")  # ASCII digits only: "٣" is a character like any other


def natural_sort_key(value: str) -> str:
    """A key under which texts sort with their numbers as numbers ("1-101" before "1-1001").

    Made of ASCII digits only, so that the database orders it the same under any collation (a
    PostgreSQL locale collation ignores punctuation such as "-"; SQLite compares bytes). Each run of
    digits becomes "1", its length in two digits and the number without leading zeros; any other
    character becomes "2" and its code point in seven digits. A shorter text that is the start of a
    longer one sorts first; letters compare case-insensitively.
    """
    parts: list[str] = []
    position = 0
    text = value.strip().casefold()
    for match in NUMBER_RUN.finditer(text):
        parts.extend(f"2{ord(char):07d}" for char in text[position : match.start()])
        digits = match.group().lstrip("0") or "0"
        parts.append(f"1{len(digits):02d}{digits}")
        position = match.end()
    parts.extend(f"2{ord(char):07d}" for char in text[position:])
    return "".join(parts)
