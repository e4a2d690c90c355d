"""The audit log is append-only: the model refuses to rewrite an event.

Deleting or bulk-updating rows is not refused yet (see the expected failures); the hash chain makes
either visible to `chain_breaks`, and the report asks for a model and database guard.
"""

import pytest
from django.db import DatabaseError, transaction

from jiayuan.audit.models import AuditEvent
from jiayuan.audit.services import record_event
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
