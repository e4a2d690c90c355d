"""Chinese text uses full-width punctuation (，：；（）？！): the catalogue's translations and the
presets' Chinese names, remits and descriptions. A half-width mark next to a Chinese character is
a slip of the input method."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from pydantic import BaseModel

from jiayuan.policy.loader import load_preset, preset_names

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]*\}")
HALF_WIDTH_BY_CHINESE = re.compile(r"[\u4e00-\u9fff“”、][,:;?!()]|[,:;?!()] ?[\u4e00-\u9fff“”]")
# Fields of a preset that hold Chinese prose (codes, English names and clauses aside).
CHINESE_FIELDS = ("name", "remit", "description", "title", "issuer")


def slips(text: str) -> list[str]:
    return HALF_WIDTH_BY_CHINESE.findall(PLACEHOLDER.sub("", text))


def test_the_check_finds_a_half_width_comma_and_brackets_but_not_a_placeholder() -> None:
    assert slips("请刷新,然后重试") == ["新,"]
    assert slips("照片(可不填)")
    assert slips("编号 %(number)s 已受理") == []
    assert slips("照片（JPEG、PNG）或 PDF") == []


def test_the_chinese_catalogue_uses_full_width_punctuation() -> None:
    found = []
    for entry in polib.pofile(str(CATALOGUE)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if slips(text):
                found.append(f"{entry.msgid!r}: {text!r}")
    assert not found, "half-width punctuation in Chinese:\n" + "\n".join(found)


def chinese_strings(node: object, field: str = "") -> list[str]:
    if isinstance(node, BaseModel):
        fields = type(node).model_fields
        return [text for name in fields for text in chinese_strings(getattr(node, name), name)]
    if isinstance(node, list):
        return [text for item in node for text in chinese_strings(item, field)]
    if isinstance(node, str) and field in CHINESE_FIELDS:
        return [node]
    return []


@pytest.mark.parametrize("name", preset_names())
def test_the_presets_chinese_text_uses_full_width_punctuation(name: str) -> None:
    texts = chinese_strings(load_preset(name).data)
    assert len(texts) > 100  # names, remits, descriptions, the owner's list
    found = [text for text in texts if slips(text)]
    assert not found, "half-width punctuation in Chinese:\n" + "\n".join(found)
