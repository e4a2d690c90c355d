"""`manage.py rules evaluate`: the result as JSON, the what-if difference, exit 2 on a bad file."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from jiayuan.rules.tests.world import facts


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


UNKNOWN_ITEM = {"subject": "E1", "estate": "S1", "item": "zz", "on": "2026-01-31"}


def evaluate(*args: str, **options: Any) -> None:
    call_command("rules", "evaluate", *args, **options)


GOOD = facts(
    violations=[{"subject": "E1", "estate": "S1", "item": "np_1", "on": "2026-03-01"}],
    credit_scores=[{"subject": "E1", "year": 2025, "score": "88"}],
)


def test_it_prints_the_consequences_as_json(tmp_path: Path) -> None:
    out = StringIO()
    evaluate("--preset", "zhaotong", "--facts", str(write(tmp_path, GOOD)), stdout=out)
    output = json.loads(out.getvalue())
    assert (output["preset"], output["version"], output["as_of"]) == ("zhaotong", "2021.1", "2026-12-31")
    first = output["consequences"][0]
    assert set(first) >= {"kind", "subject", "estate", "rule", "clause", "evidence"}
    enterprise_wide = [c for c in output["consequences"] if c["subject"] == "E1" and c["estate"] is None]
    assert [(c["kind"], c["rule"]) for c in enterprise_wide] == [
        ("interview", "credit.warning"),
        ("risk_warning_letter", "credit.warning"),
    ]


def test_it_takes_a_preset_file(tmp_path: Path) -> None:
    from jiayuan.policy.loader import resolve_path

    out = StringIO()
    path = resolve_path("yinchuan")
    evaluate("--preset", str(path), "--facts", str(write(tmp_path, GOOD)), stdout=out)
    assert json.loads(out.getvalue())["preset"] == "yinchuan"


def test_what_if_prints_the_difference(tmp_path: Path) -> None:
    out = StringIO()
    path = str(write(tmp_path, GOOD))
    evaluate("--preset", "zhaotong", "--facts", path, "--what-if", "yinchuan", stdout=out)
    output = json.loads(out.getvalue())
    assert output["from"] == {"preset": "zhaotong", "version": "2021.1"}
    assert output["to"] == {"preset": "yinchuan", "version": "2023.1"}
    by_place = {(c["subject"], c["estate"]): c for c in output["changes"]}
    assert [c["kind"] for c in by_place[("E1", None)]["removed"]] == ["interview", "risk_warning_letter"]
    # the ladder's interview comes on another day than the credit line's
    assert [c["kind"] for c in by_place[("E1", None)]["added"]] == ["interview"]
    added = [c["kind"] for c in by_place[("E1", "S1")]["added"]]
    assert added == ["rectification_order", "replace_project_manager"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"as_of": "2026-12-31", "violations": [{"subject": "E1"}]}', "violations[0].estate: missing"),
        ("{not json", "not valid JSON"),
        (
            json.dumps(facts(violations=[UNKNOWN_ITEM])),
            "violations[0].item: unknown item 'zz'",
        ),
    ],
)
def test_a_bad_file_exits_2_naming_file_key_and_reason(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        evaluate("--preset", "yinchuan", "--facts", str(path), stdout=StringIO())
    assert caught.value.returncode == 2
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_a_missing_file_or_preset_exits_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        evaluate("--preset", "yinchuan", "--facts", str(tmp_path / "none.json"))
    assert caught.value.returncode == 2 and "no such facts file" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        evaluate("--preset", "atlantis", "--facts", str(write(tmp_path, GOOD)))
    assert caught.value.returncode == 2 and "no such preset file" in str(caught.value)


def test_the_exit_status_is_2_from_the_shell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"as_of": "2026-13-01"}', encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        argv = ["manage.py", "rules", "evaluate", "--preset", "yinchuan", "--facts", str(path)]
        ManagementUtility(argv).execute()
    assert caught.value.code == 2
    assert f"{path}: as_of: '2026-13-01' is not a date" in capsys.readouterr().err
