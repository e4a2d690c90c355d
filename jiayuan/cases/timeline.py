"""A case's timeline in words: every entry as one sentence in the interface language.

Who did what, when, and why: "张三（某某街道办事处）派单给某某物业服务企业。" The case page, the
owner's follow page and any other page that shows a case's history build their entries here
(`timeline`, or `describe` for one entry), so no page shows an internal code (`close_out`, `qr:1`)
and the pages cannot word the same step differently. The API keeps the codes.

Two audiences: staff read names and bodies and the internal steps (reminders, notes, moderation);
the complainant (`OWNER`) reads only the public steps, in their own words (办结, not 销号), with
bodies but no staff names, and "you" for themselves. Who acted comes from the event's user and the
organisations they act for: read them with `events_with_actors` (two queries for any number of
entries), never one query per entry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jiayuan.accounts.selectors import memberships_prefetch
from jiayuan.cases import workflow
from jiayuan.cases.choices import EventKind, HandlerKind, Outcome, Source, State
from jiayuan.cases.models import Case, CaseEvent
from jiayuan.core.masking import mask_name
from jiayuan.policy.loader import active_preset

STAFF = "staff"
OWNER = "owner"

# The actor names the services write for acts with no person behind them (see `add_event`).
SYSTEM_NAME = "system"
QR_PREFIX = "qr:"
OPEN311_PREFIX = "open311:"
COMPLAINANT_NAME = "complainant (verified phone)"

WHO_SYSTEM = _("System")
WHO_QR = _("Owner (QR code)")
WHO_COMPLAINANT = _("Complainant (verified phone)")
WHO_YOU = _("You")
WHO_STAFF = _("Staff")

# The states as the complainant reads them: plain words, 已办结 rather than 已销号.
OWNER_STATE_LABELS: dict[str, Promise] = {
    State.SUBMITTED: _("Received"),
    State.ACCEPTED: _("Accepted for handling"),
    State.REJECTED: _("Not accepted"),
    State.DISPATCHED: _("Being handled"),
    State.IN_PROGRESS: _("Being handled"),
    State.RECTIFIED: _("Done, being checked"),
    State.VERIFIED: _("Checked, about to close"),
    State.CLOSED_OUT: _("Closed"),
}

# What each step says, by transition: (staff's words, the complainant's words if they differ).
SENTENCES: dict[str, tuple[Promise, Promise | None]] = {
    "accept": (_("%(who)s accepted the case."), None),
    "reject": (_("%(who)s did not accept the case."), None),
    "dispatch": (_("%(who)s dispatched the case to %(body)s."), _("%(who)s passed the case to %(body)s.")),
    "refer": (_("%(who)s referred the case to %(body)s."), None),
    "start": (_("%(who)s started work on the case."), None),
    "rectify": (_("%(who)s reported the rectification done."), None),
    "verify": (_("%(who)s checked the rectification on the spot and found it done."), None),
    "send_back": (_("%(who)s found the rectification not done and sent the case back."), None),
    "close_out": (_("%(who)s closed out the case: %(outcome)s."), _("%(who)s closed the case: %(outcome)s.")),
    "reopen": (_("%(who)s reopened the case."), None),
    "rate": (_("%(who)s rated the result %(rating)s out of 5."), None),
    "moderate": (_("%(who)s changed the description shown in public."), None),
}
FILED_BY_COMPLAINANT = _("%(who)s submitted the complaint.")
FILED_BY_STAFF = _("%(who)s registered the complaint from %(source)s.")
FILED_ALTHOUGH_OPEN = _("Filed although %(numbers)s, on the same problem at this estate, is still open.")
DISPATCH_OVERRIDE = _("%(who)s dispatched the case to %(body)s, departing from the responsibility list.")
RECTIFIED_WITH_EVIDENCE = _("%(who)s reported the rectification done and uploaded evidence.")
CLOSED_AS_DUPLICATE = (
    _("%(who)s closed out the case as a duplicate of %(number)s."),
    _("%(who)s closed the case: it is the same problem as %(number)s, which is handled there."),
)
POOR_RATING = _("%(who)s rated the result %(rating)s out of 5, a poor rating.")
ESCALATED = _("%(who)s escalated the case to %(region)s (level %(level)s): the deadline %(due)s passed.")
REMINDED = _("%(who)s reminded the responsible person: the %(deadline)s is %(due)s.")
ADDED_TO_CAMPAIGN = _("%(who)s added the case to the campaign “%(name)s”.")
REMOVED_FROM_CAMPAIGN = _("%(who)s removed the case from the campaign “%(name)s”.")
ADDED_FILES = _("%(who)s added files.")
ADDED_NOTE = _("%(who)s added a note.")
UPDATED = _("%(who)s updated the case.")
PERSON_AT_BODY = _("%(name)s (%(body)s)")
REASON = _("Reason: %(reason)s")
NOTE = _("Note: %(note)s")
ACCEPTANCE_DEADLINE = _("acceptance deadline")
RECTIFICATION_DEADLINE = _("rectification deadline")

# The steps the complainant sees, and those whose reason they are told (they are told it anyway).
OWNER_STEPS = frozenset(
    {"file", "accept", "reject", "dispatch", "refer", "start", "rectify", "verify", "send_back"}
    | {"close_out", "reopen", "rate"}
)
OWNER_REASONS = frozenset({"reject", "close_out", "reopen"})
# Steps whose free text is a reason (else it is a note).
REASONED = frozenset({"reject", "send_back", "reopen", "refer", "dispatch", "moderate", "close_out"})
CAMPAIGN_NAME = re.compile(r"“(.*)”")


@dataclass(frozen=True)
class Entry:
    """One timeline entry in words: `sentence` says who did what; `reason` is their own text."""

    at: dt.datetime
    sentence: str
    reason: str = ""
    files: tuple[str, ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        when = timezone.localtime(self.at).strftime("%Y-%m-%d %H:%M")
        parts = [when, self.sentence, self.reason]
        if self.files:
            parts.append("、".join(self.files))
        return " ".join(part for part in parts if part)


def events_with_actors(events: QuerySet[CaseEvent]) -> QuerySet[CaseEvent]:
    """Events with the acting user and the organisations they act for: one query for the events and
    the users, one for their memberships, whatever the number of entries."""
    return events.select_related("actor").prefetch_related(memberships_prefetch("actor__memberships"))


def bodies_of(user: Any) -> list[str]:
    """The names of the organisations a user acts for, once each, in the order they joined: those
    of their active memberships, or, if none is active any more, those they acted for before."""
    memberships = list(user.memberships.all())
    active = [membership for membership in memberships if membership.active]
    names: list[str] = []
    for membership in active or memberships:
        if membership.organisation.name not in names:
            names.append(membership.organisation.name)
    return names


def is_complainant(event: CaseEvent, case: Case) -> bool:
    """Whether the complainant acted: through the QR code, with a verified phone, or by their account."""
    name = event.actor_name
    if event.actor_id is None:
        return name.startswith(QR_PREFIX) or name == COMPLAINANT_NAME
    return event.actor_id == case.complainant_user_id


def who(event: CaseEvent, case: Case, audience: str) -> str:
    """Who acted, in words: a person and their body, the system, the owner by QR code, or "you"."""
    if audience == OWNER and is_complainant(event, case):
        return str(WHO_YOU)
    name = event.actor_name
    user = event.actor
    if user is None:
        if name == SYSTEM_NAME:
            return str(WHO_SYSTEM)
        if name.startswith(QR_PREFIX):
            return str(WHO_QR)
        if name == COMPLAINANT_NAME:
            return str(WHO_COMPLAINANT)
        if name.startswith(OPEN311_PREFIX):
            return name.removeprefix(OPEN311_PREFIX)
        # A body acting as such (an intake desk, the demo's bodies), or a person since removed.
        return name if audience == STAFF else str(WHO_STAFF)
    bodies = "、".join(bodies_of(user))
    if audience == OWNER:
        return bodies or str(WHO_STAFF)
    person = user.display_name or user.username
    if user.pk == case.complainant_user_id:
        person = mask_name(person)
    return str(PERSON_AT_BODY % {"name": person, "body": bodies}) if bodies else person


def local(value: Any) -> str:
    """A timestamp from an event's data (stored as ISO text) as local date and time."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if not isinstance(moment, dt.datetime):
        return ""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def handler_words(data: dict[str, Any]) -> str:
    """The body a dispatch sent the case to: its name as recorded, else the handler form's name."""
    if data.get("handler_name"):
        return str(data["handler_name"])
    handler = str(data.get("handler", ""))
    try:
        return active_preset().handler_name(handler)
    except (AttributeError, KeyError):
        return str(HandlerKind(handler).label) if handler in HandlerKind.values else str(WHO_STAFF)


def transition_sentence(
    event: CaseEvent, case: Case, audience: str, subject: str, files: Sequence[str]
) -> str:
    data = event.data or {}
    name = event.transition
    owner = audience == OWNER
    values: dict[str, Any] = {"who": subject}
    if name == "file":
        source = data.get("source", case.source)
        if is_complainant(event, case):
            text = str(FILED_BY_COMPLAINANT % values)
        else:
            label = Source(source).label if source in Source.values else WHO_STAFF
            text = str(FILED_BY_STAFF % {**values, "source": label})
        others = data.get("confirmed_not_duplicate_of") or []
        if others and not owner:
            text += " " + str(FILED_ALTHOUGH_OPEN % {"numbers": "、".join(map(str, others))})
        return text
    if name == "dispatch" and data.get("override") and not owner:
        return str(DISPATCH_OVERRIDE % {**values, "body": handler_words(data)})
    if name == "rectify" and files:
        return str(RECTIFIED_WITH_EVIDENCE % values)
    if name == "close_out" and data.get("duplicate_of"):
        template = CLOSED_AS_DUPLICATE[1 if owner else 0]
        return str(template % {**values, "number": data["duplicate_of"]})
    if name == "rate" and data.get("poor") and not owner:
        return str(POOR_RATING % {**values, "rating": data.get("rating", "")})
    if name not in SENTENCES:
        return str(UPDATED % values)
    staff_words, owner_words = SENTENCES[name]
    words: Any = owner_words if owner and owner_words is not None else staff_words
    outcome = data.get("outcome", "")
    values.update(
        body=handler_words(data) if name == "dispatch" else data.get("department", ""),
        outcome=Outcome(outcome).label if outcome in Outcome.values else "",
        rating=data.get("rating", ""),
    )
    return str(words % values)


def other_sentence(event: CaseEvent, subject: str, files: Sequence[str]) -> str:
    """Entries that are not transitions: escalations, reminders, notes (files, campaign tags)."""
    data = event.data or {}
    values: dict[str, Any] = {"who": subject}
    if event.kind == EventKind.ESCALATION:
        values.update(
            region=data.get("to_region", ""), level=data.get("level", ""), due=local(data.get("due_at"))
        )
        return str(ESCALATED % values)
    if event.kind == EventKind.REMINDER:
        clock = data.get("state") in workflow.ACCEPTANCE_CLOCK
        deadline = ACCEPTANCE_DEADLINE if clock else RECTIFICATION_DEADLINE
        return str(REMINDED % {**values, "deadline": deadline, "due": local(data.get("due_at"))})
    if "campaign" in data:
        found = CAMPAIGN_NAME.search(event.reason)
        campaign = found.group(1) if found else ""
        template = ADDED_TO_CAMPAIGN if data["campaign"] is not None else REMOVED_FROM_CAMPAIGN
        return str(template % {**values, "name": campaign})
    if files:
        return str(ADDED_FILES % values)
    return str(ADDED_NOTE % values) if event.reason else str(UPDATED % values)


def shown(event: CaseEvent, audience: str) -> bool:
    if audience == STAFF:
        return True
    return event.transition in OWNER_STEPS or event.kind == EventKind.ESCALATION


def reason_text(event: CaseEvent, audience: str) -> str:
    text = event.reason.strip()
    if not text or (event.kind == EventKind.NOTE and "campaign" in (event.data or {})):
        return ""
    if audience == OWNER and event.transition not in OWNER_REASONS:
        return ""
    template = REASON if event.transition in REASONED else NOTE
    key = "reason" if template is REASON else "note"
    return str(template % {key: text})


def entry(event: CaseEvent, case: Case, *, audience: str = STAFF, files: Sequence[str] = ()) -> Entry:
    """One entry in words. `files`: the names of the files that came with it."""
    subject = who(event, case, audience)
    if event.transition:
        sentence = transition_sentence(event, case, audience, subject, files)
    else:
        sentence = other_sentence(event, subject, files)
    return Entry(at=event.at, sentence=sentence, reason=reason_text(event, audience), files=tuple(files))


def describe(event: CaseEvent, case: Case | None = None, *, audience: str = STAFF) -> str:
    """One entry as a sentence with its time and reason, e.g. for a text or a test."""
    files = (event.data or {}).get("files", []) if event.kind == EventKind.NOTE else []
    return str(entry(event, case or event.case, audience=audience, files=[str(f) for f in files]))


def timeline(events: Iterable[CaseEvent], case: Case, *, audience: str = STAFF) -> list[Entry]:
    """The case's entries in words, oldest first.

    Files uploaded with a step (the filing's photos, the rectification's evidence) are told with
    that step, not as an entry of their own. The complainant sees only the public steps.
    """
    events = list(events)
    with_step: dict[int, list[str]] = {}
    folded: set[int] = set()
    steps = {event.pk for event in events if event.transition}
    for event in events:
        data = event.data or {}
        if event.kind == EventKind.NOTE and data.get("with_event") in steps:
            with_step.setdefault(data["with_event"], []).extend(str(name) for name in data.get("files", []))
            folded.add(event.pk)
    entries = []
    for event in events:
        if event.pk in folded or not shown(event, audience):
            continue
        if event.pk in with_step:
            files: list[str] = with_step[event.pk]
        elif event.kind == EventKind.NOTE:
            files = [str(name) for name in (event.data or {}).get("files", [])]
        else:
            files = []
        entries.append(entry(event, case, audience=audience, files=files if audience == STAFF else ()))
    return entries


def owner_state_label(state: str) -> str:
    """The state in the complainant's words."""
    label = OWNER_STATE_LABELS.get(state)
    return str(label) if label is not None else ""
