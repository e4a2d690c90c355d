"""The loader refuses a broken preset with a message naming the file, the key and the reason,
merges `extends` layer by layer, and finds the most specific line of the responsibility list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jiayuan.policy.loader import PresetError, load_preset

DISTRICT_A = "640104"
SUBDISTRICT_A1 = "640104001"
PATH_IN_A1 = "640100000000/640104000000/640104001000/640104001001/"
PATH_IN_A2 = "640100000000/640104000000/640104002000/640104002001/"
PATH_IN_B = "640100000000/640106000000/640106001000/640106001001/"


def write(tmp_path: Path, text: str, name: str = "city.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def override(body: str, extends: str = "national") -> str:
    return (
        '[meta]\nkey = "TST"\nname = "test_city"\ntitle = "Test"\nissuer = "Test"\nyear = 2024\n'
        'version = "t1"\neffective_date = 2024-01-01\neffective_clause = "[choice] test"\n'
        f'extends = "{extends}"\n\n{body}'
    )


def refusal(tmp_path: Path, body: str) -> str:
    path = write(tmp_path, override(body))
    with pytest.raises(PresetError) as caught:
        load_preset(str(path))
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    return message


# --- refusals ------------------------------------------------------------------------------------


def test_it_refuses_an_unknown_key(tmp_path: Path) -> None:
    message = refusal(
        tmp_path,
        '[governance.term_warning]\ndays = 60\nclause = "[choice] test"\ncolour = "red"\n',
    )
    assert "governance.term_warning.colour: Extra inputs are not permitted" in message


def test_it_refuses_an_unknown_top_level_section(tmp_path: Path) -> None:
    message = refusal(tmp_path, "[ratings]\nstars = 5\n")
    assert ": ratings: Extra inputs are not permitted" in message


def test_it_refuses_a_wrong_type(tmp_path: Path) -> None:
    message = refusal(tmp_path, '[governance.term_warning]\ndays = "ninety"\nclause = "[choice] test"\n')
    assert "governance.term_warning.days: Input should be a valid integer" in message


def test_it_refuses_a_term_warning_of_zero_days(tmp_path: Path) -> None:
    message = refusal(tmp_path, '[governance.term_warning]\ndays = 0\nclause = "[choice] test"\n')
    assert "governance.term_warning.days: Input should be greater than or equal to 1" in message


def test_it_names_a_bad_category_by_its_code(tmp_path: Path) -> None:
    message = refusal(
        tmp_path,
        '[[categories]]\ncode = "np_tenth"\ngroup = "nine_prohibitions"\nname = "第十条"\n'
        'name_en = "Tenth"\nnine_prohibitions_item = 10\nclause = "YC §5(一)"\n\n'
        '[[responsibilities]]\ncategory = "np_tenth"\nhandler = "district_housing"\nclause = "YC §5(一)"\n',
    )
    assert "categories[np_tenth].nine_prohibitions_item" in message
    assert "less than or equal to 9" in message


def test_it_refuses_a_responsibility_for_an_unknown_category(tmp_path: Path) -> None:
    message = refusal(
        tmp_path,
        '[[responsibilities]]\ncategory = "no_such_thing"\nhandler = "community"\nclause = "[choice] test"\n',
    )
    assert "responsibilities[no_such_thing].category: unknown category 'no_such_thing'" in message


def test_it_refuses_a_responsibility_naming_an_unknown_department(tmp_path: Path) -> None:
    message = refusal(
        tmp_path,
        '[[responsibilities]]\ncategory = "everyday_cleaning"\nhandler = "department:weather"\n'
        'clause = "[choice] test"\n',
    )
    assert "responsibilities[everyday_cleaning].handler: unknown department 'weather'" in message


def test_it_refuses_an_unknown_department_among_the_assisting_bodies(tmp_path: Path) -> None:
    message = refusal(
        tmp_path,
        '[[responsibilities]]\ncategory = "everyday_cleaning"\nhandler = "enterprise"\n'
        'assist = ["department:weather"]\nclause = "[choice] test"\n',
    )
    assert "responsibilities[everyday_cleaning].assist: unknown department 'weather'" in message


def test_it_refuses_a_handler_of_no_known_form(tmp_path: Path) -> None:
    message = refusal(
        tmp_path,
        '[[responsibilities]]\ncategory = "everyday_cleaning"\nhandler = "the_mayor"\n'
        'clause = "[choice] test"\n',
    )
    assert "responsibilities[everyday_cleaning].handler" in message
    assert "'the_mayor' is not a handler" in message


def test_it_refuses_a_category_with_no_city_wide_line(tmp_path: Path) -> None:
    message = refusal(
        tmp_path,
        '[[categories]]\ncode = "everyday_snow"\ngroup = "everyday"\nname = "积雪清扫"\n'
        'name_en = "Snow clearing"\nclause = "[choice] test"\n\n'
        f'[[responsibilities]]\ncategory = "everyday_snow"\nregion = "{DISTRICT_A}"\nhandler = "enterprise"\n'
        'clause = "[choice] test"\n',
    )
    assert 'categories[everyday_snow]: no city-wide line (region "") in responsibilities' in message


def test_it_refuses_a_clause_that_cites_nothing(tmp_path: Path) -> None:
    message = refusal(
        tmp_path,
        '[[responsibilities]]\ncategory = "everyday_cleaning"\nhandler = "community"\n'
        'clause = "see the document"\n',
    )
    assert "responsibilities[everyday_cleaning].clause: 'see the document' is not a citation" in message


def test_it_refuses_a_changed_rule_that_keeps_the_inherited_clause(tmp_path: Path) -> None:
    message = refusal(
        tmp_path, '[[responsibilities]]\ncategory = "everyday_cleaning"\nhandler = "community"\n'
    )
    assert "responsibilities[everyday_cleaning].clause: changes handler but gives no clause" in message


def test_it_refuses_a_changed_number_that_keeps_the_inherited_clause(tmp_path: Path) -> None:
    message = refusal(tmp_path, "[governance.term_warning]\ndays = 30\n")
    assert "governance.term_warning.clause: changes days but gives no clause" in message


def test_it_refuses_an_entry_given_twice_in_one_file(tmp_path: Path) -> None:
    line = (
        '[[responsibilities]]\ncategory = "everyday_cleaning"\nhandler = "community"\nclause = "[choice] t"\n'
    )
    message = refusal(tmp_path, line + "\n" + line)
    assert "responsibilities[everyday_cleaning]: given twice in this file" in message


def test_it_refuses_invalid_toml(tmp_path: Path) -> None:
    path = write(tmp_path, '[meta]\nkey = "TST\n')
    with pytest.raises(PresetError, match=rf"^{re.escape(str(path))}: not valid TOML: "):
        load_preset(str(path))


def test_it_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PresetError, match="no such preset file"):
        load_preset(str(tmp_path / "nowhere.toml"))


def test_it_refuses_extending_a_preset_that_does_not_exist(tmp_path: Path) -> None:
    path = write(tmp_path, override("", extends="atlantis"))
    with pytest.raises(PresetError, match=r"atlantis\.toml: no such preset file"):
        load_preset(str(path))


# --- extends ---------------------------------------------------------------------------------------


def test_an_override_changes_what_it_says_and_inherits_everything_else(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        override(
            '[governance.term_warning]\ndays = 60\nclause = "[choice] two months suit this city"\n\n'
            '[[responsibilities]]\ncategory = "po_animals"\nhandler = "department:enforcement"\n'
            'clause = "[choice] dogs are the enforcement bureau\'s here"\n',
            extends="yinchuan",
        ),
    )
    city = load_preset(str(path))
    yinchuan = load_preset("yinchuan")

    assert city.data.governance.term_warning.days == 60
    assert city.responsibility_for("po_animals", PATH_IN_A1).handler == "department:enforcement"
    # everything else as in yinchuan, and through it national
    assert city.name == "test_city" and city.data.meta.extends == "yinchuan"
    assert city.departments == yinchuan.departments
    assert city.categories == yinchuan.categories
    assert city.data.handlers == yinchuan.data.handlers
    unchanged = [line for line in city.data.responsibilities if line.category != "po_animals"]
    assert unchanged == [line for line in yinchuan.data.responsibilities if line.category != "po_animals"]
    assert city.responsibility_for("po_green_damage", "").assist == ["department:landscaping"]
    assert city.responsibility_for("everyday_cleaning", "").clause == "YUN §3(一)1"


def test_an_override_may_change_one_key_of_an_entry_and_keep_the_rest(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        override(
            '[[departments]]\ncode = "police"\nname = "测试市公安局"\nclause = "[choice] local name"\n',
            extends="yinchuan",
        ),
    )
    police = load_preset(str(path)).departments["police"]
    yinchuan_police = load_preset("yinchuan").departments["police"]
    assert police.name == "测试市公安局"
    assert (police.remit, police.level, police.name_en) == (
        yinchuan_police.remit,
        yinchuan_police.level,
        yinchuan_police.name_en,
    )


def test_circular_extends_are_refused(tmp_path: Path) -> None:
    write(tmp_path, override("", extends="b.toml"), name="a.toml")
    write(tmp_path, override("", extends="a.toml"), name="b.toml")
    with pytest.raises(PresetError, match=r"meta\.extends: circular inheritance"):
        load_preset(str(tmp_path / "a.toml"))


def test_a_preset_extending_itself_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, override("", extends="city.toml"))
    with pytest.raises(PresetError, match="circular inheritance"):
        load_preset(str(path))


# --- the most specific line wins ---------------------------------------------------------------------


def regional_override(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        override(
            f'[[responsibilities]]\ncategory = "po_animals"\nregion = "{DISTRICT_A}"\n'
            'handler = "department:enforcement"\nclause = "[choice] district A"\n\n'
            f'[[responsibilities]]\ncategory = "po_animals"\nregion = "{SUBDISTRICT_A1}"\n'
            'handler = "subdistrict"\nclause = "[choice] subdistrict A1"\n'
        ),
    )


def test_a_district_line_beats_the_city_wide_line(tmp_path: Path) -> None:
    preset = load_preset(str(regional_override(tmp_path)))
    assert preset.responsibility_for("po_animals", PATH_IN_A2).handler == "department:enforcement"


def test_a_subdistrict_line_beats_the_district_line(tmp_path: Path) -> None:
    preset = load_preset(str(regional_override(tmp_path)))
    assert preset.responsibility_for("po_animals", PATH_IN_A1).handler == "subdistrict"


def test_outside_those_regions_the_city_wide_line_applies(tmp_path: Path) -> None:
    preset = load_preset(str(regional_override(tmp_path)))
    assert preset.responsibility_for("po_animals", PATH_IN_B).handler == "department:police"
    assert preset.responsibility_for("po_animals", "").handler == "department:police"


def test_a_district_line_applies_at_the_district_itself(tmp_path: Path) -> None:
    preset = load_preset(str(regional_override(tmp_path)))
    assert preset.responsibility_for("po_animals", "640100000000/640104000000/").region == DISTRICT_A


def test_a_twelve_digit_region_is_the_same_region_as_its_short_code(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        override(
            f'[[responsibilities]]\ncategory = "po_animals"\nregion = "{DISTRICT_A}"\n'
            'handler = "department:enforcement"\nclause = "[choice] a"\n\n'
            '[[responsibilities]]\ncategory = "po_animals"\nregion = "640104000000"\n'
            'handler = "subdistrict"\nclause = "[choice] b"\n'
        ),
    )
    with pytest.raises(PresetError, match=r"responsibilities\[po_animals@640104000000\]: a second line"):
        load_preset(str(path))


def test_an_unknown_category_has_no_line() -> None:
    with pytest.raises(KeyError):
        load_preset("national").responsibility_for("no_such_thing", PATH_IN_A1)


def test_the_override_example_in_the_docs_loads(tmp_path: Path) -> None:
    docs = Path(__file__).resolve().parents[3] / "docs" / "policy.md"
    example = re.search(r"```toml\n(.*?)```", docs.read_text(encoding="utf-8"), re.DOTALL)
    assert example is not None
    city = load_preset(str(write(tmp_path, example.group(1))))
    assert city.data.governance.term_warning.days == 60
    assert city.responsibility_for("po_animals", PATH_IN_A1).handler == "subdistrict"
    assert city.responsibility_for("po_animals", PATH_IN_A2).handler == "department:police"
    assert city.handler_name("department:police") == "兴庆区公安分局"
    assert city.responsibility_for("everyday_snow", PATH_IN_B).handler == "enterprise"
