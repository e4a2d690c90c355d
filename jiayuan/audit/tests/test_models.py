"""The audit records are append-only: the model and the database refuse to rewrite or delete them."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction

from jiayuan.audit.models import AuditCheckpoint, AuditEvent, AuditVerification
from jiayuan.audit.services import checkpoint_create, record_event, verification_run
from jiayuan.core.actor import system_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    with transaction.atomic():
        return record_event(actor=system_actor(), action="thing.done", reason="because")


def test_an_event_cannot_be_saved_twice(event):
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()


def test_a_new_event_must_be_written_through_record_event_to_carry_a_digest(event):
    assert len(event.digest) == 64
    assert int(event.digest, 16) >= 0


def test_events_are_listed_newest_first(event):
    with transaction.atomic():
        newer = record_event(actor=system_actor(), action="thing.again")
    assert list(AuditEvent.objects.all()) == [newer, event]


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(RuntimeError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_to_rewrite_an_event(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")


def test_the_database_refuses_to_delete_an_event(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk)._raw_delete(AuditEvent.objects.db)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_to_delete_the_whole_log(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_user_who_acted_cannot_be_deleted(world):
    from django.db.models import ProtectedError

    from jiayuan.core.actor import actor_for

    user = world.users["district_a_officer"]
    with transaction.atomic():
        record_event(actor=actor_for(user), action="thing.done")
    with pytest.raises(ProtectedError):
        user.delete()


@pytest.mark.parametrize("make", [checkpoint_create, lambda: verification_run()[0]])
def test_checkpoints_and_verifications_are_append_only_in_the_database(event, make):
    record = make()
    model = type(record)
    assert model in (AuditCheckpoint, AuditVerification)
    with pytest.raises(RuntimeError):
        record.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.filter(pk=record.pk).update(at=record.at)
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.filter(pk=record.pk)._raw_delete(model.objects.db)


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_database_and_leaves_the_guards_in_place():
    with transaction.atomic():
        record_event(actor=system_actor(), action="thing.done")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    with transaction.atomic():
        event = record_event(actor=system_actor(), action="thing.again")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk)._raw_delete(AuditEvent.objects.db)
