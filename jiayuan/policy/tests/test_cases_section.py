"""The [cases] section: numbering, deadlines by category or group and urgency, windows, escalation."""

from __future__ import annotations

from pathlib import Path

import pytest

from jiayuan.policy.loader import load_preset, preset_names
from jiayuan.policy.tests.test_loader import override, refusal, write

DEFAULTS = "".join(
    f'[[cases.deadlines]]\napplies_to = "*"\nurgency = "{u}"\naccept_hours = 24\nrectify_hours = 48\n'
    f'clause = "[choice] test"\n\n'
    for u in ("urgent", "normal", "low")
)


@pytest.mark.parametrize("name", preset_names())
def test_every_shipped_preset_has_a_deadline_for_every_category_and_urgency(name: str) -> None:
    preset = load_preset(name)
    for code in preset.categories:
        for urgency in ("urgent", "normal", "low"):
            line = preset.deadline_for(code, urgency)
            assert line.accept_hours >= 1


def test_city_presets_number_cases_with_their_own_key() -> None:
    assert load_preset("yinchuan").data.cases.numbering.prefix == "YC"
    assert load_preset("national").data.cases.numbering.prefix == "CN"


def test_the_most_specific_deadline_wins() -> None:
    preset = load_preset("national")
    safety = next(c.code for c in preset.categories.values() if c.group == "safety_duties")
    assert preset.deadline_for(safety, "normal").applies_to == "safety_duties"
    assert preset.deadline_for("everyday_cleaning", "normal").applies_to == "*"
    assert preset.deadline_for(safety, "urgent").applies_to == "*"


def test_a_city_may_replace_the_deadlines(tmp_path: Path) -> None:
    body = DEFAULTS + (
        '[[cases.deadlines]]\napplies_to = "everyday_cleaning"\nurgency = "normal"\naccept_hours = 1\n'
        'rectify_working_days = 2\nclause = "[choice] test"\n'
    )
    preset = load_preset(str(write(tmp_path, override(body))))
    assert preset.deadline_for("everyday_cleaning", "normal").rectify_working_days == 2
    assert preset.deadline_for("np_staff_uniform", "normal").applies_to == "*"


def test_it_refuses_deadlines_without_a_default_for_every_urgency(tmp_path: Path) -> None:
    body = DEFAULTS.rsplit("[[cases.deadlines]]", 1)[0]
    message = refusal(tmp_path, body)
    assert "no default line" in message and "'low'" in message


def test_it_refuses_a_deadline_with_two_rectify_periods(tmp_path: Path) -> None:
    message = refusal(
        tmp_path, DEFAULTS.replace("rectify_hours = 48", "rectify_hours = 48\nrectify_working_days = 2", 1)
    )
    assert "exactly one of rectify_hours and rectify_working_days" in message


def test_it_refuses_a_deadline_for_an_unknown_category(tmp_path: Path) -> None:
    body = DEFAULTS + (
        '[[cases.deadlines]]\napplies_to = "snow"\nurgency = "low"\naccept_hours = 1\nrectify_hours = 2\n'
        'clause = "[choice] test"\n'
    )
    assert "cases.deadlines[snow/low].applies_to: not a category or category group" in refusal(tmp_path, body)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[cases.numbering]\nprefix = "yc"\nclause = "[choice] t"\n', "cases.numbering.prefix"),
        ('[cases.due_soon]\nhours = 0\nclause = "[choice] t"\n', "cases.due_soon.hours"),
        ('[cases.reopen_window]\ndays = -1\nclause = "[choice] t"\n', "cases.reopen_window.days"),
        ('[cases.poor_rating]\nmax = 5\nclause = "[choice] t"\n', "cases.poor_rating.max"),
        ('[cases.escalation]\ntop = "province"\nclause = "[choice] t"\n', "cases.escalation.top"),
        (
            '[cases.escalation]\ninterval_hours = "3"\nclause = "[choice] t"\n',
            "cases.escalation.interval_hours",
        ),
    ],
)
def test_it_refuses_out_of_range_case_values(tmp_path: Path, body: str, expected: str) -> None:
    assert expected in refusal(tmp_path, body)


def test_changing_an_inherited_case_value_needs_its_own_clause(tmp_path: Path) -> None:
    assert "cases.due_soon.clause" in refusal(tmp_path, "[cases.due_soon]\nhours = 12\n")
