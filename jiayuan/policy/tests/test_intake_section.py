"""The [intake] section: the owner's phone list of everyday problems, in plain words, per city."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jiayuan.policy.loader import load_preset, preset_names
from jiayuan.policy.tests.test_loader import override, refusal, write

ONE_GROUP = (
    '[intake]\nclause = "[choice] test"\n\n'
    '[[intake.groups]]\nname = "东西坏了"\nname_en = "Broken"\n'
    'problems = [{ category = "everyday_elevator", name = "电梯坏了", name_en = "The lift is broken" }]\n'
)


@pytest.mark.parametrize("name", preset_names())
def test_every_shipped_preset_offers_a_short_grouped_list_ending_with_other_problems(name: str) -> None:
    preset = load_preset(name)
    intake = preset.data.intake
    problems = intake.problems
    assert 2 <= len(intake.groups) <= 8
    assert len(problems) <= 30, "a short list: an owner reads it on a phone"
    assert problems[-1] == intake.other
    assert intake.other.name == "其他问题"
    for problem in problems:
        assert problem.category in preset.categories
        assert problem.name != preset.categories[problem.category].name or len(problem.name) <= 6, (
            f"{problem.category}: plain words, not the regulation's ({problem.name})"
        )


@pytest.mark.parametrize("name", [n for n in preset_names() if n != "national"])
def test_each_city_chooses_its_own_list(name: str) -> None:
    own = {p.category for p in load_preset(name).data.intake.problems}
    national = {p.category for p in load_preset("national").data.intake.problems}
    assert own != national


def test_cities_without_central_heating_do_not_offer_it() -> None:
    for name in ("shanghai", "zhaotong"):
        assert "everyday_heating" not in {p.category for p in load_preset(name).data.intake.problems}
    assert "everyday_heating" in {p.category for p in load_preset("kundulun").data.intake.problems}


def test_zhaotong_offers_emergency_vehicles_held_at_the_gate() -> None:
    problems = {p.category: p.name for p in load_preset("zhaotong").data.intake.problems}
    assert problems["everyday_emergency_vehicles"] == "消防车、救护车进不来"


def test_a_city_replaces_the_whole_list_and_keeps_other(tmp_path: Path) -> None:
    preset = load_preset(str(write(tmp_path, override(ONE_GROUP))))
    assert [p.category for p in preset.data.intake.problems] == ["everyday_elevator", "everyday_other"]


def test_a_city_that_changes_the_list_cites_its_own_clause(tmp_path: Path) -> None:
    message = refusal(tmp_path, ONE_GROUP.replace('clause = "[choice] test"\n', ""))
    assert "intake.clause: changes groups but gives no clause" in message


def test_it_refuses_an_owner_problem_pointing_at_an_unknown_category(tmp_path: Path) -> None:
    message = refusal(tmp_path, ONE_GROUP.replace("everyday_elevator", "everyday_lift"))
    assert "intake.groups[东西坏了].problems[电梯坏了].category: unknown category 'everyday_lift'" in message


def test_it_refuses_an_unknown_category_for_other(tmp_path: Path) -> None:
    body = ONE_GROUP.replace(
        '[intake]\nclause = "[choice] test"\n',
        '[intake]\nclause = "[choice] test"\n'
        'other = { category = "misc", name = "其他问题", name_en = "Other" }\n',
    )
    assert "intake.other.category: unknown category 'misc'" in refusal(tmp_path, body)


def test_it_refuses_a_category_offered_twice(tmp_path: Path) -> None:
    body = ONE_GROUP.replace(
        'name_en = "The lift is broken" }]',
        'name_en = "The lift is broken" }, '
        '{ category = "everyday_elevator", name = "电梯停了", name_en = "Stopped" }]',
    )
    assert "category 'everyday_elevator' is offered twice" in refusal(tmp_path, body)


def test_it_refuses_a_group_without_problems(tmp_path: Path) -> None:
    body = ONE_GROUP.replace(
        'problems = [{ category = "everyday_elevator", name = "电梯坏了", name_en = "The lift is broken" }]',
        "problems = []",
    )
    assert "problems: List should have at least 1 item" in refusal(tmp_path, body)


def test_policy_check_reports_an_owner_problem_with_an_unknown_category(tmp_path: Path) -> None:
    path = write(tmp_path, override(ONE_GROUP.replace("everyday_elevator", "everyday_lift")))
    with pytest.raises(CommandError, match=r"unknown category 'everyday_lift'"):
        call_command("policy_check", str(path), stdout=StringIO())
