"""Background jobs of imports: thin, they call services and can run twice (config/periodic.py
schedules them; the import job itself is `services.run_import_job`, queued on upload)."""

from __future__ import annotations

from jiayuan.imports.services import import_files_sweep


def sweep_files() -> int:
    """Delete the stored files of import jobs the worker never finished (a day old)."""
    return import_files_sweep()
