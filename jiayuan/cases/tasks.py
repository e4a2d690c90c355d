"""Background jobs of cases: thin, they call services and can run twice (config/periodic.py schedules)."""

from __future__ import annotations

from django.utils import timezone

from jiayuan.cases.services import deadlines_sweep


def sweep_deadlines() -> dict[str, int]:
    """Remind cases due soon and escalate overdue ones (services.deadlines_sweep)."""
    return deadlines_sweep(now=timezone.now())
