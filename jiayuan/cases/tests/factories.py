"""Helpers that file cases and drive them through the workflow in tests, through the services."""

from __future__ import annotations

from typing import Any

from jiayuan.cases import services
from jiayuan.cases.models import Case
from tests.clock import MONDAY_9AM

# Routed to the estate's enterprise by every shipped preset (YC §5(二) everyday service).
ENTERPRISE_CATEGORY = "everyday_cleaning"
# Routed to the police (ZT §4(四)8).
POLICE_CATEGORY = "po_animals"

# Monday 9:00, an hour before the moment every test runs at: contracts of the test world are in force.
NOW = MONDAY_9AM


def file(actor: Any, estate: Any, *, category: str = ENTERPRISE_CATEGORY, **extra: Any) -> Case:
    values: dict[str, Any] = {
        "description": "楼道垃圾三天无人清理",
        "source": "hotline_12345",
        "complainant_name": "王小明",
        "complainant_phone": "13812345678",
        "now": NOW,
    }
    values.update(extra)
    return services.case_file(actor=actor, estate=estate, category=category, **values)


def step(service: Any, actor: Any, case: Case, **extra: Any) -> Case:
    """Run a transition with the version the actor sees now."""
    extra.setdefault("now", NOW)
    return service(actor=actor, case=case, version=case.version, **extra)  # type: ignore[no-any-return]


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)
