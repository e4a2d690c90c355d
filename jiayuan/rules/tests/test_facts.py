"""A facts file is refused with the key and the reason: unknown item, bad date, bad decimal,
unknown ref, a date after as_of, an item the subject cannot commit."""

from __future__ import annotations

from typing import Any

import pytest

from jiayuan.policy.loader import load_preset
from jiayuan.rules.engine import evaluate
from jiayuan.rules.facts import FactsError, parse_facts
from jiayuan.rules.tests.world import facts


def refusal(data: Any, preset: str = "yinchuan") -> list[str]:
    with pytest.raises(FactsError) as caught:
        evaluate(load_preset(preset), parse_facts(data, source="f.json"))
    return [line.removeprefix("f.json: ") for line in caught.value.problems]


def violation(**changes: Any) -> dict[str, Any]:
    entry = {"subject": "E1", "estate": "S1", "item": "np_1", "on": "2026-03-01"}
    entry.update(changes)
    return facts(violations=[entry])


def test_every_list_may_be_absent() -> None:
    result = evaluate(load_preset("national"), parse_facts({"as_of": "2026-12-31"}))
    assert result.consequences == () and result.scores == ()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (violation(item="np_10"), "violations[0].item: unknown item 'np_10' (not in the catalogue of"),
        (violation(on="2026-02-30"), "violations[0].on: '2026-02-30' is not a date: write YYYY-MM-DD"),
        (violation(on="2027-01-01"), "violations[0].on: 2027-01-01 is after as_of (2026-12-31)"),
        (violation(points="ten"), "violations[0].points: 'ten' is not a decimal number"),
        (violation(points=2.5), "violations[0].points: 2.5 is not a decimal string: write it quoted"),
        (violation(subject="E9"), "violations[0].subject: unknown ref 'E9'"),
        (violation(estate="S9"), "violations[0].estate: unknown ref 'S9' (not among the estates)"),
        (violation(project_manager="P9"), "violations[0].project_manager: unknown ref 'P9'"),
        (violation(colour="red"), "violations[0].colour: unknown key"),
        (violation(subject="P1"), "violations[0].subject: 'P1' is a project_manager; np_1 applies to"),
        (facts(as_of="31/12/2026"), "as_of: '31/12/2026' is not a date"),
        (
            facts(credit_scores=[{"subject": "E1", "year": 2025, "score": 88}]),
            "credit_scores[0].score: 88 is not a decimal string",
        ),
        (
            facts(satisfaction=[{"estate": "S1", "year": 2026, "rate": "55"}]),
            "satisfaction[0].rate: '55' is not a rate between 0 and 1",
        ),
        (
            facts(star_ratings=[{"estate": "S1", "round": "2026", "stars": 6}]),
            "star_ratings[0].stars: 6 is above 5",
        ),
        (facts(warnings=[{"subject": "E1"}]), "warnings[0].on: missing"),
        (
            facts(estates=[{"ref": "S1", "name": "x", "enterprise": "E7"}]),
            "estates[0].enterprise: unknown ref 'E7'",
        ),
        (
            facts(enterprises=[{"ref": "E1", "name": "a"}, {"ref": "E1", "name": "b"}]),
            "enterprises[1].ref: 'E1' is given twice",
        ),
        (facts(violations={"subject": "E1"}), "violations: must be a list"),
        (facts(complaints=[]), "complaints: unknown key"),
        ([], "(document): must be an object"),
    ],
)
def test_a_bad_fact_is_refused_with_its_key_and_reason(data: Any, problem: str) -> None:
    problems = refusal(data)
    assert any(line.startswith(problem) or problem in line for line in problems), problems


def test_every_problem_is_reported_not_only_the_first() -> None:
    data = facts(
        violations=[
            {"subject": "E1", "estate": "S1", "item": "np_1", "on": "yesterday"},
            {"subject": "E1", "estate": "S1", "item": "np_1", "on": "2026-03-01", "points": "x"},
        ]
    )
    assert len(refusal(data)) == 2
