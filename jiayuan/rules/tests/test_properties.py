"""Properties of the engine over generated facts: evaluating is idempotent and blind to the order
of the facts, and every computed score is the base less the deductions plus the bonuses."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiayuan.policy.loader import PolicyPreset, load_preset
from jiayuan.rules.engine import diff, evaluate
from jiayuan.rules.facts import parse_facts
from jiayuan.rules.tests.world import facts

PRESETS = ["national", "yinchuan", "yuncheng", "shanghai", "zhaotong", "kundulun"]
ITEMS = ["np_1", "np_2", "np_3", "np_4", "np_5", "ib_bid_rigging", "perf_exit_handover", "price_no_marking"]
SUBJECT_ESTATES = [("E1", "S1"), ("E1", "S2"), ("E2", "S3")]


@cache
def preset(name: str) -> PolicyPreset:
    return load_preset(name)


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))
decimals = st.decimals(min_value=0, max_value=20, places=1).map(str)
rates = st.decimals(min_value=0, max_value=1, places=2).map(str)
scores_ = st.decimals(min_value=60, max_value=100, places=1).map(str)
RATED = ["E1", "E2", "P1"]
ESTATES = ["S1", "S2", "S3"]
PAST = [2024, 2025]
ROUNDS = ["2024", "2025", "2026"]


@st.composite
def world(draw: Any) -> dict[str, Any]:
    violations = []
    for _ in range(draw(st.integers(0, 10))):
        subject, estate = draw(st.sampled_from(SUBJECT_ESTATES))
        item, on = draw(st.sampled_from(ITEMS)), draw(days).isoformat()
        entry = {"subject": subject, "estate": estate, "item": item, "on": on}
        if subject == "E1" and draw(st.booleans()):
            entry["project_manager"] = "P1"
        if draw(st.booleans()):
            entry["points"] = draw(decimals)
        violations.append(entry)
    bonuses = [
        {"subject": draw(st.sampled_from(RATED)), "on": draw(days).isoformat(), "points": draw(decimals)}
        for _ in range(draw(st.integers(0, 3)))
    ]
    scores = [
        {"subject": subject, "year": year, "score": draw(scores_)}
        for subject, year in draw(st.sets(st.tuples(st.sampled_from(["E1", "E2"]), st.sampled_from(PAST))))
    ]
    stars = [
        {"estate": estate, "round": rnd, "stars": draw(st.integers(0, 5))}
        for estate, rnd in draw(st.sets(st.tuples(st.sampled_from(ESTATES), st.sampled_from(ROUNDS))))
    ]
    satisfaction = [
        {"estate": estate, "year": year, "rate": draw(rates)}
        for estate, year in draw(st.sets(st.tuples(st.sampled_from(ESTATES), st.sampled_from([2025, 2026]))))
    ]
    warnings = [
        {"subject": draw(st.sampled_from(["E1", "E2"])), "on": draw(days).isoformat()}
        for _ in range(draw(st.integers(0, 3)))
    ]
    since = draw(st.lists(days, max_size=1))
    refusals = [{"subject": "E2", "estate": "S3", "since": day.isoformat()} for day in since]
    return facts(
        violations=violations,
        bonuses=bonuses,
        credit_scores=scores,
        star_ratings=stars,
        satisfaction=satisfaction,
        warnings=warnings,
        refusals_to_leave=refusals,
    )


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(data=world(), name=st.sampled_from(PRESETS))
def test_evaluating_twice_gives_the_same_result(data: dict[str, Any], name: str) -> None:
    facts_ = parse_facts(data)
    first, second = evaluate(preset(name), facts_), evaluate(preset(name), facts_)
    assert first == second
    assert first.as_json() == second.as_json()
    assert diff(first, second).changes == ()


@PROPERTY
@given(data=world(), name=st.sampled_from(PRESETS), seed=st.integers(0, 2**32 - 1))
def test_shuffled_facts_give_the_same_result(data: dict[str, Any], name: str, seed: int) -> None:
    shuffled = dict(data)
    shuffler = random.Random(seed)
    for key, value in data.items():
        if isinstance(value, list):
            shuffled[key] = shuffler.sample(value, len(value))
    assert evaluate(preset(name), parse_facts(shuffled)) == evaluate(preset(name), parse_facts(data))


@PROPERTY
@given(data=world(), name=st.sampled_from(PRESETS))
def test_a_computed_score_is_base_less_deductions_plus_bonuses(data: dict[str, Any], name: str) -> None:
    result = evaluate(preset(name), parse_facts(data))
    deducted: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for c in result.consequences:
        if c.kind == "credit_deduction":
            assert c.subject is not None and c.on is not None and c.points is not None
            deducted[(c.subject, c.on.year)] += c.points
    added: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for bonus in data["bonuses"]:
        added[(bonus["subject"], int(bonus["on"][:4]))] += Decimal(bonus["points"])
    published = {(s["subject"], s["year"]): Decimal(s["score"]) for s in data["credit_scores"]}
    base = preset(name).data.credit.base.value
    assert result.scores, "every enterprise and manager has a score for the year of as_of"
    for score in result.scores:
        key = (score.subject, score.year)
        if score.computed:
            assert score.score == base - deducted[key] + added[key]
        else:
            assert score.score == published[key]
