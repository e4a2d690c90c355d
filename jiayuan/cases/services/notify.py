"""Text messages about a case: the complainant is told of each step, the responsible person and the
supervising officers of reminders and escalations (docs/notifications.md, "Who is told what").

Every function here only queues messages through `send_sms`, in the caller's transaction: a
transition that rolls back sends nothing, and the audit event is the caller's (the transition, the
reminder, the escalation). A number that is not a mainland mobile (a hotline complainant calling
from a landline) is skipped, never an error: a message must not stop the work on the case.

The texts are written in the platform's language (`LANGUAGE_CODE`), not in the language of the
person whose action sends them: the complainant has no language of their own on record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.accounts.models import User
from jiayuan.audit.services import record_event
from jiayuan.cases.choices import Outcome
from jiayuan.cases.links import case_follow_url
from jiayuan.cases.models import Case
from jiayuan.core.actor import system_actor
from jiayuan.notifications.choices import Purpose
from jiayuan.notifications.services import mobile_or_none, send_sms
from jiayuan.regions.choices import Level
from jiayuan.regions.models import Region

# A staff reason quoted in a text is cut to this many characters: an SMS stays one or two segments.
REASON_LENGTH = 40

# The role whose holders supervise an escalated case at each level of region (督办).
SUPERVISING_ROLE = {
    Level.SUBDISTRICT: Role.SUBDISTRICT_OFFICER,
    Level.DISTRICT: Role.DISTRICT_OFFICER,
    Level.CITY: Role.CITY_ADMIN,
}


def shorten(text: str, length: int = REASON_LENGTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else f"{text[: length - 1]}…"


def body_name(case: Case) -> str:
    """The name of the body the case is dispatched to (the objects are on the case: no query)."""
    for body in (case.handler_enterprise, case.handler_department, case.handler_region):
        if body is not None:
            return str(body.name)
    return _("the responsible body")


def staff_case_url(case: Case) -> str:
    """The case's page in the ledger: for staff, who log in to see it."""
    return settings.SITE_URL + reverse("cases:detail", args=[case.pk])


# --- the complainant ----------------------------------------------------------------------------------


def filed_text(case: Case, reason: str) -> str:
    return _("[Jiayuan] Your complaint is received as case %(number)s. Follow it at %(link)s") % {
        "number": case.number,
        "link": case_follow_url(case),
    }


def accepted_text(case: Case, reason: str) -> str:
    return _("[Jiayuan] Case %(number)s is accepted and goes to the body responsible. %(link)s") % {
        "number": case.number,
        "link": case_follow_url(case),
    }


def rejected_text(case: Case, reason: str) -> str:
    return _("[Jiayuan] Case %(number)s is not accepted: %(reason)s %(link)s") % {
        "number": case.number,
        "reason": shorten(reason),
        "link": case_follow_url(case),
    }


def dispatched_text(case: Case, reason: str) -> str:
    return _("[Jiayuan] Case %(number)s is sent to %(body)s to deal with. %(link)s") % {
        "number": case.number,
        "body": body_name(case),
        "link": case_follow_url(case),
    }


def referred_text(case: Case, reason: str) -> str:
    return _("[Jiayuan] Case %(number)s is referred to %(body)s. %(link)s") % {
        "number": case.number,
        "body": body_name(case),
        "link": case_follow_url(case),
    }


def rectified_text(case: Case, reason: str) -> str:
    return _("[Jiayuan] %(body)s reports case %(number)s fixed; it will be checked. %(link)s") % {
        "number": case.number,
        "body": body_name(case),
        "link": case_follow_url(case),
    }


def closed_out_text(case: Case, reason: str) -> str:
    outcome = Outcome(case.outcome).label if case.outcome in Outcome.values else case.outcome
    return _("[Jiayuan] Case %(number)s is closed: %(outcome)s. Please rate the result: %(link)s") % {
        "number": case.number,
        "outcome": outcome,
        "link": case_follow_url(case),
    }


def reopened_text(case: Case, reason: str) -> str:
    return _("[Jiayuan] Case %(number)s is reopened and will be dealt with again. %(link)s") % {
        "number": case.number,
        "link": case_follow_url(case),
    }


# The steps the complainant is told of. Not here, on purpose: start (the body takes the case in
# hand), verify (the check of the rectification: the close-out that follows is the news) and
# send_back (a failed check goes back to the body) are internal steps of the staff; moderate only
# changes what public pages show; rate is the complainant's own act.
COMPLAINANT_TEXTS: dict[str, Callable[[Case, str], str]] = {
    "file": filed_text,
    "accept": accepted_text,
    "reject": rejected_text,
    "dispatch": dispatched_text,
    "refer": referred_text,
    "rectify": rectified_text,
    "close_out": closed_out_text,
    "reopen": reopened_text,
}


def notify_complainant(*, case: Case, transition: str, reason: str = "") -> bool:
    """Queue the text telling the complainant of this step, if the step is news to them.

    Nothing is sent when the step is internal, the case has no complainant phone, or the phone is
    not a mobile number. The text names the case and its follow link, never a person or a phone.
    """
    build = COMPLAINANT_TEXTS.get(transition)
    phone = mobile_or_none(case.complainant_phone)
    if build is None or phone is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        text = build(case, reason)
    send_sms(to=phone, text=text, purpose=Purpose.CASE_UPDATE, related=case)
    return True


@transaction.atomic
def case_follow_link_resend(*, case: Case) -> bool:
    """Text a fresh follow link to the case's own phone (asked for from an expired link's page).

    The link goes nowhere but the phone the complaint came from, so asking needs no code; the page
    limits how often one network address may ask. Audited: who asked is not known, what was sent is.
    """
    phone = mobile_or_none(case.complainant_phone)
    if phone is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        text = _("[Jiayuan] A new link to follow case %(number)s: %(link)s") % {
            "number": case.number,
            "link": case_follow_url(case),
        }
    send_sms(to=phone, text=text, purpose=Purpose.CASE_UPDATE, related=case)
    record_event(actor=system_actor(), action="case.follow_link_sent", obj=case)
    return True


# --- the responsible person and the supervisors ------------------------------------------------------


def send_to_each(phones: Iterable[str], *, text: str, case: Case) -> int:
    """Queue `text` once to each distinct mobile number among `phones`; the others are skipped."""
    sent: set[str] = set()
    for phone in phones:
        mobile = mobile_or_none(phone)
        if mobile is None or mobile in sent:
            continue
        send_sms(to=mobile, text=text, purpose=Purpose.REMINDER, related=case)
        sent.add(mobile)
    return len(sent)


def notify_responsible_of_reminder(*, case: Case, due: dt.datetime) -> int:
    """Remind the responsible person (if a mobile is on the case) that the case is due soon."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _("[Jiayuan] Case %(number)s at %(estate)s is due by %(due)s. %(link)s") % {
            "number": case.number,
            "estate": case.estate.name,
            "due": formats.date_format(timezone.localtime(due), "Y-m-d H:i"),
            "link": staff_case_url(case),
        }
    return send_to_each([case.responsible_phone], text=text, case=case)


def supervising_phones(region: Region) -> list[str]:
    """The phones of the users who supervise at `region`: one query, whatever their number.

    They hold an active membership in the supervising role for the region's level, in an
    organisation of exactly that region (the district's bureau, not a subdistrict office below it).
    """
    role = SUPERVISING_ROLE.get(Level(region.level))
    if role is None:
        return []
    users = User.objects.filter(
        is_active=True,
        memberships__active=True,
        memberships__role=role,
        memberships__organisation__region=region,
    ).exclude(phone="")
    return list(users.order_by("phone").values_list("phone", flat=True).distinct())


def notify_of_escalation(*, case: Case, level: int, region: Region) -> int:
    """Tell the responsible person and the officers of the supervising region of an escalation."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "[Jiayuan] Case %(number)s at %(estate)s is overdue and escalated to %(region)s "
            "(level %(level)s). %(link)s"
        ) % {
            "number": case.number,
            "estate": case.estate.name,
            "region": region.name,
            "level": level,
            "link": staff_case_url(case),
        }
    return send_to_each([case.responsible_phone, *supervising_phones(region)], text=text, case=case)
