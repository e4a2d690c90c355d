"""The shipped presets: each loads, is complete, cites its clauses, and says what its document says."""

from __future__ import annotations

import re
from functools import cache

import pytest

from jiayuan.policy.loader import PolicyPreset, load_preset, preset_names
from jiayuan.policy.schema import department_of

CITIES = {"yinchuan": "YC", "yuncheng": "YUN", "shanghai": "SH", "zhaotong": "ZT", "kundulun": "KD"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@cache
def preset(name: str) -> PolicyPreset:
    return load_preset(name)


def test_six_presets_are_shipped() -> None:
    assert preset_names() == sorted(["national", *CITIES])


@pytest.mark.parametrize("name", preset_names())
def test_every_shipped_preset_loads(name: str) -> None:
    loaded = preset(name)
    assert loaded.name == name
    assert loaded.data.governance.term_warning.days == 90


@pytest.mark.parametrize("name", sorted(CITIES))
def test_every_city_preset_extends_national_and_names_its_document(name: str) -> None:
    meta = preset(name).data.meta
    assert meta.extends == "national"
    assert meta.key == CITIES[name]


@pytest.mark.parametrize("name", preset_names())
def test_every_category_has_a_clause_a_group_and_a_city_wide_line(name: str) -> None:
    loaded = preset(name)
    for code, category in loaded.categories.items():
        assert category.clause, code
        assert category.group in loaded.category_groups, code
        assert CJK.search(category.name) and category.name_en.isascii(), code
        line = loaded.responsibility_for(code, "")
        assert line.region == "" and line.clause, code


@pytest.mark.parametrize("name", preset_names())
def test_every_department_referenced_exists(name: str) -> None:
    loaded = preset(name)
    for line in loaded.data.responsibilities:
        for body in line.bodies:
            code = department_of(body)
            assert code is None or code in loaded.departments, (line.ident, body)
            assert loaded.handler_name(body)


@pytest.mark.parametrize("name", preset_names())
def test_the_nine_prohibitions_are_all_there(name: str) -> None:
    items = {c.nine_prohibitions_item for c in preset(name).data.categories if c.nine_prohibitions_item}
    assert items == set(range(1, 10))


def test_national_has_the_eighteen_departments_of_zt() -> None:
    departments = preset("national").departments
    zt_listed = {code for code, d in departments.items() if d.clause.startswith("ZT §4(四)")}
    assert zt_listed == {
        "housing",
        "planning",
        "development_reform",
        "enforcement",
        "market_regulation",
        "emergency",
        "fire",
        "police",
        "government_affairs",
        "civil_affairs",
        "human_resources",
        "health",
        "ecology",
        "education",
        "justice",
        "publicity",
        "utilities",
        "industry_association",
    }
    for code, department in departments.items():
        assert department.remit and CJK.search(department.name), code


@pytest.mark.parametrize(
    ("group", "clause", "count"),
    [
        ("nine_prohibitions", "YC §5(一)", 9),
        ("illegal_business", "YC §5(三)1", 11),
        ("safety_duties", "YC §5(三)2", 8),
        ("non_performance", "YUN §3(一)", 5),
        ("owners_interests", "YUN §3(二)", 3),
        ("committee_misconduct", "YC §5(四)", 13),
    ],
)
def test_national_carries_each_list_of_the_documents(group: str, clause: str, count: int) -> None:
    categories = [c for c in preset("national").data.categories if c.group == group]
    assert len(categories) == count
    assert all(clause in c.clause or c.clause.startswith("ZT §3(一)3") for c in categories)


def test_owners_committee_misconduct_applies_to_the_committee_and_goes_to_the_subdistrict() -> None:
    national = preset("national")
    for category in national.data.categories:
        if category.group == "committee_misconduct":
            assert category.applies_to == "owners_committee"
            assert national.responsibility_for(category.code, "").handler == "subdistrict"


@pytest.mark.parametrize(
    ("category", "handler", "clause"),
    [
        ("np_illegal_construction", "district_housing", "ZT §4(四)1"),
        ("po_illegal_building", "department:enforcement", "ZT §4(四)4"),
        ("po_catering_fumes", "department:enforcement", "ZT §4(四)4"),
        ("po_ebike_charging", "department:fire", "ZT §4(四)7"),
        ("po_fire_lane_blocked", "department:fire", "ZT §4(四)7"),
        ("po_animals", "department:police", "ZT §4(四)8"),
        ("po_enterprise_entry_exit", "department:police", "ZT §4(四)8"),
        ("price_parking_fee", "department:market_regulation", "ZT §4(四)5"),
        ("po_elevator_safety", "department:market_regulation", "ZT §4(四)5"),
        ("po_unlicensed_business", "department:market_regulation", "ZT §4(四)5"),
        ("sg_property_dispute", "community", "ZT §4(三)"),
        ("everyday_cleaning", "enterprise", "YUN §3(一)1"),
        ("everyday_water_supply", "department:utilities", "ZT §4(四)17"),
    ],
)
def test_national_routes_by_the_departments_remits(category: str, handler: str, clause: str) -> None:
    line = preset("national").responsibility_for(category, "")
    assert line.handler == handler
    assert clause in line.clause


# --- each city says what its document says ------------------------------------------------------------


def differences(name: str) -> list[tuple[str, str]]:
    """(where, clause) of every entry the city adds or changes against national."""
    city, national = preset(name), preset("national")
    changed = []
    for line in city.data.responsibilities:
        base = next((b for b in national.data.responsibilities if b.ident == line.ident), None)
        if base != line:
            changed.append((f"responsibilities[{line.ident}]", line.clause))
    for field in ("departments", "categories"):
        base_entries = getattr(national, field)
        for code, entry in getattr(city, field).items():
            if base_entries.get(code) != entry:
                changed.append((f"{field}[{code}]", entry.clause))
    return changed


@pytest.mark.parametrize("name", sorted(CITIES))
def test_each_city_differs_from_national(name: str) -> None:
    assert len(differences(name)) >= 15


@pytest.mark.parametrize("name", sorted(CITIES))
def test_what_a_city_changes_cites_its_own_document(name: str) -> None:
    own = f"{CITIES[name]} §"
    for where, clause in differences(name):
        assert own in clause or clause.startswith("[choice]"), (where, clause)


def test_yinchuan_leads_the_nine_prohibitions_by_district_and_refers_to_departments() -> None:
    yinchuan = preset("yinchuan")
    referred: set[str] = set()
    for category in yinchuan.data.categories:
        if category.nine_prohibitions_item:
            line = yinchuan.responsibility_for(category.code, "")
            assert line.handler == "district_housing" and line.clause == "YC §5(一)"
            assert "city_housing" in line.assist
            referred |= set(line.assist)
    assert {"department:enforcement", "department:police", "department:market_regulation"} <= referred
    assert {"department:municipal", "department:development_reform"} <= referred


def test_yinchuan_names_its_bureaus_and_adds_landscaping_and_municipal() -> None:
    departments = preset("yinchuan").departments
    assert departments["enforcement"].name == "市综合执法监督局"
    assert departments["police"].name == "市公安局"
    assert departments["fire"].name == "市消防救援支队"
    assert departments["planning"].name == "市自然资源局"
    assert departments["landscaping"].name == "市园林局"
    assert departments["municipal"].name == "市市政管理局"
    assert preset("yinchuan").responsibility_for("po_green_damage", "").assist == ["department:landscaping"]


def test_yinchuan_public_order_is_led_by_enforcement_or_police() -> None:
    yinchuan = preset("yinchuan")
    for category in yinchuan.data.categories:
        line = yinchuan.responsibility_for(category.code, "")
        if line.clause.startswith("YC §5(五)") and category.group == "public_order":
            assert line.handler in {"department:enforcement", "department:police"}, category.code


def test_yuncheng_reports_an_enterprise_refusing_to_leave_to_market_regulation() -> None:
    yuncheng = preset("yuncheng")
    for code in ("perf_exit_handover", "perf_refuse_exit_after_dismissal"):
        line = yuncheng.responsibility_for(code, "")
        assert line.handler == "district_housing"
        assert "department:market_regulation" in line.assist
        assert "YUN §4(二)" in line.clause


def test_shanghai_puts_simple_enforcement_in_estates_with_urban_management() -> None:
    shanghai = preset("shanghai")
    for code in (
        "po_illegal_building",
        "po_green_damage",
        "po_animals",
        "po_ebike_charging",
        "po_fire_lane_blocked",
    ):
        line = shanghai.responsibility_for(code, "")
        assert line.handler == "department:enforcement" and line.clause == "SH §2(一)6", code
    assert shanghai.handler_name("subdistrict") == "街镇"
    assert shanghai.handler_name("district_housing") == "区县房管部门"


def test_zhaotong_sends_the_price_negative_list_to_market_regulation() -> None:
    zhaotong = preset("zhaotong")
    for code in ("price_guided_not_applied", "price_no_marking", "price_fraud"):
        line = zhaotong.responsibility_for(code, "")
        assert line.handler == "department:market_regulation" and "ZT §3(二)4" in line.clause


def test_kundulun_follows_its_division_of_duties() -> None:
    kundulun = preset("kundulun")
    for code in ("po_green_damage", "po_outdoor_stalls", "po_outdoor_ads", "po_illegal_building"):
        line = kundulun.responsibility_for(code, "")
        assert line.handler == "department:enforcement" and line.clause == "KD §4(二)", code
    for code in ("np_unauthorised_charges", "price_no_marking", "po_unlicensed_business"):
        assert kundulun.responsibility_for(code, "").handler == "department:market_regulation", code
    assert kundulun.responsibility_for("sg_mediation", "").handler == "department:justice"
    assert kundulun.departments["finance"].name == "区财政局"
    assert all(d.level == "district" for d in kundulun.data.departments if "KD §" in d.clause)
