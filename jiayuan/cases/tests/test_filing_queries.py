"""Filing through the API costs a pinned number of queries, and numbers stay unique and in order."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiayuan.cases.models import Case, CaseNumberCounter
from jiayuan.cases.tests.factories import NOW, file
from jiayuan.notifications.choices import MessageStatus
from jiayuan.notifications.models import OutboundMessage
from jiayuan.testing import api as api_testing

pytestmark = pytest.mark.django_db

api = api_testing.api
drf_api = api_testing.drf_api

CASES = "/api/v1/cases/"

# The token with its user (the actor's reach comes from the cache), the estate (scoped), the
# duplicate check, the year's counter, the case, its timeline entry, the audit chain's head and the
# audit event, the follow link sent in the complainant's text (kept hashed) and the text's outbox
# row. Delivery is the worker's, after the commit. Savepoints are the test's own (a request has none).
FILING_QUERIES = 10


def body(world, **extra):
    return {
        "estate": world.estate_a1a.pk,
        "category": "everyday_repairs",
        "description": "楼道灯不亮。",
        "source": "hotline_12345",
        "complainant_name": "王先生",
        "complainant_phone": "13800000000",
        **extra,
    }


def test_filing_through_the_api_costs_pinned_queries_and_answers_without_reading_back(drf_api, world):
    client = drf_api("subdistrict_a1_officer")
    client.post(CASES, body(world, category="everyday_cleaning"), format="json")  # warm the token
    with CaptureQueriesContext(connection) as captured:
        response = client.post(CASES, body(world), format="json")
    assert response.status_code == 201, response.json()
    sql = [q["sql"] for q in captured.captured_queries]
    # The delivery of the text runs after the commit (immediate Huey in tests): not the filing's.
    filing = [
        q
        for q in sql
        if not q.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
        and ("notifications_outboundmessage" not in q or q.startswith("INSERT"))
    ]
    # On PostgreSQL the audit chain takes its lock with one statement more (pg_advisory_xact_lock).
    expected = FILING_QUERIES + (connection.vendor == "postgresql")
    assert len(filing) == expected, "\n".join(sql)
    # Within the filing: one savepoint, the test's (the request's transaction in production).
    assert sum(q.startswith("SAVEPOINT") for q in sql) == 1
    assert not any("MAX(" in q and "casenumbercounter" not in q for q in sql)
    data = response.json()
    assert data["number"].endswith("-000002")
    assert [entry["transition"] for entry in data["timeline"]] == ["file"]
    assert data["estate"]["id"] == world.estate_a1a.pk and data["community"]["name"]
    assert data["is_overdue"] is False
    assert OutboundMessage.objects.filter(status=MessageStatus.QUEUED).count() == 2


def test_the_text_is_delivered_by_the_worker_after_the_commit(
    drf_api, world, django_capture_on_commit_callbacks
):
    client = drf_api("subdistrict_a1_officer")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post(CASES, body(world), format="json").status_code == 201
    message = OutboundMessage.objects.get()
    assert message.status == MessageStatus.QUEUED and len(callbacks) == 1
    callbacks[0]()  # the commit hands it to Huey (immediate in tests: the task runs here)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_the_counter_never_falls_below_numbers_written_by_other_means(world, actor_of):
    officer = actor_of("subdistrict_a1_officer")
    first = file(officer, world.estate_a1a, now=NOW)
    year = first.number_year
    # A case written without the counter (a bulk load) with a higher serial.
    Case.objects.filter(pk=first.pk).update(number_serial=41)
    second = file(officer, world.estate_a1b, now=NOW)
    assert second.number_serial == 42
    assert CaseNumberCounter.objects.get(year=year).last == 42
    third = file(officer, world.estate_a1a, now=NOW, confirm_not_duplicate=True)
    assert third.number_serial == 43 and third.number.endswith("-000043")
