"""`manage.py policy_check` validates presets and fails loudly on a broken one."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jiayuan.policy.loader import preset_names


@pytest.mark.parametrize("name", preset_names())
def test_policy_check_passes_on_every_shipped_preset(name: str) -> None:
    out = StringIO()
    call_command("policy_check", name, stdout=out)
    assert f"{name}.toml: ok" in out.getvalue()


def test_policy_check_without_an_argument_checks_them_all() -> None:
    out = StringIO()
    call_command("policy_check", stdout=out)
    assert out.getvalue().count(": ok (") == len(preset_names())


def test_policy_check_lists_the_routes_on_request() -> None:
    out = StringIO()
    call_command("policy_check", "yinchuan", "--routes", stdout=out)
    assert "po_green_damage\t*\t市综合执法监督局\t市园林局\tYC §5(五)" in out.getvalue()


def test_policy_check_fails_on_a_broken_file_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(
        '[meta]\nkey = "TST"\nname = "broken"\ntitle = "T"\nissuer = "T"\nyear = 2024\n'
        'version = "t1"\neffective_date = 2024-01-01\neffective_clause = "[choice] test"\n'
        'extends = "national"\n\n'
        '[governance.term_warning]\ndays = 0\nclause = "[choice] test"\n',
        encoding="utf-8",
    )
    with pytest.raises(
        CommandError, match=rf"{re.escape(str(path))}: governance.term_warning.days: Input should be greater"
    ):
        call_command("policy_check", str(path), stdout=StringIO())


def test_policy_check_exits_non_zero_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("this is not toml = = =", encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        from django.core.management import ManagementUtility

        ManagementUtility(["manage.py", "policy_check", str(path)]).execute()
    assert caught.value.code != 0
