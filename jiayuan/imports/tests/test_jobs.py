"""Large imports run in the worker: the upload becomes a job, the job imports all or nothing, its page
shows progress while it runs and the outcome once it is done."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation

from jiayuan.audit.models import AuditEvent
from jiayuan.core.xlsx import reading
from jiayuan.estates.models import Estate
from jiayuan.estates.tests.test_import import GOOD_ROWS, ledger, with_row
from jiayuan.imports.models import ImportJob, JobState
from jiayuan.imports.services import import_job_create, import_job_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def background_from_100_bytes(settings):
    """Every test ledger (a few KB) is a large one."""
    settings.JIAYUAN_IMPORT_BACKGROUND_BYTES = 100


def upload(client, user, rows=GOOD_ROWS, *, run=False, capture=None):
    client.force_login(user)
    if capture is None:
        return client.post(reverse("estates_import:upload"), {"file": ledger(rows)})
    with capture(execute=run):
        return client.post(reverse("estates_import:upload"), {"file": ledger(rows)})


def test_a_large_file_becomes_a_job_and_the_request_returns_at_once(world, client):
    before = Estate.objects.count()
    response = upload(client, world.district_a_officer)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    # Nothing imported in the request: the worker has not run (the task is queued on commit).
    assert Estate.objects.count() == before
    assert (job.state, job.kind, job.file_name, job.user) == (
        JobState.QUEUED,
        "estates",
        "兴庆区摸底台账.xlsx",
        world.district_a_officer,
    )
    assert job.file.name.startswith("imports/") and "兴庆区" not in job.file.name
    assert default_storage.exists(job.file.name)
    event = AuditEvent.objects.get(action="imports.job_queued")
    assert (event.object_id, event.data["kind"]) == (str(job.pk), "estates")


def test_a_small_file_is_still_imported_in_the_request(world, client, settings):
    settings.JIAYUAN_IMPORT_BACKGROUND_BYTES = 10 * 1024 * 1024
    before = Estate.objects.count()
    response = upload(client, world.district_a_officer)
    assert response["Location"] == reverse("estates:list")
    assert Estate.objects.count() == before + 2
    assert not ImportJob.objects.exists()


def test_the_worker_imports_every_row_and_the_page_shows_the_message(
    world, client, django_capture_on_commit_callbacks
):
    before = Estate.objects.count()
    upload(client, world.district_a_officer, run=True, capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.state == JobState.DONE
    assert Estate.objects.count() == before + 2
    assert job.result["created"] == 2
    assert sorted(job.result["ids"]) == sorted(
        Estate.objects.filter(name__in=["银古新城", "文化苑二期"]).values_list("pk", flat=True)
    )
    assert AuditEvent.objects.filter(action="estates.imported", actor=world.district_a_officer).count() == 1
    assert job.started_at and job.finished_at
    # The stored file is gone once read.
    assert job.file.name == ""
    assert not default_storage.listdir("imports")[1]
    page = client.get(reverse("imports:job", args=[job.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Imported 2 estates from 兴庆区摸底台账.xlsx." in content
    assert reverse("estates:list") in content


def test_a_file_with_errors_ends_rejected_with_located_errors_and_nothing_written(
    world, client, django_capture_on_commit_callbacks
):
    before = (Estate.objects.count(), AuditEvent.objects.exclude(action="imports.job_queued").count())
    upload(
        client,
        world.district_a_officer,
        with_row(房屋套数="约300"),
        run=True,
        capture=django_capture_on_commit_callbacks,
    )
    job = ImportJob.objects.get()
    assert job.state == JobState.REJECTED
    assert (Estate.objects.count(), AuditEvent.objects.exclude(action="imports.job_queued").count()) == before
    assert job.error_count == 1
    assert [(e["row"], e["column"], e["header"]) for e in job.errors] == [(5, "K", "房屋套数")]
    assert "Nothing was changed" in job.message
    assert not default_storage.listdir("imports")[1]
    content = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "房屋套数" in content and "约300" in content and job.message in content


def test_a_file_refused_whole_ends_rejected_with_its_message(world, client, actor_of):
    actor = actor_of("district_a_officer")
    job = import_job_create(actor=actor, kind="estates", file=ledger([], headers=["名称"]))
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == JobState.REJECTED
    assert "No header row was found" in job.message
    assert job.errors == [] and job.error_count == 0


def test_progress_is_recorded_as_the_rows_are_read(world, actor_of, monkeypatch):
    monkeypatch.setattr(reading, "PROGRESS_EVERY_ROWS", 1)
    seen: list[tuple[int, int | None]] = []
    original = ImportJob.objects.filter

    job = import_job_create(actor=actor_of("district_a_officer"), kind="estates", file=ledger(with_row()))

    def spy(*args, **kwargs):
        queryset = original(*args, **kwargs)
        update = queryset.update

        def recording_update(**fields):
            if "rows_read" in fields:
                seen.append((fields["rows_read"], fields["rows_total"]))
            return update(**fields)

        queryset.update = recording_update
        return queryset

    monkeypatch.setattr(ImportJob.objects, "filter", spy)
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert seen == [(1, 3), (2, 3), (3, 3), (3, 3)]
    assert (job.rows_read, job.rows_total) == (3, 3)


def test_a_second_run_of_the_task_does_nothing(world, actor_of):
    job = import_job_create(actor=actor_of("district_a_officer"), kind="estates", file=ledger(GOOD_ROWS))
    import_job_run(job_id=job.pk)
    after_first = (Estate.objects.count(), AuditEvent.objects.count())
    job.refresh_from_db()
    finished = job.finished_at
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (Estate.objects.count(), AuditEvent.objects.count()) == after_first
    assert (job.state, job.finished_at) == (JobState.DONE, finished)


def test_only_the_uploader_and_system_administrators_see_a_job(world, client, actor_of):
    job = import_job_create(actor=actor_of("district_a_officer"), kind="estates", file=ledger(GOOD_ROWS))
    url = reverse("imports:job", args=[job.pk])
    client.force_login(world.users["district_b_officer"])
    assert client.get(url).status_code == 404
    client.force_login(world.users["system_admin"])
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_the_page_polls_while_the_job_runs_and_stops_when_it_is_done(world, client, actor_of):
    job = import_job_create(actor=actor_of("district_a_officer"), kind="estates", file=ledger(GOOD_ROWS))
    url = reverse("imports:job", args=[job.pk])
    client.force_login(world.district_a_officer)
    queued = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in queued and "<progress" in queued
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, rows_read=40, rows_total=200)
    running = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in running
    assert '<progress max="200" value="40">' in running
    assert "<html" not in running  # htmx gets the status alone, swapped in place
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED)
    import_job_run(job_id=job.pk)
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and "<progress" not in done
    assert "Imported 2 estates" in done


def test_each_import_page_runs_its_registered_kind():
    from jiayuan.cases.views import LedgerImportView
    from jiayuan.enterprises.import_views import EnterpriseImportView
    from jiayuan.estates.import_views import EstateImportView
    from jiayuan.imports.registry import import_kinds

    pages = [EstateImportView, EnterpriseImportView, LedgerImportView]
    assert sorted(import_kinds()) == sorted(page.import_kind_name for page in pages)
    for page in pages:
        kind = import_kinds()[page.import_kind_name]
        assert (kind.spec, kind.permission) == (page.spec, page.required_permission)


def test_the_sweep_deletes_the_files_of_jobs_the_worker_never_finished(world, actor_of, time_machine):
    import datetime as dt

    from django.utils import timezone

    from jiayuan.imports.tasks import sweep_files

    job = import_job_create(actor=actor_of("district_a_officer"), kind="estates", file=ledger(GOOD_ROWS))
    name = job.file.name
    assert sweep_files() == 0  # a fresh job keeps its file
    time_machine.move_to(timezone.now() + dt.timedelta(days=2))
    assert sweep_files() == 1
    job.refresh_from_db()
    assert (job.state, job.file.name) == (JobState.FAILED, "")
    assert not default_storage.exists(name)
    import_job_run(job_id=job.pk)  # a late worker finds nothing to do
    job.refresh_from_db()
    assert job.state == JobState.FAILED


def test_the_job_page_speaks_chinese_by_default(world, client, actor_of, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        job = import_job_create(actor=actor_of("district_a_officer"), kind="estates", file=ledger(GOOD_ROWS))
    client.force_login(world.district_a_officer)
    with translation.override("zh-hans"):
        content = client.get(reverse("imports:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = content.content.decode()
    assert "小区摸底台账" in text and "文件正在排队等待后台处理" in text
    import_job_run(job_id=job.pk)
    with translation.override("zh-hans"):
        done = client.get(reverse("imports:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "导入" in done.content.decode() and "兴庆区摸底台账.xlsx" in done.content.decode()


@pytest.mark.parametrize(
    ("url_name", "kind"),
    [
        ("estates_import:upload", "estates"),
        ("enterprises_import:upload", "enterprises"),
        ("cases:import", "cases"),
    ],
)
def test_each_import_page_queues_a_large_file_as_its_kind(world, client, url_name, kind):
    client.force_login(world.district_a_officer)
    response = client.post(reverse(url_name), {"file": ledger(GOOD_ROWS, name="大台账.xlsx")})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    assert (job.kind, job.file_name, job.state) == (kind, "大台账.xlsx", JobState.QUEUED)
