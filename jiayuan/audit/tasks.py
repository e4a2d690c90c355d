"""Background jobs of the audit log: thin, idempotent (config/periodic.py schedules them)."""

from __future__ import annotations

from typing import Any

from jiayuan.audit.services import checkpoint_create, verification_run


def checkpoint() -> dict[str, Any]:
    """Sign the chain's head (hourly)."""
    made = checkpoint_create()
    return {"checkpoint": made.pk, "event_id": made.event_id, "count": made.count}


def verify() -> dict[str, Any]:
    """Walk the whole chain and its checkpoints and keep the result for auditors (daily)."""
    result, _report = verification_run()
    return {"ok": result.ok, "rows": result.rows_checked, "first_broken_id": result.first_broken_id}
