"""Control characters: refused in every text field and every imported cell, dropped from every feed."""

import pytest
from django import forms
from rest_framework import serializers

from jiayuan.core.text import printable
from jiayuan.core.xlsx.columns import CellInvalid, Text

BAD = ["楼道\x0b垃圾", "\x00", "a\x1fb", "\x08"]
GOOD = ["楼道垃圾", "第一行\n第二行", "列\t值", "windows\r\nline"]


class AnyForm(forms.Form):
    text = forms.CharField()


class AnySerializer(serializers.Serializer):
    text = serializers.CharField()


@pytest.mark.parametrize("value", BAD)
def test_every_form_and_serializer_text_field_refuses_control_characters(value):
    form = AnyForm({"text": value})
    assert not form.is_valid()
    assert "text" in form.errors
    serializer = AnySerializer(data={"text": value})
    assert not serializer.is_valid()
    assert "text" in serializer.errors


@pytest.mark.parametrize("value", GOOD)
def test_tabs_and_line_breaks_are_ordinary_text(value):
    assert AnyForm({"text": value}).is_valid()
    assert AnySerializer(data={"text": value}).is_valid()


@pytest.mark.parametrize("value", BAD)
def test_an_imported_cell_with_control_characters_is_refused(value):
    with pytest.raises(CellInvalid):
        Text().parse(value)


def test_feeds_drop_what_xml_and_xlsx_cannot_hold():
    assert printable("楼道\x0b垃圾\ufffe") == "楼道垃圾"
    assert printable("第一行\n第二行\t") == "第一行\n第二行\t"
