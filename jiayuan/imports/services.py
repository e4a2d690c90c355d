"""Writes of the imports app: queue a large upload as a job, and run it in the worker.

Audit. Queuing a job is an act of the uploader (`imports.job_queued`); the import itself is recorded
by the import service the worker runs, as the uploader, exactly as when the page runs it. What the
worker writes on the job row (claimed, rows read, the outcome) is delivery state, not an act.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from huey.contrib.djhuey import db_task

from jiayuan.audit.services import record_event
from jiayuan.core.actor import Actor, actor_for
from jiayuan.core.exceptions import DomainError, ImportRejected
from jiayuan.core.xlsx.reading import file_name_of, reporting_progress, using_sheet
from jiayuan.imports.models import ImportJob, JobState
from jiayuan.imports.registry import import_kind

logger = logging.getLogger("jiayuan.imports")

# The located errors kept on a rejected job (the page shows as many as the import page does).
MAX_ERRORS_KEPT = 500


@transaction.atomic
def import_job_create(*, actor: Actor, kind: str, file: Any) -> ImportJob:
    """Store an uploaded file and queue its import in the worker, as `actor`, once this commits.

    The file is kept under MEDIA_ROOT with a random name until the worker has read it. The language
    of the request is kept too: the worker writes the job's messages in it.
    """
    entry = import_kind(kind)
    actor.require(entry.permission)
    job = ImportJob(
        user=actor.user,
        kind=entry.name,
        file_name=file_name_of(file)[:255] or "upload.xlsx",
        language=translation.get_language() or "",
    )
    job.file.save("upload.xlsx", file, save=False)
    job.save()
    record_event(
        actor=actor,
        action="imports.job_queued",
        obj=job,
        data={"kind": job.kind, "file_name": job.file_name, "bytes": job.file.size},
    )
    pk = job.pk
    transaction.on_commit(lambda: run_import_job(pk))
    return job


@db_task(name="imports.run_job")
def run_import_job(job_id: int) -> None:
    """The worker's job (Huey): run one queued import. A second run does nothing."""
    import_job_run(job_id=job_id)


def import_job_run(*, job_id: int) -> None:
    """Claim a queued job (queued -> running, a conditional update), import its file and record how
    it ended; then delete the stored file.

    Runs outside any transaction. The file is read first, outside the import service's transaction,
    so that the rows read commit as they go and the job's page can show them; the service then gets
    that sheet (`using_sheet`) and checks and writes all or nothing, as on the page. What the service
    refuses ends the job rejected with its message and located errors; anything else ends it failed
    (logged): the upload has already committed, nothing is raised.
    """
    claimed = ImportJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        outcome = _import(job)
    ImportJob.objects.filter(pk=job_id).update(**outcome, file="", finished_at=timezone.now())
    _delete_stored(job.file.name)


def _import(job: ImportJob) -> dict[str, Any]:
    """The job's import, run as its uploader: the fields that record its outcome."""
    entry = import_kind(job.kind)

    def progress(read: int, total: int | None) -> None:
        ImportJob.objects.filter(pk=job.pk).update(rows_read=read, rows_total=total)

    try:
        with job.file.open("rb") as stored:
            data = stored.read()
        upload = ContentFile(data, name=job.file_name)
        with reporting_progress(progress):
            sheet = entry.spec.read(upload)
        with using_sheet(sheet):
            result = entry.run(actor=actor_for(job.user), file=upload)
    except ImportRejected as rejected:
        return {
            "state": JobState.REJECTED,
            "message": str(rejected.message),
            "errors": list(rejected.errors[:MAX_ERRORS_KEPT]),
            "error_count": len(rejected.errors),
        }
    except DomainError as error:  # not permitted any more, a conflict: the page's message
        return {"state": JobState.REJECTED, "message": str(error.message)}
    except Exception:  # a bug or a lost file: record it, do not raise (the upload has committed)
        logger.exception("Import job %s failed", job.pk)
        return {
            "state": JobState.FAILED,
            "message": gettext("The import failed because of an error on the server. Nothing was changed."),
        }
    return {
        "state": JobState.DONE,
        "result": {"created": result.created, "file_name": result.file_name, "ids": list(result.ids)},
    }


def _delete_stored(name: str) -> None:
    if not name:
        return
    try:
        ImportJob._meta.get_field("file").storage.delete(name)
    except OSError:
        logger.exception("Could not delete the stored import file %s", name)


@transaction.atomic
def import_files_sweep(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete the stored files of jobs queued longer ago than `older_than` that still hold one (a
    worker that died mid-job), and end those jobs failed. Returns how many."""
    cutoff = timezone.now() - older_than
    stale = list(ImportJob.objects.filter(created_at__lt=cutoff).exclude(file="").values_list("pk", "file"))
    for _pk, name in stale:
        _delete_stored(name)
    ImportJob.objects.filter(pk__in=[pk for pk, _name in stale], state__in=["queued", "running"]).update(
        state=JobState.FAILED,
        message=gettext("The import did not finish. Upload the file again."),
        finished_at=timezone.now(),
    )
    ImportJob.objects.filter(pk__in=[pk for pk, _name in stale]).update(file="")
    return len(stale)
