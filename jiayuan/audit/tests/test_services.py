"""Audit events: written in the service's transaction, append-only, hash-chained."""

import contextlib
import datetime as dt
import hashlib
import importlib
import json
from decimal import Decimal

import pytest
from django.db import connection, transaction

from jiayuan.audit.models import AuditEvent
from jiayuan.audit.services import canonical, chain_breaks, record_event
from jiayuan.core.actor import actor_for, system_actor

SQLITE_FORWARD = importlib.import_module(
    "jiayuan.audit.migrations.0002_append_only_in_the_database"
).SQLITE_FORWARD


@contextlib.contextmanager
def tampering():
    """Act as an attacker with direct database access: lift the append-only trigger for a moment."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks before ALTER TABLE
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_event_append_only")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
            else:
                cursor.execute(SQLITE_FORWARD[0])


def expected_digest(event: AuditEvent, previous: str) -> str:
    content = {
        "previous": previous,
        "actor": event.actor_username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "reason": event.reason,
        "data": event.data,
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def record(action="thing.done", **kwargs):
    with transaction.atomic():
        return record_event(actor=system_actor(), action=action, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_record_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        record_event(actor=system_actor(), action="thing.done")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_event_is_rolled_back_with_the_act_it_records():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record_event(actor=system_actor(), action="thing.done")
        1 / 0  # noqa: B018 - the act fails after its event was written
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
class TestRecording:
    def test_it_records_who_did_what_to_which_object(self, world):
        estate = world.estates["estate_a1a"]
        actor = actor_for(world.users["district_a_officer"])
        with transaction.atomic():
            event = record_event(actor=actor, action="estate.checked", obj=estate, reason="patrol")
        event.refresh_from_db()
        assert event.actor == world.users["district_a_officer"]
        assert event.actor_username == "district_a_officer"
        assert (event.object_type, event.object_id) == ("estates.estate", str(estate.pk))
        assert event.object_repr == estate.name
        assert event.reason == "patrol"

    def test_the_platform_acting_alone_is_recorded_as_system(self):
        event = record()
        assert event.actor is None
        assert event.actor_username == "system"

    def test_data_is_stored_as_plain_json(self):
        event = record(data={"on": dt.date(2025, 3, 1), "fee": Decimal("1.20"), "n": 3})
        event.refresh_from_db()
        assert event.data == {"on": "2025-03-01", "fee": "1.20", "n": 3}

    def test_a_long_object_name_is_cut_to_fit(self, world):
        estate = world.estates["estate_a1a"]
        estate.name = "园" * 300
        event = record(obj=estate)
        assert len(event.object_repr) == 200


@pytest.mark.django_db
class TestAppendOnly:
    def test_saving_an_existing_event_is_refused(self):
        event = record()
        event.reason = "rewritten"
        with pytest.raises(RuntimeError, match="append-only"):
            event.save()
        event.refresh_from_db()
        assert event.reason == ""

    def test_saving_a_loaded_event_is_refused_too(self):
        event = AuditEvent.objects.get(pk=record().pk)
        with pytest.raises(RuntimeError):
            event.save(update_fields=["reason"])


@pytest.mark.django_db
class TestDigest:
    def test_the_digest_is_the_sha256_of_the_canonical_content_and_the_previous_digest(self, world):
        first = record("thing.one", obj=world.estates["estate_a1a"], reason="why", data={"k": [1, "二"]})
        second = record("thing.two", data={"on": dt.date(2025, 1, 2)})
        for event in (first, second):
            event.refresh_from_db()
        previous = AuditEvent.objects.filter(id__lt=first.id).order_by("-id").first()
        assert first.digest == expected_digest(first, previous.digest if previous else "")
        assert second.digest == expected_digest(second, first.digest)

    def test_canonical_content_does_not_depend_on_key_order(self):
        assert canonical({"b": 1, "a": "二"}) == canonical({"a": "二", "b": 1}) == '{"a": "二", "b": 1}'

    def test_an_untouched_log_verifies(self, world):
        for n in range(3):
            record(f"thing.{n}")
        assert chain_breaks() == []

    def test_a_changed_row_breaks_the_chain_where_it_was_changed(self):
        events = [record(f"thing.{n}") for n in range(4)]
        with tampering():
            AuditEvent.objects.filter(pk=events[1].pk).update(reason="quietly rewritten")
        assert chain_breaks() == [events[1].pk]

    def test_a_changed_row_with_a_recomputed_digest_breaks_the_chain_after_it(self):
        events = [record(f"thing.{n}") for n in range(4)]
        forged = AuditEvent.objects.get(pk=events[1].pk)
        forged.reason = "quietly rewritten"
        forged_digest = expected_digest(forged, events[0].digest)
        with tampering():
            AuditEvent.objects.filter(pk=forged.pk).update(reason=forged.reason, digest=forged_digest)
        assert chain_breaks() == [events[2].pk]

    def test_a_removed_row_breaks_the_chain_after_it(self):
        events = [record(f"thing.{n}") for n in range(4)]
        with tampering():
            AuditEvent.objects.filter(pk=events[1].pk)._raw_delete(AuditEvent.objects.db)
        assert chain_breaks() == [events[2].pk]

    def test_a_stretch_of_the_log_verifies_against_its_predecessor(self):
        events = [record(f"thing.{n}") for n in range(4)]
        assert chain_breaks(AuditEvent.objects.filter(pk__gte=events[2].pk).order_by("id")) == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_chain_one_after_the_other():
    """Two transactions recording at once must not both chain to the same predecessor."""
    import threading
    import time

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite writers queue at BEGIN IMMEDIATE; the lock under test is PostgreSQL's")
    record("thing.before")
    first_recorded = threading.Event()
    errors: list[BaseException] = []

    def slow_writer():
        try:
            with transaction.atomic():
                record_event(actor=system_actor(), action="thing.slow")
                first_recorded.set()
                time.sleep(0.5)  # hold the transaction open while the other writer arrives
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
            first_recorded.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    first_recorded.wait(5)
    record("thing.fast")
    thread.join(10)
    assert not errors
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "thing.before",
        "thing.slow",
        "thing.fast",
    ]
    assert chain_breaks() == []
