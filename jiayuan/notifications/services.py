"""Writes of the notifications app: SMS through the outbox, and phone verification codes.

Audit. A message is recorded by its outbox row, and the act that sends it (a case update, a
reminder) records its own audit event; a second event per message would double the log for no
new fact. Issuing a verification code is an act of its own (it proves a person's phone to the
platform), so each issue is audited (`notifications.code_issued`), as is what points at abuse: a
refused request (over the rate limit) and a code locked after too many wrong entries. Those events
carry the phone masked plus a keyed digest of it, so repeated use or abuse of one number can be
traced without putting the number itself into an append-only log that can never forget it; the
code itself is never recorded (the row keeps only its keyed hash).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets

from django.db import models, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from huey.contrib.djhuey import db_task

from jiayuan.audit.services import record_event
from jiayuan.core.actor import system_actor
from jiayuan.core.exceptions import DomainError
from jiayuan.core.masking import mask_phone
from jiayuan.notifications.backends import backend_path, get_backend
from jiayuan.notifications.choices import MessageStatus, Purpose
from jiayuan.notifications.models import OutboundMessage, VerificationCode
from jiayuan.policy.loader import active_preset

logger = logging.getLogger("jiayuan.notifications")

# A mainland mobile number: 11 digits, 1 then 3-9 (the carriers' prefixes).
PHONE_PATTERN = re.compile(r"1[3-9]\d{9}")
CODE_DIGITS = 6
PURPOSE_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,31}")
# Key of the PostgreSQL advisory locks that serialise code requests per phone ("JYSM").
PHONE_LOCK = 0x4A59534D


class InvalidPhone(DomainError):
    """Not a mainland mobile number."""

    code = "invalid_phone"


class RateLimited(DomainError):
    """Too many codes for one phone in the preset's period; `retry_at` says when the next is allowed."""

    code = "rate_limited"
    status = 429

    def __init__(self, *, retry_at: dt.datetime) -> None:
        when = formats.date_format(timezone.localtime(retry_at), "Y-m-d H:i")
        super().__init__(
            gettext("Too many verification codes were sent to this phone. Try again after %(time)s.")
            % {"time": when},
            field="phone",
            details={"retry_at": retry_at.isoformat()},
        )
        self.retry_at = retry_at


def normalise_phone(phone: str) -> str:
    """The 11-digit number, without spaces, dashes or a +86 prefix; `InvalidPhone` if it is none."""
    value = re.sub(r"[\s-]", "", phone or "").removeprefix("+86")
    if not PHONE_PATTERN.fullmatch(value):
        raise InvalidPhone(
            gettext("Enter a valid mobile phone number: 11 digits starting with 13 to 19."), field="phone"
        )
    return value


def mobile_or_none(phone: str) -> str | None:
    """The normalised mobile number, or None for an empty, landline or mistyped one."""
    if not phone.strip():
        return None
    try:
        return normalise_phone(phone)
    except InvalidPhone:
        return None


def phone_digest(phone: str) -> str:
    """A keyed digest of a phone: the same number always gives the same digest, which reveals nothing."""
    return salted_hmac("jiayuan.notifications.phone", phone, algorithm="sha256").hexdigest()


def code_digest(phone: str, code: str) -> str:
    return salted_hmac("jiayuan.notifications.code", f"{phone}:{code}", algorithm="sha256").hexdigest()


# --- sending -------------------------------------------------------------------------------------


def send_sms(
    *, to: str, text: str, purpose: str, related: models.Model | None = None, stored_text: str | None = None
) -> OutboundMessage:
    """Queue an SMS in the outbox; after the transaction commits, the worker hands it to the backend.

    If the caller's transaction rolls back, the row goes with it and nothing is sent. The caller
    records the audit event of the act that sends the message (see the module's docstring). A bad
    purpose, text or number is refused before anything is written. A text that carries a secret (a
    verification code) gives `stored_text`, the same words with the secret redacted: the outbox row
    keeps that, and only the backend receives `text`.
    """
    if purpose not in Purpose.values:
        raise DomainError(gettext("Unknown message purpose."), field="purpose")
    if not text.strip():
        raise DomainError(gettext("A message needs a text."), field="text")
    return queue_sms(
        recipient=normalise_phone(to), text=text, purpose=purpose, related=related, stored_text=stored_text
    )


def queue_sms(
    *,
    recipient: str,
    text: str,
    purpose: str,
    related: models.Model | None,
    stored_text: str | None = None,
) -> OutboundMessage:
    """One INSERT, in the caller's transaction if there is one (no savepoint of its own: nothing here
    can fail halfway); the delivery is handed to the worker once that transaction commits."""
    message = OutboundMessage.objects.create(
        recipient=recipient,
        text=stored_text if stored_text is not None else text,
        purpose=purpose,
        related_type=related._meta.label_lower if related is not None else "",
        related_id=str(related.pk) if related is not None else "",
    )
    pk = message.pk
    # The secret travels only in the task's arguments (the queue keeps them until the worker runs).
    secret_text = text if stored_text is not None else None
    transaction.on_commit(lambda: deliver_sms(pk, secret_text))
    return message


@db_task(name="notifications.deliver_sms", retries=2, retry_delay=30)
def deliver_sms(message_id: int, text: str | None = None) -> None:
    """The worker's job (Huey): deliver one queued message. The request that queued it does not
    wait for the gateway; with Huey in immediate mode (tests) it runs where it is queued."""
    outbox_deliver(message_id=message_id, text=text)


def outbox_deliver(*, message_id: int, text: str | None = None) -> None:
    """Hand one queued message to the configured backend and mark it sent or failed.

    Runs after commit, outside any transaction: the claim (queued -> sending, a conditional update)
    commits before the backend is called, so a slow gateway holds no lock and a second run of this
    function for the same message does nothing. A backend's exception marks the message failed with
    the error; it is not raised, since the act that queued the message has already committed.
    """
    path = backend_path()
    claimed = OutboundMessage.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SENDING, backend=path[:200]
    )
    if not claimed:
        return
    message = OutboundMessage.objects.get(pk=message_id)
    if text is not None:
        message.text = text  # what the recipient must read; the row keeps the redacted words
    try:
        get_backend().send(message)
    except Exception as error:  # any failure of a third-party gateway: record it, do not raise
        logger.exception("SMS %s via %s failed", message_id, path)
        OutboundMessage.objects.filter(pk=message_id).update(
            status=MessageStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        return
    OutboundMessage.objects.filter(pk=message_id).update(status=MessageStatus.SENT, sent_at=timezone.now())


# --- verification codes -------------------------------------------------------------------------


def verification_request(*, phone: str, purpose: str) -> VerificationCode:
    """Send a fresh 6-digit code to `phone` for `purpose` (e.g. "case_intake").

    Refused with `RateLimited` when the phone had the preset's number of codes in the last hour
    or day (counted over all purposes); the refusal is audited. Call it outside a transaction: the
    refusal's audit event commits on its own before the error is raised, which an enclosing
    transaction would roll back.
    """
    phone = normalise_phone(phone)
    if not PURPOSE_PATTERN.fullmatch(purpose):
        raise DomainError(gettext("Unknown verification purpose."), field="purpose")
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    issued, retry_at = _issue_code(phone=phone, purpose=purpose, code=code)
    if issued is None:
        assert retry_at is not None
        _record_refusal(phone=phone, purpose=purpose, retry_at=retry_at)
        raise RateLimited(retry_at=retry_at)
    return issued


@transaction.atomic
def _issue_code(*, phone: str, purpose: str, code: str) -> tuple[VerificationCode | None, dt.datetime | None]:
    """The new code row, or None and when the rate limit lets the phone ask again."""
    _lock_phone(phone)
    rules = active_preset().data.notifications
    now = timezone.now()
    retry_at = _retry_at(phone, now)
    if retry_at is not None:
        return None, retry_at
    minutes = rules.code_ttl_minutes.value
    row = VerificationCode.objects.create(
        phone=phone,
        purpose=purpose,
        code_hash=code_digest(phone, code),
        expires_at=now + dt.timedelta(minutes=minutes),
    )
    text = gettext(
        "[Jiayuan] Your verification code is %(code)s, valid for %(minutes)s minutes. "
        "Do not tell it to anyone."
    ) % {"code": code, "minutes": minutes}
    send_sms(
        to=phone,
        text=text,
        purpose=Purpose.VERIFICATION,
        related=row,
        stored_text=text.replace(code, "*" * CODE_DIGITS),
    )
    record_event(
        actor=system_actor(),
        action="notifications.code_issued",
        obj=row,
        data={
            "phone": mask_phone(phone),
            "phone_digest": phone_digest(phone),
            "purpose": purpose,
            "expires_at": row.expires_at,
        },
    )
    return row, None


def _lock_phone(phone: str) -> None:
    """Serialise code requests for one phone until commit, so two at once cannot both pass the limit.

    SQLite needs no lock: its transactions start IMMEDIATE, so writers already queue.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.sha256(phone.encode()).digest()[:4], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [PHONE_LOCK, key])


def _retry_at(phone: str, now: dt.datetime) -> dt.datetime | None:
    """When the phone may have its next code, if a limit is reached now (the later of the two)."""
    rules = active_preset().data.notifications
    limits = (
        (dt.timedelta(hours=1), rules.codes_per_phone_per_hour.value),
        (dt.timedelta(days=1), rules.codes_per_phone_per_day.value),
    )
    latest: dt.datetime | None = None
    for window, limit in limits:
        recent = list(
            VerificationCode.objects.filter(phone=phone, created_at__gt=now - window)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:limit]
        )
        if len(recent) >= limit:
            # The limit-th newest code leaves the window first; then one more may be sent.
            free_at = recent[limit - 1] + window
            latest = free_at if latest is None else max(latest, free_at)
    return latest


@transaction.atomic
def _record_refusal(*, phone: str, purpose: str, retry_at: dt.datetime) -> None:
    record_event(
        actor=system_actor(),
        action="notifications.code_rate_limited",
        reason="verification codes per phone over the preset's limit",
        data={
            "phone": mask_phone(phone),
            "phone_digest": phone_digest(phone),
            "purpose": purpose,
            "retry_at": retry_at,
        },
    )


@transaction.atomic
def verification_check(*, phone: str, purpose: str, code: str) -> bool:
    """Whether `code` is the phone's latest code for `purpose`, unused, unexpired and not locked.

    A right code is used up (a second check of it is False). A wrong one counts an attempt; at the
    preset's maximum the code is locked, even for the right code, and that is audited. Two checks
    at once go through conditional updates, so a code is never used twice nor tried once too often.
    """
    try:
        phone = normalise_phone(phone)
    except InvalidPhone:
        return False
    max_attempts = active_preset().data.notifications.code_max_attempts.value
    row = VerificationCode.objects.filter(phone=phone, purpose=purpose).order_by("-created_at", "-id").first()
    now = timezone.now()
    if row is None or row.used_at is not None or row.expires_at <= now or row.attempts >= max_attempts:
        return False
    live = VerificationCode.objects.filter(pk=row.pk, used_at__isnull=True, attempts__lt=max_attempts)
    if hmac.compare_digest(row.code_hash, code_digest(phone, (code or "").strip())):
        return bool(live.update(used_at=now))
    if live.update(attempts=F("attempts") + 1) and row.attempts + 1 >= max_attempts:
        row.refresh_from_db(fields=["attempts"])
        if row.attempts >= max_attempts:
            record_event(
                actor=system_actor(),
                action="notifications.code_locked",
                obj=row,
                reason="too many wrong verification codes",
                data={"phone": mask_phone(phone), "phone_digest": phone_digest(phone), "purpose": purpose},
            )
    return False
