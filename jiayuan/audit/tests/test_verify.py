"""The verifier: `manage.py audit verify`, the daily job and the signed checkpoints.

Each test plays an attacker with write access to the database (but not the audit key) and checks
that the walk names the first broken event and why.
"""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from jiayuan.audit import chain, tasks
from jiayuan.audit.models import AuditCheckpoint, AuditEvent, AuditVerification
from jiayuan.audit.services import checkpoint_create, record_event, verification_run
from jiayuan.audit.tests.tampering import raw_delete, recompute_from, tampering
from jiayuan.audit.verify import verify_chain
from jiayuan.core.actor import system_actor

pytestmark = pytest.mark.django_db


def record(n: int) -> list[AuditEvent]:
    with transaction.atomic():
        return [record_event(actor=system_actor(), action=f"thing.{i}", data={"i": i}) for i in range(n)]


def first(report):
    assert not report.ok
    return report.problems[0].event_id, report.problems[0].kind


class TestTheChain:
    def test_an_intact_chain_verifies(self):
        events = record(5)
        checkpoint_create()
        report = verify_chain()
        assert report.ok
        assert (report.rows, report.checkpoints, report.last_id) == (5, 1, events[-1].pk)

    def test_an_empty_log_verifies(self):
        checkpoint_create()
        assert verify_chain().ok

    def test_it_catches_an_edited_field(self):
        events = record(5)
        with tampering():
            AuditEvent.objects.filter(pk=events[2].pk).update(object_repr="someone else")
        assert first(verify_chain()) == (events[2].pk, "edited")

    def test_it_catches_a_deleted_middle_row(self):
        events = record(5)
        raw_delete(pk=events[2].pk)
        report = verify_chain()
        assert first(report) == (events[3].pk, "missing")
        assert "1 event(s) before it were removed" in report.problems[0].detail

    def test_it_catches_a_truncated_tail_with_a_checkpoint(self):
        events = record(5)
        checkpoint_create()
        raw_delete(pk__gte=events[3].pk)
        report = verify_chain()
        assert first(report) == (events[4].pk, "truncated")
        assert f"ends at event {events[2].pk}" in report.problems[0].detail

    def test_it_catches_a_chain_recomputed_from_some_row_on(self):
        events = record(5)
        checkpoint_create()
        with tampering():
            AuditEvent.objects.filter(pk=events[1].pk).update(reason="never happened")
        recompute_from(events[1].pk)
        report = verify_chain()
        assert first(report) == (events[4].pk, "recomputed")

    def test_it_catches_a_removed_row_renumbered_with_a_recomputed_chain(self):
        events = record(5)
        checkpoint_create()
        raw_delete(pk=events[1].pk)
        with tampering():
            for seq, event in enumerate(events[2:], start=events[1].seq):
                AuditEvent.objects.filter(pk=event.pk).update(seq=seq)
        recompute_from(events[2].pk)
        assert first(verify_chain()) == (events[4].pk, "recomputed")

    def test_it_catches_a_forged_checkpoint(self):
        record(3)
        made = checkpoint_create()
        with tampering():
            AuditCheckpoint.objects.filter(pk=made.pk).update(count=made.count + 1)
        assert first(verify_chain()) == (made.event_id, "forged")

    def test_a_checkpoint_signed_by_another_key_is_forged(self):
        record(3)
        with override_settings(JIAYUAN_AUDIT_KEY="an attacker's key"):
            made = checkpoint_create()
        with override_settings(JIAYUAN_AUDIT_KEY="the real key"):
            assert first(verify_chain()) == (made.event_id, "forged")

    def test_a_retired_key_still_verifies_its_checkpoints(self):
        record(3)
        with override_settings(JIAYUAN_AUDIT_KEY="old key"):
            checkpoint_create()
        with override_settings(JIAYUAN_AUDIT_KEY="new key", JIAYUAN_AUDIT_PREVIOUS_KEYS=["old key"]):
            checkpoint_create()
            assert verify_chain().ok

    def test_without_a_key_of_its_own_the_key_comes_from_the_secret_key(self):
        with override_settings(JIAYUAN_AUDIT_KEY="", SECRET_KEY="one"):
            one = chain.signing_key()
        with override_settings(JIAYUAN_AUDIT_KEY="", SECRET_KEY="two"):
            assert chain.signing_key() not in (one, "two")

    def test_it_walks_in_batches_and_goes_on_after_a_problem(self):
        events = record(12)
        checkpoint_create()
        with tampering():
            AuditEvent.objects.filter(pk__in=[events[2].pk, events[9].pk]).update(reason="x")
        report = verify_chain(batch_size=5)
        assert [(p.event_id, p.kind) for p in report.problems] == [
            (events[2].pk, "edited"),
            (events[9].pk, "edited"),
        ]
        assert report.rows == 12

    def test_a_checkpoint_made_during_the_walk_is_left_for_the_next(self):
        record(2)
        checkpoint_upto = AuditCheckpoint.objects.count()
        assert checkpoint_upto == 0
        report = verify_chain()
        record(1)
        checkpoint_create()
        assert report.ok


class TestTheCommand:
    def test_it_exits_zero_with_a_summary(self, capsys):
        record(3)
        call_command("audit", "checkpoint")
        call_command("audit", "verify")
        out = capsys.readouterr().out
        assert "Audit chain intact: 3 events" in out
        assert "1 checkpoints checked" in out

    def test_it_exits_non_zero_with_the_first_broken_id_and_why(self, capsys):
        events = record(4)
        with tampering():
            AuditEvent.objects.filter(pk=events[1].pk).update(reason="rewritten")
        with pytest.raises(CommandError, match=f"broken at event {events[1].pk}") as raised:
            call_command("audit", "verify")
        assert raised.value.returncode == 1
        assert f"Broken at event {events[1].pk} (edited)" in capsys.readouterr().err

    def test_checkpoint_signs_the_head(self, capsys):
        events = record(2)
        call_command("audit", "checkpoint")
        made = AuditCheckpoint.objects.get()
        assert (made.event_id, made.event_digest, made.count) == (
            events[1].pk,
            events[1].digest,
            events[1].seq,
        )
        assert chain.checkpoint_signed(
            event_id=made.event_id,
            event_digest=made.event_digest,
            count=made.count,
            at=made.at,
            signature=made.signature,
        )


class TestTheDailyJob:
    def test_it_keeps_the_result(self):
        events = record(3)
        assert tasks.verify() == {"ok": True, "rows": 3, "first_broken_id": None}
        with tampering():
            AuditEvent.objects.filter(pk=events[0].pk).update(reason="x")
        result, _report = verification_run()
        stored = AuditVerification.objects.order_by("-id").first()
        assert stored == result
        assert (stored.ok, stored.first_broken_id, stored.problem, stored.rows_checked) == (
            False,
            events[0].pk,
            "edited",
            4,  # and the first verification's own event
        )
        assert AuditEvent.objects.filter(action="audit.chain_verified").count() == 2

    def test_the_hourly_job_makes_a_checkpoint(self):
        record(1)
        assert tasks.checkpoint()["count"] == 1

    def test_both_are_in_the_one_list_of_periodic_jobs(self):
        from huey.contrib.djhuey import HUEY

        import config.periodic  # noqa: F401

        names = {task.__name__ for task in HUEY._registry._periodic_tasks}
        assert {"audit.checkpoint", "audit.verify"} <= names


def test_the_checkpoint_covers_the_time_it_was_made():
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    one = chain.checkpoint_signature(key="k", event_id=1, event_digest="d", count=1, at=at)
    other = chain.checkpoint_signature(
        key="k", event_id=1, event_digest="d", count=1, at=at + dt.timedelta(seconds=1)
    )
    assert one != other
