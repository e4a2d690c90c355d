"""An import handed to the worker: who uploaded which file, how far the worker is, what came of it."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Not imported")
    FAILED = "failed", _("Failed")


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)


def stored_file_name(instance: Any, filename: str) -> str:
    """A random name in a folder of its own: the uploader's file name is kept on the row only."""
    return f"imports/{secrets.token_hex(16)}.xlsx"


class ImportJob(models.Model):
    """One large upload imported by the worker (jiayuan/imports/services.py).

    Created queued by `import_job_create`; the worker claims it (queued -> running, a conditional
    update), records `rows_read` of `rows_total` (the sheet's own count, when the file gives it) as it
    reads, and ends it done (with `result`), rejected (with `message` and the located `errors`, of
    which there were `error_count`) or failed; the stored file is deleted then. Not scoped by region:
    a job is seen by its uploader only (and system administrators), see `selectors.job_for`.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=40)
    file_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("stored file"), upload_to=stored_file_name, max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=JobState.choices, default=JobState.QUEUED)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("number of errors"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name}"

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def percent(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, round(100 * self.rows_read / self.rows_total))
