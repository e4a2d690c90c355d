"""Audit events: written in the service's transaction, append-only, hash-chained over every column."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from jiayuan.audit import chain
from jiayuan.audit.models import AuditEvent
from jiayuan.audit.services import canonical, chain_breaks, record_event
from jiayuan.audit.tests.tampering import raw_delete, recompute_from, tampering
from jiayuan.core.actor import actor_for, system_actor


def expected_digest(event: AuditEvent, previous: str) -> str:
    """The digest written out by hand, as a reader of docs/audit.md would compute it."""
    import hashlib
    import json

    content = {
        "id": event.id,
        "seq": event.seq,
        "at": event.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "reason": event.reason,
        "data": event.data,
        "previous": previous,
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


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_event_leaves_no_gap_in_the_numbering():
    record("thing.one")
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record_event(actor=system_actor(), action="thing.rolled_back")
        1 / 0  # noqa: B018
    record("thing.two")
    assert list(AuditEvent.objects.order_by("id").values_list("seq", flat=True)) == [1, 2]
    assert chain_breaks() == []


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

    def test_events_are_numbered_one_after_the_other(self):
        events = [record(f"thing.{n}") for n in range(3)]
        assert [e.seq for e in events] == [events[0].seq, events[0].seq + 1, events[0].seq + 2]

    def test_recording_takes_two_queries_on_sqlite_and_three_on_postgresql(
        self, django_assert_max_num_queries
    ):
        record("thing.before")
        with transaction.atomic(), django_assert_max_num_queries(3):
            record_event(actor=system_actor(), action="thing.done")


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
    def test_the_digest_covers_every_column_and_the_previous_digest(self, world):
        actor = actor_for(world.users["district_a_officer"])
        with transaction.atomic():
            first = record_event(
                actor=actor,
                action="thing.one",
                obj=world.estates["estate_a1a"],
                reason="why",
                data={"k": [1, "二"]},
            )
        second = record("thing.two", data={"on": dt.date(2025, 1, 2)})
        for event in (first, second):
            event.refresh_from_db()
        previous = AuditEvent.objects.filter(id__lt=first.id).order_by("-id").first()
        assert first.digest == expected_digest(first, previous.digest if previous else "")
        assert second.digest == expected_digest(second, first.digest)

    def test_every_column_but_the_digest_is_covered(self):
        columns = {f.attname for f in AuditEvent._meta.concrete_fields}
        assert columns - {"digest"} == set(chain.DIGEST_FIELDS)

    @pytest.mark.parametrize(
        ("column", "value"),
        [
            ("at", dt.datetime(2020, 1, 1, tzinfo=dt.UTC)),
            ("object_repr", "another name"),
            ("actor_id", None),
            ("actor_username", "someone"),
            ("action", "thing.other"),
            ("reason", "rewritten"),
            ("data", {"k": 2}),
        ],
    )
    def test_changing_any_column_breaks_the_chain_there(self, world, column, value):
        actor = actor_for(world.users["district_a_officer"])
        with transaction.atomic():
            events = [
                record_event(actor=actor, action="thing", obj=world.estates["estate_a1a"], data={"k": 1})
                for _ in range(3)
            ]
        with tampering():
            AuditEvent.objects.filter(pk=events[1].pk).update(**{column: value})
        assert chain_breaks() == [events[1].pk]

    def test_canonical_content_does_not_depend_on_key_order(self):
        assert canonical({"b": 1, "a": "二"}) == canonical({"a": "二", "b": 1}) == '{"a": "二", "b": 1}'

    def test_an_untouched_log_verifies(self, world):
        for n in range(3):
            record(f"thing.{n}")
        assert chain_breaks() == []

    def test_a_changed_row_with_a_recomputed_digest_breaks_the_chain_after_it(self):
        events = [record(f"thing.{n}") for n in range(4)]
        with tampering():
            AuditEvent.objects.filter(pk=events[1].pk).update(reason="quietly rewritten")
        recompute_from(events[1].pk)
        with tampering():  # the attacker leaves the rows after it alone
            for event in events[2:]:
                AuditEvent.objects.filter(pk=event.pk).update(digest=event.digest)
        assert chain_breaks() == [events[2].pk]

    def test_a_removed_row_shows_as_a_gap_after_it(self):
        events = [record(f"thing.{n}") for n in range(4)]
        raw_delete(pk=events[1].pk)
        assert chain_breaks() == [events[2].pk]


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
    assert list(AuditEvent.objects.order_by("id").values_list("action", "seq")) == [
        ("thing.before", 1),
        ("thing.slow", 2),
        ("thing.fast", 3),
    ]
    assert chain_breaks() == []
