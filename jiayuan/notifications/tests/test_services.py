"""Sending through the outbox, and phone verification codes with the preset's limits."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db import transaction
from django.utils import timezone

from jiayuan.audit.models import AuditEvent
from jiayuan.core.exceptions import DomainError
from jiayuan.notifications.choices import MessageStatus
from jiayuan.notifications.models import OutboundMessage, VerificationCode
from jiayuan.notifications.services import (
    InvalidPhone,
    RateLimited,
    normalise_phone,
    outbox_deliver,
    send_sms,
    verification_check,
    verification_request,
)
from jiayuan.policy.loader import active_preset
from jiayuan.testing.sms import last_code

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


class BrokenBackend:
    def send(self, message: OutboundMessage) -> None:
        raise ConnectionError("gateway down")


def rules():
    return active_preset().data.notifications


def request_code(phone: str = PHONE, purpose: str = "case_intake") -> str:
    """Ask for a code and read it as the phone's owner does (the outbox keeps it redacted)."""
    verification_request(phone=phone, purpose=purpose)
    return last_code(normalise_phone(phone))


# --- sending ---------------------------------------------------------------------------------------


def test_sending_writes_the_outbox_and_hands_it_to_the_backend_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        message = send_sms(to=PHONE, text="您的诉求已受理", purpose="case_update")
        message.refresh_from_db()
        assert message.status == MessageStatus.QUEUED
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.backend == "jiayuan.notifications.backends.MemoryBackend"  # the tests' gateway
    assert message.sent_at is not None
    assert message.recipient_masked == "139****5678"


def test_nothing_is_written_or_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send_sms(to=PHONE, text="您的诉求已受理", purpose="case_update")
        raise RuntimeError("the act failed")
    assert callbacks == []
    assert not OutboundMessage.objects.exists()


def test_the_message_names_the_object_it_is_about(django_capture_on_commit_callbacks, world):
    estate = world.estates["estate_a1a"]
    with django_capture_on_commit_callbacks(execute=True):
        message = send_sms(to=PHONE, text="提醒", purpose="reminder", related=estate)
    assert (message.related_type, message.related_id) == ("estates.estate", str(estate.pk))


def test_a_backend_failure_marks_the_message_failed_and_does_not_raise(
    django_capture_on_commit_callbacks, settings
):
    settings.JIAYUAN_SMS_BACKEND = f"{__name__}.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        message = send_sms(to=PHONE, text="您的诉求已受理", purpose="case_update")
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.error == "ConnectionError: gateway down"


def test_a_message_is_delivered_once_however_often_delivery_runs(
    django_capture_on_commit_callbacks, settings
):
    settings.JIAYUAN_SMS_BACKEND = "jiayuan.notifications.backends.LoggingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        message = send_sms(to=PHONE, text="您的诉求已受理", purpose="case_update")
    message.refresh_from_db()
    sent_at = message.sent_at
    outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.sent_at) == (MessageStatus.SENT, sent_at)


def test_the_logging_backend_logs_the_text_with_the_phone_masked(
    django_capture_on_commit_callbacks, settings, caplog
):
    settings.JIAYUAN_SMS_BACKEND = "jiayuan.notifications.backends.LoggingBackend"
    with (
        caplog.at_level(logging.INFO, logger="jiayuan.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_sms(to=PHONE, text="您的诉求已受理", purpose="case_update")
    assert "139****5678" in caplog.text
    assert "您的诉求已受理" in caplog.text
    assert PHONE not in caplog.text


def test_an_unknown_purpose_is_refused():
    with pytest.raises(DomainError) as refused:
        send_sms(to=PHONE, text="x", purpose="marketing")
    assert refused.value.field == "purpose"


# --- phone numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["12912345678", "1391234567", "139123456789", "23912345678", "", "电话"])
def test_an_invalid_phone_is_refused(phone):
    with pytest.raises(InvalidPhone):
        verification_request(phone=phone, purpose="case_intake")
    with pytest.raises(InvalidPhone):
        send_sms(to=phone, text="x", purpose="reminder")
    assert not OutboundMessage.objects.exists()
    assert not VerificationCode.objects.exists()


@pytest.mark.parametrize("written", ["13912345678", "139 1234 5678", "139-1234-5678", "+8613912345678"])
def test_a_phone_is_stored_as_its_eleven_digits(written):
    assert normalise_phone(written) == "13912345678"


# --- verification codes ----------------------------------------------------------------------------


def test_a_code_verifies_once():
    code = request_code()
    assert verification_check(phone=PHONE, purpose="case_intake", code=code)
    assert not verification_check(phone=PHONE, purpose="case_intake", code=code)


def test_only_the_hash_of_a_code_is_stored():
    code = request_code()
    row = VerificationCode.objects.get()
    assert code not in row.code_hash
    assert len(row.code_hash) == 64


def test_a_code_is_good_only_for_its_phone_and_purpose():
    code = request_code()
    assert not verification_check(phone="13812345678", purpose="case_intake", code=code)
    assert not verification_check(phone=PHONE, purpose="case_reopen", code=code)
    assert verification_check(phone=PHONE, purpose="case_intake", code=code)


def test_a_new_code_replaces_the_one_before():
    first = request_code()
    second = request_code()
    if first != second:
        assert not verification_check(phone=PHONE, purpose="case_intake", code=first)
    assert verification_check(phone=PHONE, purpose="case_intake", code=second)


def test_a_code_expires_after_the_presets_minutes():
    code = request_code()
    row = VerificationCode.objects.get()
    assert row.expires_at - row.created_at == pytest.approx(
        dt.timedelta(minutes=rules().code_ttl_minutes.value), abs=dt.timedelta(seconds=1)
    )
    VerificationCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert not verification_check(phone=PHONE, purpose="case_intake", code=code)


def test_a_code_locks_after_the_presets_maximum_of_wrong_attempts():
    code = request_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(rules().code_max_attempts.value):
        assert not verification_check(phone=PHONE, purpose="case_intake", code=wrong)
    assert not verification_check(phone=PHONE, purpose="case_intake", code=code)
    assert VerificationCode.objects.get().attempts == rules().code_max_attempts.value
    event = AuditEvent.objects.get(action="notifications.code_locked")
    assert event.data["phone"] == "139****5678"
    assert PHONE not in str(event.data)


def test_wrong_attempts_below_the_maximum_do_not_lock_the_code():
    code = request_code()
    for _ in range(rules().code_max_attempts.value - 1):
        assert not verification_check(phone=PHONE, purpose="case_intake", code="000000x")
    assert verification_check(phone=PHONE, purpose="case_intake", code=code)
    assert not AuditEvent.objects.filter(action="notifications.code_locked").exists()


def test_issuing_a_code_is_audited_with_the_phone_masked_and_never_the_code():
    code = request_code()
    row = VerificationCode.objects.get()
    event = AuditEvent.objects.get(action="notifications.code_issued")
    assert (event.object_type, event.object_id) == ("notifications.verificationcode", str(row.pk))
    assert event.data["phone"] == "139****5678"
    assert event.data["purpose"] == "case_intake"
    recorded = " ".join(
        str(value) for value in AuditEvent.objects.values_list("object_repr", "reason", "data").get()
    )
    assert PHONE not in recorded
    assert code not in recorded
    assert row.code_hash not in recorded


def test_a_refused_code_request_records_no_issue():
    for _ in range(rules().codes_per_phone_per_hour.value):
        request_code()
    with pytest.raises(RateLimited):
        verification_request(phone=PHONE, purpose="case_intake")
    issued = AuditEvent.objects.filter(action="notifications.code_issued").count()
    assert issued == rules().codes_per_phone_per_hour.value


# --- rate limits from the preset -------------------------------------------------------------------


def test_the_hourly_limit_refuses_the_next_code_and_says_when_to_try_again():
    per_hour = rules().codes_per_phone_per_hour.value
    for _ in range(per_hour):
        request_code()
    first = VerificationCode.objects.order_by("created_at").first()
    with pytest.raises(RateLimited) as refused:
        verification_request(phone=PHONE, purpose="case_intake")
    assert refused.value.retry_at == first.created_at + dt.timedelta(hours=1)
    when = timezone.localtime(refused.value.retry_at).strftime("%Y-%m-%d %H:%M")
    assert when in str(refused.value.message)
    assert refused.value.status == 429
    assert VerificationCode.objects.count() == per_hour
    event = AuditEvent.objects.get(action="notifications.code_rate_limited")
    assert event.data["phone"] == "139****5678"
    assert PHONE not in str(event.data)


def test_the_limit_counts_codes_of_every_purpose_and_only_for_that_phone():
    per_hour = rules().codes_per_phone_per_hour.value
    for index in range(per_hour):
        request_code(purpose="case_intake" if index % 2 else "case_reopen")
    with pytest.raises(RateLimited):
        verification_request(phone=PHONE, purpose="case_rating")
    request_code(phone="13812345678")


def test_the_daily_limit_holds_when_the_hourly_one_is_clear():
    per_hour = rules().codes_per_phone_per_hour.value
    per_day = rules().codes_per_phone_per_day.value
    now = timezone.now()
    issued = 0
    while issued < per_day:
        batch = min(per_hour, per_day - issued)
        for _ in range(batch):
            request_code()
        issued += batch
        # Move what was sent out of the hourly window, keeping it within the day.
        VerificationCode.objects.filter(created_at__gt=now - dt.timedelta(hours=1)).update(
            created_at=now - dt.timedelta(hours=2, minutes=issued)
        )
    oldest = VerificationCode.objects.order_by("created_at").first()
    with pytest.raises(RateLimited) as refused:
        verification_request(phone=PHONE, purpose="case_intake")
    assert refused.value.retry_at == oldest.created_at + dt.timedelta(days=1)


def test_codes_older_than_a_day_do_not_count():
    VerificationCode.objects.bulk_create(
        VerificationCode(phone=PHONE, purpose="case_intake", code_hash="0" * 64, expires_at=timezone.now())
        for _ in range(rules().codes_per_phone_per_day.value)
    )
    VerificationCode.objects.update(created_at=timezone.now() - dt.timedelta(days=1, seconds=1))
    request_code()
