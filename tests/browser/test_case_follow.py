"""A complainant follows a closed case on a phone, proves the phone with a code, rates 1 star, reopens."""

import datetime as dt

import pytest
from django.utils import timezone

from jiayuan.cases.choices import Outcome, State
from jiayuan.cases.links import case_follow_url
from jiayuan.cases.models import Case
from jiayuan.cases.services import (
    case_accept,
    case_close_out,
    case_dispatch,
    case_file,
    case_rectify,
    case_start,
    case_verify,
)
from jiayuan.cases.timeline import owner_state_label
from jiayuan.core.actor import actor_for
from jiayuan.testing.sms import last_code
from jiayuan.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13600136000"


def closed_case(world) -> Case:  # type: ignore[no-untyped-def]
    community = actor_for(world.users["community_a1a_officer"])
    staff = actor_for(world.users["enterprise_x_staff"])
    at = timezone.now() - dt.timedelta(hours=2)
    case = case_file(
        actor=community,
        estate=world.estates["estate_a1a"],
        category="everyday_cleaning",
        description="楼道垃圾三天无人清理",
        source="hotline_12345",
        complainant_name="张阿姨",
        complainant_phone=PHONE,
        now=at,
    )
    for service, actor, extra in (
        (case_accept, community, {}),
        (case_dispatch, community, {}),
        (case_start, staff, {}),
        (case_rectify, staff, {"measures": "已清理", "evidence": "照片"}),
        (case_verify, community, {}),
        (case_close_out, community, {"outcome": Outcome.FIXED}),
    ):
        case = service(actor=actor, case=case, version=case.version, now=at, **extra)
    return case


def fits(page, what: str) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} is {width}px wide on a 390px phone"


def submit(page, action: str) -> None:  # type: ignore[no-untyped-def]
    page.click(f"form:has(input[name=action][value={action}]) button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_complainant_rates_a_closed_case_one_star_and_reopens_it(phone, live_server, settings):
    settings.SITE_URL = live_server.url
    world = build_world()
    case = closed_case(world)
    phone.goto(case_follow_url(case))
    content = phone.content()
    assert case.number in content and "136****6000" in content and PHONE not in content
    fits(phone, "the follow page")
    submit(phone, "send")
    phone.fill("input[name=code]", last_code(PHONE))
    submit(phone, "verify")
    phone.check("input[name=rating][value='1']")
    fits(phone, "the rating form")
    phone.screenshot(path="var/screenshot-case-follow-rating.png", full_page=True)
    submit(phone, "rate")
    assert "reopen=1" in phone.url
    assert Case.objects.get(pk=case.pk).rating == 1
    phone.fill("textarea[name=reason]", "楼道又脏了,没有真正解决")
    submit(phone, "reopen")
    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.reopen_count) == (State.ACCEPTED, 1)
    # The state in the owner's words (cases.timeline.OWNER_STATE_LABELS).
    assert owner_state_label(State.ACCEPTED) in phone.locator(".follow-state").inner_text()
    fits(phone, "the reopened case")
    phone.screenshot(path="var/screenshot-case-follow.png", full_page=True)
