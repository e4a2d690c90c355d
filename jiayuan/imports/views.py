"""The page of an import job, and the base of the import pages that hand large files to the worker."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from jiayuan.core.views import ActorMixin, View
from jiayuan.core.xlsx import ImportPage, ImportResult
from jiayuan.imports.models import JobState
from jiayuan.imports.registry import ImportKind, import_kind
from jiayuan.imports.selectors import job_for
from jiayuan.imports.services import import_job_create

# How often the job's page asks how far the worker is, while it is queued or running.
POLL_SECONDS = 2


class BackgroundImportPage(ImportPage):
    """An import page whose kind is registered (`import_kind_name`): it runs that kind's service and
    shows its message; a file larger than JIAYUAN_IMPORT_BACKGROUND_BYTES (and not beyond the
    spec's own limit, which the page refuses at once) goes to the worker."""

    import_kind_name: str

    @property
    def kind(self) -> ImportKind:
        return import_kind(self.import_kind_name)

    def run(self, file: Any) -> ImportResult:
        return self.kind.run(actor=self.actor, file=file)

    def success_message(self, result: ImportResult) -> str:
        return self.kind.success_message(result)

    def queue(self, file: Any) -> HttpResponse | None:
        size = getattr(file, "size", None)
        if (
            not isinstance(size, int)
            or not settings.JIAYUAN_IMPORT_BACKGROUND_BYTES < size <= self.spec.max_bytes
        ):
            return None
        job = import_job_create(actor=self.actor, kind=self.kind.name, file=file)
        return redirect("imports:job", pk=job.pk)


class ImportJobView(ActorMixin, View):
    """A job's state, progress and outcome; while it runs, htmx asks again every POLL_SECONDS and
    swaps the status in place (the answer to an htmx request is the status alone)."""

    max_errors_shown = ImportPage.max_errors_shown

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = job_for(self.actor, pk)
        kind = import_kind(job.kind)
        errors = job.errors[: self.max_errors_shown]
        context = {
            "job": job,
            "kind": kind,
            "poll_seconds": POLL_SECONDS,
            "success": kind.success_message(result_of(job.result)) if job.state == JobState.DONE else "",
            "done_url": _reverse_or_none(kind.success_url_name),
            "errors": errors,
            "error_count": job.error_count,
            "errors_hidden": max(0, job.error_count - len(errors)),
        }
        template = "imports/job.html#status" if getattr(request, "htmx", False) else "imports/job.html"
        return render(request, template, context)


def result_of(data: dict[str, Any]) -> ImportResult:
    return ImportResult(
        created=int(data.get("created", 0)),
        file_name=str(data.get("file_name", "")),
        ids=tuple(data.get("ids", ())),
    )


def _reverse_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None
