"""The timeline in words: every kind of entry as a sentence, for staff and for the complainant, and
the pages that show it: no internal code, a fixed number of queries, duplicates linked both ways."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from jiayuan.cases import workflow
from jiayuan.cases.choices import EventKind, Outcome, State
from jiayuan.cases.models import Case, CaseEvent
from jiayuan.cases.services import (
    case_accept,
    case_close_out,
    case_dispatch,
    case_rectify,
    case_start,
    case_verify,
)
from jiayuan.cases.tests.factories import NOW, file, fresh, step
from jiayuan.cases.timeline import OWNER, OWNER_STATE_LABELS, STAFF, describe, owner_state_label, timeline
from jiayuan.intake.services import intake_actor

BODY = "银古社区居委会"
AT = "2026-03-16 09:00"


def event(transition: str = "", kind: str = EventKind.TRANSITION, actor_name: str = BODY, **extra: Any):
    """An entry as the services write it, unsaved (the sentence needs no database)."""
    case = Case(number="YC2026000002", source="hotline_12345", complainant_user_id=None)
    entry = CaseEvent(case=case, at=NOW, actor_name=actor_name, kind=kind, transition=transition, **extra)
    return entry, case


# (transition or kind, who, data, reason) -> what staff read, in English.
STAFF_TABLE: list[tuple[str, str, dict[str, Any], str, str]] = [
    ("file", BODY, {"source": "hotline_12345"}, "", f"{BODY} registered the complaint from 12345 hotline."),
    ("file", "qr:7", {"source": "qr_code"}, "", "Owner (QR code) submitted the complaint."),
    (
        "file",
        "qr:7",
        {"source": "qr_code", "confirmed_not_duplicate_of": ["YC2026000001"]},
        "",
        "Owner (QR code) submitted the complaint."
        " Filed although YC2026000001, on the same problem at this estate, is still open.",
    ),
    ("file", "open311:12345热线", {"source": "api"}, "", "12345热线 registered the complaint from API."),
    ("accept", BODY, {}, "", f"{BODY} accepted the case."),
    ("reject", BODY, {}, "不属物业问题", f"{BODY} did not accept the case. Reason: 不属物业问题"),
    (
        "dispatch",
        BODY,
        {"handler": "enterprise", "handler_name": "某某物业", "override": False},
        "",
        f"{BODY} dispatched the case to 某某物业.",
    ),
    (
        "dispatch",
        BODY,
        {"handler": "community", "override": True},
        "无物业",
        f"{BODY} dispatched the case to 社区（村）居民委员会, departing from the responsibility list."
        " Reason: 无物业",
    ),
    (
        "refer",
        BODY,
        {"department": "兴庆区公安分局"},
        "涉嫌违法",
        f"{BODY} referred the case to 兴庆区公安分局. Reason: 涉嫌违法",
    ),
    ("start", "某某物业", {}, "", "某某物业 started work on the case."),
    ("rectify", "某某物业", {}, "", "某某物业 reported the rectification done."),
    ("verify", BODY, {}, "", f"{BODY} checked the rectification on the spot and found it done."),
    (
        "send_back",
        BODY,
        {},
        "仍有垃圾",
        f"{BODY} found the rectification not done and sent the case back. Reason: 仍有垃圾",
    ),
    ("close_out", BODY, {"outcome": "fixed"}, "", f"{BODY} closed out the case: Fixed."),
    (
        "close_out",
        BODY,
        {"outcome": "duplicate", "duplicate_of": "YC2026000001"},
        "同一问题",
        f"{BODY} closed out the case as a duplicate of YC2026000001. Reason: 同一问题",
    ),
    (
        "reopen",
        "complainant (verified phone)",
        {},
        "又脏了",
        "Complainant (verified phone) reopened the case. Reason: 又脏了",
    ),
    (
        "rate",
        "complainant (verified phone)",
        {"rating": 4, "poor": False},
        "",
        "Complainant (verified phone) rated the result 4 out of 5.",
    ),
    (
        "rate",
        "complainant (verified phone)",
        {"rating": 1, "poor": True},
        "",
        "Complainant (verified phone) rated the result 1 out of 5, a poor rating.",
    ),
    ("moderate", BODY, {}, "辱骂", f"{BODY} changed the description shown in public. Reason: 辱骂"),
    (
        EventKind.ESCALATION,
        "system",
        {"level": 2, "to_region": "兴庆区", "due_at": "2026-03-10T01:00:00+00:00"},
        "",
        "System escalated the case to 兴庆区 (level 2): the deadline 2026-03-10 09:00 passed.",
    ),
    (
        EventKind.REMINDER,
        "system",
        {"state": "submitted", "due_at": "2026-03-17T01:00:00Z"},
        "",
        "System reminded the responsible person: the acceptance deadline is 2026-03-17 09:00.",
    ),
    (
        EventKind.REMINDER,
        "system",
        {"state": "in_progress", "due_at": "2026-03-17T01:00:00Z"},
        "",
        "System reminded the responsible person: the rectification deadline is 2026-03-17 09:00.",
    ),
    (EventKind.NOTE, "qr:7", {"files": ["a.jpg", "b.pdf"]}, "", "Owner (QR code) added files. a.jpg、b.pdf"),
    (
        EventKind.NOTE,
        BODY,
        {"campaign": 3},
        "Added to campaign “提升行动”.",
        f"{BODY} added the case to the campaign “提升行动”.",
    ),
    (
        EventKind.NOTE,
        BODY,
        {"campaign": None},
        "已从专项行动“提升行动”移出。",
        f"{BODY} removed the case from the campaign “提升行动”.",
    ),
    (EventKind.NOTE, BODY, {}, "电话回访", f"{BODY} added a note. Note: 电话回访"),
]


def build(what: str, who: str, data: dict[str, Any], reason: str):
    if what in EventKind.values:
        return event(kind=what, actor_name=who, data=data, reason=reason)
    return event(what, actor_name=who, data=data, reason=reason)


@pytest.mark.parametrize(("what", "who", "data", "reason", "expected"), STAFF_TABLE)
def test_staff_read_every_kind_of_entry_as_a_sentence(what, who, data, reason, expected):
    entry, case = build(what, who, data, reason)
    with translation.override("en"):
        assert describe(entry, case, audience=STAFF) == f"{AT} {expected}"


def test_the_table_covers_every_transition_and_every_kind_of_entry():
    covered = {what for what, *_rest in STAFF_TABLE}
    assert set(workflow.TRANSITIONS) | {"file"} <= covered
    assert {EventKind.ESCALATION, EventKind.REMINDER, EventKind.NOTE} <= covered


# What the complainant reads: their own acts as "you", the officers' words replaced by theirs, and
# no name of anyone acting without an account they could be told of (a body's user names its body).
OWNER_TABLE: list[tuple[str, str, dict[str, Any], str, str]] = [
    (
        "file",
        "qr:7",
        {"source": "qr_code", "confirmed_not_duplicate_of": ["YC1"]},
        "",
        "You submitted the complaint.",
    ),
    (
        "dispatch",
        BODY,
        {"handler": "enterprise", "handler_name": "某某物业"},
        "",
        "Staff passed the case to 某某物业.",
    ),
    ("close_out", BODY, {"outcome": "fixed"}, "已修好", "Staff closed the case: Fixed. Reason: 已修好"),
    (
        "close_out",
        BODY,
        {"outcome": "duplicate", "duplicate_of": "YC1"},
        "",
        "Staff closed the case: it is the same problem as YC1, which is handled there.",
    ),
    ("send_back", BODY, {}, "内部意见", "Staff found the rectification not done and sent the case back."),
    ("reopen", "complainant (verified phone)", {}, "又脏了", "You reopened the case. Reason: 又脏了"),
    (
        "rate",
        "complainant (verified phone)",
        {"rating": 1, "poor": True},
        "",
        "You rated the result 1 out of 5.",
    ),
]


@pytest.mark.parametrize(("what", "who", "data", "reason", "expected"), OWNER_TABLE)
def test_the_complainant_reads_the_steps_in_their_own_words(what, who, data, reason, expected):
    entry, case = build(what, who, data, reason)
    with translation.override("en"):
        assert describe(entry, case, audience=OWNER) == f"{AT} {expected}"


def test_owners_read_closed_where_officers_read_closed_out():
    with translation.override("zh-hans"):
        assert owner_state_label(State.CLOSED_OUT) == "已办结"
        assert str(State.CLOSED_OUT.label) == "已销号"
    assert set(OWNER_STATE_LABELS) == set(State.values)


# --- the pages --------------------------------------------------------------------------------------

CODES = (
    "close_out",
    "closed_out",
    "in_progress",
    "hotline_12345",
    "qr_code",
    "qr:",
    "send_back",
)


def lived(world, actor_of) -> Case:
    """A case filed by QR code and taken to its close-out by named officers and the enterprise."""
    community, staff = actor_of("community_a1a_officer"), actor_of("enterprise_x_staff")
    case = file(
        intake_actor(world.estate_a1a), world.estate_a1a, source="qr_code", confirm_not_duplicate=True
    )
    step(case_accept, community, case)
    step(case_dispatch, community, case)
    step(case_start, staff, case)
    step(case_rectify, staff, case, measures="已清理", evidence="照片")
    step(case_verify, actor_of("subdistrict_a1_officer"), case)
    step(case_close_out, actor_of("subdistrict_a1_officer"), case, outcome=Outcome.FIXED)
    return fresh(case)


def case_page(client, world, case: Case, persona: str = "subdistrict_a1_officer") -> tuple[str, int]:
    client.force_login(world.users[persona])
    url = reverse("cases:detail", args=[case.pk])
    client.get(url)  # warm the session and the actor
    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"accept-language": "en"})
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.django_db
def test_the_case_page_tells_the_timeline_in_words_and_shows_no_code(client, world, actor_of):
    case = lived(world, actor_of)
    page, _queries = case_page(client, world, case)
    assert "Owner (QR code) submitted the complaint." in page
    assert "community_a1a_officer (银古社区居委会) accepted the case." in page
    assert f"dispatched the case to {world.enterprises['enterprise_x'].name}." in page
    assert "subdistrict_a1_officer (凤凰北街街道办) closed out the case: Fixed." in page
    for code in CODES:
        assert code not in page.replace("case-state-", ""), code


@pytest.mark.django_db
def test_the_case_page_costs_the_same_queries_for_a_short_and_a_long_timeline(client, world, actor_of):
    short = file(actor_of("subdistrict_a1_officer"), world.estate_a1b)
    long = lived(world, actor_of)
    assert long.events.count() > short.events.count() + 4
    assert case_page(client, world, short)[1] == case_page(client, world, long)[1]


@pytest.mark.django_db
def test_a_duplicate_links_both_ways(client, world, actor_of):
    community = actor_of("community_a1a_officer")
    first = file(community, world.estate_a1a)
    second = file(community, world.estate_a1a, confirm_not_duplicate=True, now=NOW + dt.timedelta(hours=1))
    step(case_accept, community, second)
    step(case_close_out, community, second, outcome=Outcome.DUPLICATE, note="同一问题", duplicate_of=first)
    first_page, _ = case_page(client, world, first)
    second_page, _ = case_page(client, world, second)
    link = '<a class="mono" href="{}">{}</a>'
    assert link.format(reverse("cases:detail", args=[second.pk]), second.number) in first_page
    assert link.format(reverse("cases:detail", args=[first.pk]), first.number) in second_page
    assert "Duplicated by" in first_page and "Duplicate of" in second_page
    # Filed while the first was open: the filing's link goes both ways too.
    assert "Later complaints on the same problem" in first_page
    assert "Filed while open on the same problem" in second_page


@pytest.mark.django_db
def test_the_follow_page_uses_the_shared_sentences_in_the_owners_words(client, world, actor_of):
    from jiayuan.intake.selectors import public_facts, public_timeline

    case = lived(world, actor_of)
    with translation.override("en"):
        steps = [entry.sentence for entry in public_timeline(case)]
        facts = public_facts(case, NOW)
    assert steps[0] == "You submitted the complaint."
    assert "银古社区居委会 accepted the case." in steps
    assert steps[-1] == "凤凰北街街道办 closed the case: Fixed."
    assert not any("community_a1a_officer" in text for text in steps)
    assert facts["state_label"] == "Closed"


def test_files_uploaded_with_a_step_are_told_with_it():
    case = Case(number="YC2026000002", source="hotline_12345", complainant_user_id=None)
    rectify = CaseEvent(
        pk=10, case=case, at=NOW, actor_name="某某物业", kind=EventKind.TRANSITION, transition="rectify"
    )
    files = CaseEvent(
        pk=11,
        case=case,
        at=NOW,
        actor_name="某某物业",
        kind=EventKind.NOTE,
        data={"files": ["a.jpg"], "with_event": 10},
    )
    later = CaseEvent(
        pk=12, case=case, at=NOW, actor_name=BODY, kind=EventKind.NOTE, data={"files": ["b.pdf"]}
    )
    with translation.override("en"):
        staff = [str(entry) for entry in timeline([rectify, files, later], case)]
        owner = [str(entry) for entry in timeline([rectify, files, later], case, audience=OWNER)]
    assert staff == [
        f"{AT} 某某物业 reported the rectification done and uploaded evidence. a.jpg",
        f"{AT} {BODY} added files. b.pdf",
    ]
    assert owner == [f"{AT} Staff reported the rectification done."]
