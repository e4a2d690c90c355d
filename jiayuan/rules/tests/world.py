"""A small set of facts shared by the rules tests: two enterprises, three estates, one manager."""

from __future__ import annotations

import copy
from typing import Any

from jiayuan.policy.loader import load_preset
from jiayuan.rules.engine import Result, evaluate
from jiayuan.rules.facts import parse_facts

BASE: dict[str, Any] = {
    "as_of": "2026-12-31",
    "enterprises": [
        {"ref": "E1", "name": "甲物业公司", "uscc": "91640100MA7XXXXXX1"},
        {"ref": "E2", "name": "乙物业公司", "uscc": "91640100MA7XXXXXX2"},
    ],
    "estates": [
        {"ref": "S1", "name": "东园", "enterprise": "E1"},
        {"ref": "S2", "name": "西园", "enterprise": "E1"},
        {"ref": "S3", "name": "南园", "enterprise": "E2"},
    ],
    "project_managers": [{"ref": "P1", "name": "张经理", "enterprise": "E1"}],
}


def facts(**lists: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(lists)
    return data


def run(preset: str, data: dict[str, Any]) -> Result:
    return evaluate(load_preset(preset), parse_facts(data))


def cite(clause: str) -> str:
    """The first citation of a clause: the document key and section (or "[choice]")."""
    head = clause.split("; ")[0]
    return " ".join(head.split()[:2])


def table(result: Result) -> list[tuple[str, str | None, str | None, str, str]]:
    """Each consequence as (kind, subject, estate, rule, first citation), in the result's order."""
    return [(c.kind, c.subject, c.estate, c.rule, cite(c.clause)) for c in result.consequences]
