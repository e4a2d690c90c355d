"""The sections the rules engine reads (RULES §2-§5, §7): each preset switches on its own
document's rules, every value cites its clause, and a bad value is refused naming file and key."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from jiayuan.policy.loader import PolicyPreset, PresetError, load_preset, preset_names

# The rules each document has (docs/rules.md); the baseline carries them all.
RULES_ON = {
    "national": [
        "ladder",
        "credit.warning",
        "credit.consecutive",
        "credit.accumulated",
        "tender_ban",
        "warnings",
        "refusal_to_leave",
        "satisfaction",
        "star_rating.low",
        "star_rating.failing",
        "star_rating.repeat",
    ],
    "yinchuan": ["ladder", "star_rating.low", "star_rating.failing", "star_rating.repeat"],
    "yuncheng": ["refusal_to_leave"],
    "shanghai": [],
    "zhaotong": ["credit.warning", "credit.consecutive"],
    "kundulun": ["credit.accumulated", "tender_ban", "warnings", "satisfaction"],
}
EFFECTIVE = {
    "national": date(2024, 5, 24),
    "yinchuan": date(2023, 1, 1),
    "yuncheng": date(2024, 5, 24),
    "shanghai": date(2015, 1, 1),
    "zhaotong": date(2021, 9, 1),
    "kundulun": date(2020, 1, 1),
}


@cache
def preset(name: str) -> PolicyPreset:
    return load_preset(name)


@pytest.mark.parametrize("name", preset_names())
def test_each_preset_switches_on_its_own_documents_rules(name: str) -> None:
    assert preset(name).enabled_rules() == RULES_ON[name]


@pytest.mark.parametrize("name", preset_names())
def test_each_preset_has_its_own_version_and_effective_date(name: str) -> None:
    meta = preset(name).data.meta
    assert meta.effective_date == EFFECTIVE[name]
    assert meta.version and meta.effective_clause


def test_the_nine_prohibitions_are_numbered_as_in_yc_and_bind_enterprises() -> None:
    items = {v.code: v for v in preset("yinchuan").data.violations if v.ladder_item}
    assert sorted(items) == [f"np_{n}" for n in range(1, 10)]
    assert all(v.ladder_item == int(code[3:]) and v.actor == "enterprise" for code, v in items.items())
    assert all(v.clause == f"YC §5(一){v.ladder_item}" for v in items.values())


@pytest.mark.parametrize("name", preset_names())
def test_every_violation_type_names_its_case_category_and_an_actor(name: str) -> None:
    loaded = preset(name)
    for item in loaded.data.violations:
        assert item.category in loaded.categories, item.code
        if item.actor == "owners_committee":
            assert item.deduction is None, item.code  # a committee has no credit score
        else:
            assert item.deduction is not None and item.deduction.clause, item.code


def test_the_ladder_rungs_are_those_of_yc() -> None:
    rungs = {r.count: r.consequences for r in preset("yinchuan").data.ladder.rungs}
    assert rungs == {
        1: ["interview", "rectification_order", "replace_project_manager"],
        2: ["star_downgrade"],
        3: ["not_up_to_standard", "removal"],
        4: ["blacklist"],
    }


def test_the_credit_line_of_zt_is_90_and_two_years() -> None:
    credit = preset("zhaotong").data.credit
    assert credit.warning.below == Decimal(90) and credit.consecutive.years == 2
    assert credit.base.value == Decimal(100)


def test_the_satisfaction_boundaries_are_stated_as_readings() -> None:
    bands = {b.code: b for b in preset("kundulun").data.satisfaction.bands}
    assert (bands["middle"].min, bands["high"].min) == (Decimal("0.60"), Decimal("0.85"))
    assert "[choice]" in bands["middle"].clause and "Civil Code art. 1259" in bands["high"].clause


def test_kundulun_keeps_its_star_targets_and_a_three_year_tender_ban() -> None:
    data = preset("kundulun").data
    assert [(t.stars, t.count) for t in data.star_rating.targets] == [(3, 2), (2, 12), (1, 46)]
    assert data.tender_ban.years == 3 and "ib_malicious_low_bid" in data.tender_ban.items


@pytest.mark.parametrize("name", preset_names())
def test_service_grades_are_a_list_of_the_city(name: str) -> None:
    assert [g.grade for g in preset(name).data.service_grades] == [1, 2, 3]


# --- refusals ----------------------------------------------------------------------------------------

HEAD = (
    '[meta]\nkey = "TST"\nname = "test_city"\ntitle = "T"\nissuer = "T"\nyear = 2026\n'
    'version = "t1"\neffective_date = 2026-01-01\neffective_clause = "[choice] test"\n'
    'extends = "national"\n\n'
)


def refused(tmp_path: Path, body: str, head: str = HEAD) -> str:
    path = tmp_path / "city.toml"
    path.write_text(head + body, encoding="utf-8")
    with pytest.raises(PresetError) as caught:
        load_preset(str(path))
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    return message


def test_a_preset_that_extends_another_states_its_own_version(tmp_path: Path) -> None:
    own = 'version = "t1"\neffective_date = 2026-01-01\neffective_clause = "[choice] test"\n'
    head = HEAD.replace(own, "")
    assert "meta.version: a preset that extends another states its own" in refused(tmp_path, "", head)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[credit.base]\nvalue = 100.0\nclause = "[choice] x"\n', "credit.base.value: write a decimal"),
        ('[credit.base]\nvalue = "lots"\nclause = "[choice] x"\n', "credit.base.value: 'lots' is not"),
        (
            '[credit.warning]\nenabled = true\nbelow = "90"\nconsequences = ["flogging"]\n'
            'clause = "ZT §5(三)"\n',
            "credit.warning.consequences: unknown consequence kind 'flogging'",
        ),
        (
            '[[ladder.rungs]]\ncount = 2\nconsequences = ["interview"]\nclause = "YC §5(一)"\n\n'
            '[[ladder.rungs]]\ncount = 1\nconsequences = ["removal"]\nclause = "YC §5(一)"\n\n'
            '[ladder]\nclause = "YC §5(一)"\n',
            "ladder.rungs: counts must rise strictly",
        ),
        (
            '[tender_ban]\nitems = ["ib_nothing"]\nclause = "KD §3(一)1"\n',
            "tender_ban.items: unknown violation 'ib_nothing'",
        ),
        (
            '[[violations]]\ncode = "np_1"\n'
            'referral = { department = "dog_office", clause = "[choice] x" }\n',
            "violations[np_1].referral.department: unknown department 'dog_office'",
        ),
        (
            '[[violations]]\ncode = "np_1"\ndeduction = { points = "7" }\n',
            "violations[np_1].deduction.clause: changes points but gives no clause",
        ),
        (
            '[[satisfaction.bands]]\ncode = "all"\nname = "x"\nname_en = "x"\nmin = "0.5"\n'
            'clause = "[choice] x"\n\n'
            '[satisfaction]\nclause = "KD §3(四)2"\n',
            "satisfaction.bands: the first band (the lowest) gives no min",
        ),
        (
            '[[star_rating.indicators]]\ncode = "all"\nname = "x"\nname_en = "x"\nweight = "90"\n'
            'clause = "[choice] x"\n\n'
            '[star_rating]\nclause = "YC §5(二)"\n',
            "star_rating: indicators: weights add up to 90, not 100",
        ),
        ('[ladder]\ncount = "vibes"\nclause = "YC §5(一)"\n', "ladder.count: Input should be"),
    ],
)
def test_a_bad_rule_value_is_refused_naming_the_key(tmp_path: Path, body: str, message: str) -> None:
    assert message in refused(tmp_path, body)


def test_policy_check_names_the_version_and_the_rules_switched_on() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("policy_check", "kundulun", stdout=out)
    line = out.getvalue()
    assert "KD kundulun 2020.1, in force from 2020-01-01" in line
    assert "rules on: credit.accumulated, tender_ban, warnings, satisfaction)" in line
