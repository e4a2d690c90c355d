"""The engine over every shipped preset: given these facts, exactly these consequences with these
clauses; then the boundaries each rule draws (90 points, 60 % and 85 %, four items, an item twice)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from jiayuan.policy.loader import load_preset
from jiayuan.rules.engine import diff, evaluate
from jiayuan.rules.facts import parse_facts
from jiayuan.rules.tests.world import facts, run, table

# One year of a small city: E1 (serving S1, S2, manager P1) breaks nine-prohibitions item 1 twice
# and item 2 once; E2 (serving S3) rigs a bid, had 85 points in 2025 and will not leave S3.
WORLD = facts(
    violations=[
        {"subject": "E1", "estate": "S1", "item": "np_1", "on": "2026-03-01", "project_manager": "P1"},
        {"subject": "E1", "estate": "S1", "item": "np_1", "on": "2026-04-01"},
        {"subject": "E1", "estate": "S2", "item": "np_2", "on": "2026-05-01"},
        {"subject": "E2", "estate": "S3", "item": "ib_bid_rigging", "on": "2026-06-01"},
    ],
    credit_scores=[{"subject": "E2", "year": 2025, "score": "85"}],
    satisfaction=[
        {"estate": "S1", "year": 2026, "rate": "0.55"},
        {"estate": "S2", "year": 2026, "rate": "0.85"},
        {"estate": "S3", "year": 2026, "rate": "0.60"},
    ],
    star_ratings=[
        {"estate": "S1", "round": "2025", "stars": 2},
        {"estate": "S1", "round": "2026", "stars": 1},
        {"estate": "S3", "round": "2026", "stars": 0},
    ],
    warnings=[{"subject": "E1", "on": "2026-05-01", "estate": "S1"}, {"subject": "E1", "on": "2026-08-01"}],
    refusals_to_leave=[{"subject": "E2", "estate": "S3", "since": "2026-07-01"}],
)

EXPECTED = {
    "national": [
        ("interview", "E1", None, "ladder.rungs[1]", "YC §5(一)"),
        ("interview", "E1", None, "credit.warning", "ZT §5(三)"),
        ("risk_warning_letter", "E1", None, "credit.warning", "ZT §5(三)"),
        ("tender_ban", "E1", None, "blacklist.bars_tenders", "KD §3(一)1"),
        ("blacklist", "E1", None, "credit.accumulated", "KD §3(四)1"),
        ("public_notice", "E1", None, "credit.accumulated", "KD §3(四)1"),
        ("owners_assembly", "E1", "S1", "satisfaction.bands[low]", "KD §3(四)2"),
        ("key_target", "E1", "S1", "star_rating.low", "YC §5(二)"),
        ("key_target", "E1", "S1", "star_rating.low", "YC §5(二)"),
        ("more_inspections", "E1", "S1", "star_rating.low", "YC §5(二)"),
        ("more_inspections", "E1", "S1", "star_rating.low", "YC §5(二)"),
        ("removal", "E1", "S1", "star_rating.repeat", "YC §5(二)"),
        ("rectification_order", "E1", "S1", "ladder.rungs[1]", "YC §5(一)"),
        ("replace_project_manager", "E1", "S1", "ladder.rungs[1]", "YC §5(一)"),
        ("credit_deduction", "E1", "S1", "violations[np_1].deduction", "[choice] YC"),
        ("referral", "E1", "S1", "violations[np_1].referral", "YC §5(一)"),
        ("credit_deduction", "E1", "S1", "violations[np_1].deduction", "[choice] YC"),
        ("referral", "E1", "S1", "violations[np_1].referral", "YC §5(一)"),
        ("owners_assembly", "E1", "S1", "credit.accumulated", "KD §3(四)1"),
        ("star_downgrade", "E1", "S1", "ladder.rungs[2]", "YC §5(一)"),
        ("owners_assembly", "E1", "S1", "warnings", "KD §3(五)"),
        ("commendation", "E1", "S2", "satisfaction.bands[high]", "KD §3(四)2"),
        ("owners_assembly", "E1", "S2", "credit.accumulated", "KD §3(四)1"),
        ("star_downgrade", "E1", "S2", "ladder.rungs[2]", "YC §5(一)"),
        ("credit_deduction", "E1", "S2", "violations[np_2].deduction", "[choice] YC"),
        ("referral", "E1", "S2", "violations[np_2].referral", "YC §5(一)"),
        ("owners_assembly", "E1", "S2", "warnings", "KD §3(五)"),
        ("interview", "E2", None, "credit.warning", "ZT §5(三)"),
        ("risk_warning_letter", "E2", None, "credit.warning", "ZT §5(三)"),
        ("public_notice", "E2", None, "tender_ban", "KD §3(一)1"),
        ("tender_ban", "E2", None, "tender_ban", "KD §3(一)1"),
        ("interview", "E2", "S3", "satisfaction.bands[middle]", "KD §3(四)2"),
        ("rectification_commitment", "E2", "S3", "satisfaction.bands[middle]", "KD §3(四)2"),
        ("removal", "E2", "S3", "star_rating.failing", "YC §5(二)"),
        ("key_target", "E2", "S3", "star_rating.low", "YC §5(二)"),
        ("more_inspections", "E2", "S3", "star_rating.low", "YC §5(二)"),
        ("credit_deduction", "E2", "S3", "violations[ib_bid_rigging].deduction", "[choice] no"),
        ("credit_platform_push", "E2", "S3", "refusal_to_leave", "YUN §4(二)"),
        ("referral", "E2", "S3", "refusal_to_leave.report_to", "YUN §4(二)"),
        ("credit_deduction", "P1", "S1", "violations[np_1].project_manager_deduction", "SH §2(二)3"),
    ],
    "yinchuan": [
        ("interview", "E1", None, "ladder.rungs[1]", "YC §5(一)"),
        ("key_target", "E1", "S1", "star_rating.low", "YC §5(二)"),
        ("key_target", "E1", "S1", "star_rating.low", "YC §5(二)"),
        ("more_inspections", "E1", "S1", "star_rating.low", "YC §5(二)"),
        ("more_inspections", "E1", "S1", "star_rating.low", "YC §5(二)"),
        ("removal", "E1", "S1", "star_rating.repeat", "YC §5(二)"),
        ("rectification_order", "E1", "S1", "ladder.rungs[1]", "YC §5(一)"),
        ("replace_project_manager", "E1", "S1", "ladder.rungs[1]", "YC §5(一)"),
        ("credit_deduction", "E1", "S1", "violations[np_1].deduction", "[choice] YC"),
        ("referral", "E1", "S1", "violations[np_1].referral", "YC §5(一)"),
        ("credit_deduction", "E1", "S1", "violations[np_1].deduction", "[choice] YC"),
        ("referral", "E1", "S1", "violations[np_1].referral", "YC §5(一)"),
        ("star_downgrade", "E1", "S1", "ladder.rungs[2]", "YC §5(一)"),
        ("star_downgrade", "E1", "S2", "ladder.rungs[2]", "YC §5(一)"),
        ("credit_deduction", "E1", "S2", "violations[np_2].deduction", "[choice] YC"),
        ("referral", "E1", "S2", "violations[np_2].referral", "YC §5(一)"),
        ("removal", "E2", "S3", "star_rating.failing", "YC §5(二)"),
        ("key_target", "E2", "S3", "star_rating.low", "YC §5(二)"),
        ("more_inspections", "E2", "S3", "star_rating.low", "YC §5(二)"),
        ("credit_deduction", "E2", "S3", "violations[ib_bid_rigging].deduction", "[choice] no"),
        ("credit_deduction", "P1", "S1", "violations[np_1].project_manager_deduction", "SH §2(二)3"),
    ],
    "yuncheng": [
        ("credit_deduction", "E1", "S1", "violations[np_1].deduction", "[choice] YC"),
        ("referral", "E1", "S1", "violations[np_1].referral", "YC §5(一)"),
        ("credit_deduction", "E1", "S1", "violations[np_1].deduction", "[choice] YC"),
        ("referral", "E1", "S1", "violations[np_1].referral", "YC §5(一)"),
        ("credit_deduction", "E1", "S2", "violations[np_2].deduction", "[choice] YC"),
        ("referral", "E1", "S2", "violations[np_2].referral", "YC §5(一)"),
        ("credit_deduction", "E2", "S3", "violations[ib_bid_rigging].deduction", "[choice] no"),
        ("credit_platform_push", "E2", "S3", "refusal_to_leave", "YUN §4(二)"),
        ("referral", "E2", "S3", "refusal_to_leave.report_to", "YUN §4(二)"),
        ("credit_deduction", "P1", "S1", "violations[np_1].project_manager_deduction", "SH §2(二)3"),
    ],
    "shanghai": [
        ("credit_deduction", "E1", "S1", "violations[np_1].deduction", "[choice] YC"),
        ("referral", "E1", "S1", "violations[np_1].referral", "YC §5(一)"),
        ("credit_deduction", "E1", "S1", "violations[np_1].deduction", "[choice] YC"),
        ("referral", "E1", "S1", "violations[np_1].referral", "YC §5(一)"),
        ("credit_deduction", "E1", "S2", "violations[np_2].deduction", "[choice] YC"),
        ("referral", "E1", "S2", "violations[np_2].referral", "YC §5(一)"),
        ("credit_deduction", "E2", "S3", "violations[ib_bid_rigging].deduction", "[choice] no"),
        ("credit_deduction", "P1", "S1", "violations[np_1].project_manager_deduction", "SH §2(二)3"),
    ],
    "zhaotong": [
        ("interview", "E1", None, "credit.warning", "ZT §5(三)"),
        ("risk_warning_letter", "E1", None, "credit.warning", "ZT §5(三)"),
        ("credit_deduction", "E1", "S1", "violations[np_1].deduction", "[choice] YC"),
        ("referral", "E1", "S1", "violations[np_1].referral", "YC §5(一)"),
        ("credit_deduction", "E1", "S1", "violations[np_1].deduction", "[choice] YC"),
        ("referral", "E1", "S1", "violations[np_1].referral", "YC §5(一)"),
        ("credit_deduction", "E1", "S2", "violations[np_2].deduction", "[choice] YC"),
        ("referral", "E1", "S2", "violations[np_2].referral", "YC §5(一)"),
        ("interview", "E2", None, "credit.warning", "ZT §5(三)"),
        ("risk_warning_letter", "E2", None, "credit.warning", "ZT §5(三)"),
        ("credit_deduction", "E2", "S3", "violations[ib_bid_rigging].deduction", "[choice] no"),
        ("credit_deduction", "P1", "S1", "violations[np_1].project_manager_deduction", "SH §2(二)3"),
    ],
    "kundulun": [
        ("tender_ban", "E1", None, "blacklist.bars_tenders", "KD §3(一)1"),
        ("blacklist", "E1", None, "credit.accumulated", "KD §3(四)1"),
        ("public_notice", "E1", None, "credit.accumulated", "KD §3(四)1"),
        ("owners_assembly", "E1", "S1", "satisfaction.bands[low]", "KD §3(四)2"),
        ("credit_deduction", "E1", "S1", "violations[np_1].deduction", "[choice] YC"),
        ("referral", "E1", "S1", "violations[np_1].referral", "YC §5(一)"),
        ("credit_deduction", "E1", "S1", "violations[np_1].deduction", "[choice] YC"),
        ("referral", "E1", "S1", "violations[np_1].referral", "YC §5(一)"),
        ("owners_assembly", "E1", "S1", "credit.accumulated", "KD §3(四)1"),
        ("owners_assembly", "E1", "S1", "warnings", "KD §3(五)"),
        ("commendation", "E1", "S2", "satisfaction.bands[high]", "KD §3(四)2"),
        ("owners_assembly", "E1", "S2", "credit.accumulated", "KD §3(四)1"),
        ("credit_deduction", "E1", "S2", "violations[np_2].deduction", "[choice] YC"),
        ("referral", "E1", "S2", "violations[np_2].referral", "YC §5(一)"),
        ("owners_assembly", "E1", "S2", "warnings", "KD §3(五)"),
        ("public_notice", "E2", None, "tender_ban", "KD §3(一)1"),
        ("tender_ban", "E2", None, "tender_ban", "KD §3(一)1"),
        ("interview", "E2", "S3", "satisfaction.bands[middle]", "KD §3(四)2"),
        ("rectification_commitment", "E2", "S3", "satisfaction.bands[middle]", "KD §3(四)2"),
        ("credit_deduction", "E2", "S3", "violations[ib_bid_rigging].deduction", "[choice] no"),
        ("credit_deduction", "P1", "S1", "violations[np_1].project_manager_deduction", "SH §2(二)3"),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_preset_orders_exactly_these_consequences_with_these_clauses(name: str) -> None:
    result = run(name, WORLD)
    assert result.preset == name
    assert result.version == load_preset(name).version
    assert table(result) == EXPECTED[name]


def test_the_scores_are_base_less_deductions_and_the_published_one_stands() -> None:
    scores = {(s.subject, s.year): (s.score, s.band, s.computed) for s in run("national", WORLD).scores}
    assert scores == {
        ("E1", 2026): (Decimal(70), "d", True),  # 100 - 10 - 10 - 10
        ("E2", 2025): (Decimal(85), "c", False),
        ("E2", 2026): (Decimal(95), "a", True),  # 100 - 5 (bid rigging)
        ("P1", 2026): (Decimal(95), "a", True),  # half of np_1's 10 (SH §2(二)3)
    }


def test_the_example_of_the_issue_evaluates_and_records_the_preset() -> None:
    data = {
        "as_of": "2026-12-31",
        "enterprises": [{"ref": "E1", "name": "某物业公司", "uscc": "91640100MA7XXXXXXX"}],
        "estates": [{"ref": "S1", "name": "某小区", "enterprise": "E1"}],
        "violations": [{"subject": "E1", "estate": "S1", "item": "np_1", "on": "2026-03-01"}],
        "credit_scores": [{"subject": "E1", "year": 2025, "score": "88"}],
        "star_ratings": [{"estate": "S1", "round": "2026", "stars": 2}],
        "satisfaction": [{"estate": "S1", "year": 2026, "rate": "0.55"}],
        "warnings": [{"subject": "E1", "on": "2026-05-01"}],
    }
    output = evaluate(load_preset("zhaotong"), parse_facts(data)).as_json()
    assert (output["preset"], output["version"]) == ("zhaotong", "2021.1")
    assert [(c["kind"], c["on"]) for c in output["consequences"] if c["rule"] == "credit.warning"] == [
        ("interview", "2025-12-31"),
        ("risk_warning_letter", "2025-12-31"),
    ]


# --- the credit line of ZT §5(三): 低于90分 --------------------------------------------------------


def kinds(preset: str, data: dict[str, object], rule: str) -> list[tuple[str, str | None]]:
    return [(c.kind, c.estate) for c in run(preset, data).consequences if c.rule == rule]


def test_a_score_of_exactly_90_is_not_warned() -> None:
    one = facts(violations=[{"subject": "E1", "estate": "S1", "item": "np_1", "on": "2026-03-01"}])
    assert kinds("zhaotong", one, "credit.warning") == []  # 100 - 10 = 90


def test_a_score_just_under_90_is_warned_on_the_day_it_fell() -> None:
    data = facts(
        violations=[
            {"subject": "E1", "estate": "S1", "item": "np_1", "on": "2026-03-01"},
            {"subject": "E1", "estate": "S1", "item": "price_no_marking", "on": "2026-09-15", "points": ".5"},
        ]
    )
    result = run("zhaotong", data)
    warned = [c for c in result.consequences if c.rule == "credit.warning"]
    assert [(c.kind, c.on) for c in warned] == [
        ("interview", date(2026, 9, 15)),
        ("risk_warning_letter", date(2026, 9, 15)),
    ]
    assert "89.5" in warned[0].evidence[0]


def test_a_published_score_of_90_is_not_warned_and_89_99_is() -> None:
    at_90 = facts(credit_scores=[{"subject": "E1", "year": 2025, "score": "90"}])
    under = facts(credit_scores=[{"subject": "E1", "year": 2025, "score": "89.99"}])
    assert kinds("zhaotong", at_90, "credit.warning") == []
    assert kinds("zhaotong", under, "credit.warning") == [("interview", None), ("risk_warning_letter", None)]


def test_two_years_under_90_blacklist_for_the_term_and_bar_tenders() -> None:
    data = facts(
        credit_scores=[{"subject": "E1", "year": 2025, "score": "88"}],
        violations=[
            {"subject": "E1", "estate": "S1", "item": "np_1", "on": "2026-03-01"},
            {"subject": "E1", "estate": "S2", "item": "np_1", "on": "2026-04-02"},
        ],
    )
    result = run("zhaotong", data)
    barred = [c for c in result.consequences if c.kind in ("blacklist", "tender_ban")]
    listed = [(c.kind, c.rule, c.on, c.until) for c in barred]
    assert listed == [
        ("tender_ban", "blacklist.bars_tenders", date(2026, 4, 2), date(2029, 4, 2)),
        ("blacklist", "credit.consecutive", date(2026, 4, 2), date(2029, 4, 2)),
    ]


def test_one_year_under_90_is_not_two() -> None:
    low = [{"subject": "E1", "year": year, "score": "80"} for year in (2024, 2026)]
    data = facts(credit_scores=low)
    assert kinds("zhaotong", data, "credit.consecutive") == []  # 2025 is 100: the run is broken


# --- the satisfaction bands of KD §3(四)2 -----------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "band"),
    [
        ("0", "low"),
        ("0.5999", "low"),
        ("0.60", "middle"),
        ("0.8499", "middle"),
        ("0.85", "high"),
        ("1", "high"),
    ],
)
def test_satisfaction_bands_take_60_into_the_middle_and_85_into_the_top(rate: str, band: str) -> None:
    data = facts(satisfaction=[{"estate": "S3", "year": 2026, "rate": rate}])
    rules = {c.rule for c in run("kundulun", data).consequences}
    assert rules == {f"satisfaction.bands[{band}]"}


def test_the_85_percent_reading_is_shown_with_the_consequence() -> None:
    data = facts(satisfaction=[{"estate": "S3", "year": 2026, "rate": "0.85"}])
    (commendation,) = run("kundulun", data).consequences
    assert commendation.kind == "commendation" and commendation.subject == "E2"
    assert "Civil Code art. 1259" in commendation.clause and "[choice] exactly 85%" in commendation.clause


# --- the nine-prohibitions ladder of YC §5(一) -------------------------------------------------------


def violations(*items: str, subject: str = "E1", estate: str = "S1") -> list[dict[str, str]]:
    return [
        {"subject": subject, "estate": estate, "item": item, "on": f"2026-0{i + 1}-10"}
        for i, item in enumerate(items)
    ]


def ladder(preset: str, data: dict[str, object]) -> list[tuple[str, str | None, str]]:
    return [(c.rule, c.estate, c.kind) for c in run(preset, data).consequences if c.rule.startswith("ladder")]


def test_the_same_item_twice_is_one_item() -> None:
    assert ladder("yinchuan", facts(violations=violations("np_5", "np_5"))) == [
        ("ladder.rungs[1]", None, "interview"),
        ("ladder.rungs[1]", "S1", "rectification_order"),
        ("ladder.rungs[1]", "S1", "replace_project_manager"),
    ]


def test_three_distinct_items_remove_the_enterprise_from_the_estate() -> None:
    found = ladder("yinchuan", facts(violations=violations("np_1", "np_2", "np_3")))
    assert ("ladder.rungs[3]", "S1", "removal") in found
    assert ("ladder.rungs[3]", "S1", "not_up_to_standard") in found
    assert not any(rule == "ladder.rungs[4]" for rule, _, _ in found)


def test_four_distinct_items_blacklist_and_every_rung_comes_once() -> None:
    result = run("yinchuan", facts(violations=violations("np_1", "np_2", "np_3", "np_4")))
    rungs = [(c.rule, c.kind, c.on) for c in result.consequences if c.rule.startswith("ladder")]
    assert sorted(rungs) == sorted(
        [
            ("ladder.rungs[1]", "interview", date(2026, 1, 10)),
            ("ladder.rungs[1]", "rectification_order", date(2026, 1, 10)),
            ("ladder.rungs[1]", "replace_project_manager", date(2026, 1, 10)),
            ("ladder.rungs[2]", "star_downgrade", date(2026, 2, 10)),
            ("ladder.rungs[3]", "not_up_to_standard", date(2026, 3, 10)),
            ("ladder.rungs[3]", "removal", date(2026, 3, 10)),
            ("ladder.rungs[4]", "blacklist", date(2026, 4, 10)),
        ]
    )
    (blacklist,) = [c for c in result.consequences if c.kind == "blacklist"]
    assert blacklist.until == date(2029, 4, 10) and blacklist.estate is None
    assert any("distinct items" in reading for reading in blacklist.readings)


def test_items_of_last_year_do_not_count_this_year() -> None:
    data = facts(
        violations=[
            {"subject": "E1", "estate": "S1", "item": "np_1", "on": "2025-11-01"},
            {"subject": "E1", "estate": "S1", "item": "np_2", "on": "2026-01-05"},
        ]
    )
    assert {rule for rule, _, _ in ladder("yinchuan", data)} == {"ladder.rungs[1]"}


def test_counting_incidents_is_a_setting(tmp_path: Path) -> None:
    city = tmp_path / "incidents.toml"
    city.write_text(
        '[meta]\nkey = "TST"\nname = "incidents"\ntitle = "T"\nissuer = "T"\nyear = 2026\n'
        'version = "t1"\neffective_date = 2026-01-01\neffective_clause = "[choice] test"\n'
        'extends = "yinchuan"\n\n'
        '[ladder]\ncount = "incidents"\ncount_clause = "[choice] every incident counts"\n'
        'clause = "YC §5(一)"\n',
        encoding="utf-8",
    )
    data = parse_facts(facts(violations=violations("np_5", "np_5")))
    twice = evaluate(load_preset(str(city)), data)
    rungs = {c.rule for c in twice.consequences if c.rule.startswith("ladder")}
    assert rungs == {"ladder.rungs[1]", "ladder.rungs[2]"}
    assert twice.preset == "incidents" and twice.version == "t1"


def test_the_ladder_is_off_where_the_document_has_none() -> None:
    assert ladder("zhaotong", facts(violations=violations("np_1", "np_2", "np_3", "np_4"))) == []


# --- stars (YC §5(二)), warnings (KD §3(五)), refusal to leave (YUN §4(二)), accumulation (KD §3(四)1) --


def test_three_stars_are_no_target_and_two_are() -> None:
    three = facts(star_ratings=[{"estate": "S1", "round": "2026", "stars": 3}])
    two = facts(star_ratings=[{"estate": "S1", "round": "2026", "stars": 2}])
    assert run("yinchuan", three).consequences == ()
    assert kinds("yinchuan", two, "star_rating.low") == [("key_target", "S1"), ("more_inspections", "S1")]


def test_two_low_rounds_apart_are_not_consecutive() -> None:
    data = facts(
        star_ratings=[
            {"estate": "S1", "round": "2024", "stars": 2},
            {"estate": "S1", "round": "2025", "stars": 4},
            {"estate": "S1", "round": "2026", "stars": 1},
        ]
    )
    assert kinds("yinchuan", data, "star_rating.repeat") == []


def test_one_warning_is_not_two() -> None:
    one = facts(warnings=[{"subject": "E1", "on": "2026-05-01", "estate": "S2"}])
    two = facts(
        warnings=[
            {"subject": "E1", "on": "2026-05-01", "estate": "S2"},
            {"subject": "E1", "on": "2026-06-01", "estate": "S2"},
        ]
    )
    assert kinds("kundulun", one, "warnings") == []
    assert kinds("kundulun", two, "warnings") == [("owners_assembly", "S2")]


def test_a_resolved_refusal_is_not_pushed() -> None:
    refusal = {"subject": "E2", "estate": "S3", "since": "2026-07-01", "resolved": "2026-08-01"}
    resolved = facts(refusals_to_leave=[refusal])
    assert run("yuncheng", resolved).consequences == ()


def test_deductions_reaching_the_threshold_blacklist_and_below_do_not() -> None:
    at = facts(violations=violations("np_1", "np_2", "np_3"))  # 30 points: 达到
    below = facts(violations=violations("np_1", "np_2", "ib_bid_rigging"))  # 25 points
    assert ("blacklist", None) in kinds("kundulun", at, "credit.accumulated")
    assert kinds("kundulun", below, "credit.accumulated") == []


def test_a_tender_offence_bans_for_three_years() -> None:
    data = facts(violations=violations("ib_malicious_low_bid", subject="E2", estate="S3"))
    result = run("kundulun", data)
    (ban,) = [c for c in result.consequences if c.kind == "tender_ban"]
    assert (ban.on, ban.until, ban.rule) == (date(2026, 1, 10), date(2029, 1, 10), "tender_ban")


# --- what-if ---------------------------------------------------------------------------------------


def test_what_if_shows_what_another_preset_adds_and_removes_per_subject_and_estate() -> None:
    data = parse_facts(WORLD)
    before = evaluate(load_preset("zhaotong"), data)
    after = evaluate(load_preset("yuncheng"), data)
    changes = {(c.subject, c.estate): c for c in diff(before, after).changes}
    assert set(changes) == {("E1", None), ("E2", None), ("E2", "S3")}
    assert [c.kind for c in changes[("E1", None)].removed] == ["interview", "risk_warning_letter"]
    assert [c.kind for c in changes[("E2", "S3")].added] == ["credit_platform_push", "referral"]
    assert changes[("E2", "S3")].removed == ()
    assert [c.kind for c in changes[("E2", None)].removed] == ["interview", "risk_warning_letter"]


def test_the_same_preset_makes_no_difference() -> None:
    result = run("national", WORLD)
    assert diff(result, result).changes == () and diff(result, result).scores == ()
