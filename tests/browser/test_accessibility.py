"""axe-core finds no accessibility violation on the pages people use every day: each role's home page,
the ledger, a case page, and the owner's phone pages (complaint form, follow page, rating).

axe-core is vendored (`vendor/axe.min.js`, MPL-2.0, its licence header kept; `vendor/axe.LICENSE`)
and injected into the page; the contexts bypass the CSP for that one script only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from jiayuan.cases.links import case_follow_url
from jiayuan.cases.services import case_file
from jiayuan.core.actor import actor_for
from jiayuan.intake.services import estate_token
from jiayuan.testing.sms import last_code
from jiayuan.testing.world import PASSWORD, build_world
from tests.browser.test_case_follow import PHONE, closed_case, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# The rules of WCAG 2.1 A and AA, and axe's best practices (landmarks, headings, page title).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
ROLES = [
    "city_admin",
    "district_a_officer",
    "subdistrict_a1_officer",
    "community_a1a_officer",
    "police_a_officer",
    "enterprise_x_staff",
    "committee_a1a_member",
    "owner_of_a1a_101",
    "auditor",
    "system_admin",
]


def violations(page: Any) -> list[str]:
    """axe's violations on the page as it stands, one line each: rule, impact, the first nodes."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))}))",
        TAGS,
    )
    return [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][:3]}" for v in found]


def assert_accessible(page: Any, what: str) -> None:
    found = violations(page)
    assert not found, f"{what} ({page.url}):\n" + "\n".join(found)


@pytest.fixture
def desk(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def hand(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": 375, "height": 812},
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,
    )
    yield context.new_page()
    context.close()


def log_in(page: Any, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_the_login_page_and_every_roles_home_page_have_no_violation(desk, live_server):
    world = build_world()
    closed_case(world)
    desk.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(desk, "the login page")
    desk.evaluate("document.querySelector('main').append(document.createElement('input'))")
    assert any(line.startswith("label ") for line in violations(desk)), "axe did not run its rules"
    for username in ROLES:
        log_in(desk, live_server, username)
        assert desk.url.rstrip("/") == live_server.url, f"{username} did not reach the home page"
        assert_accessible(desk, f"the home page of {username}")


def test_the_ledger_and_a_case_page_have_no_violation(desk, live_server):
    world = build_world()
    case = closed_case(world)
    log_in(desk, live_server, "community_a1a_officer")
    desk.goto(live_server.url + reverse("cases:ledger"))
    assert case.number in desk.content()
    assert_accessible(desk, "the ledger")
    desk.goto(live_server.url + reverse("cases:detail", args=[case.pk]))
    assert_accessible(desk, "a closed case's page")
    filed = case_file(
        actor=actor_for(world.users["community_a1a_officer"]),
        estate=world.estates["estate_a1a"],
        category="everyday_elevator",
        description="2号楼电梯停运",
        source="hotline_12345",
    )
    desk.goto(live_server.url + reverse("cases:detail", args=[filed.pk]))
    assert desk.locator("form.case-action").count() >= 2  # accept, reject ...: the action forms
    assert_accessible(desk, "a new case's page with its action forms")
    desk.goto(live_server.url + reverse("cases:new"))
    assert_accessible(desk, "the hotline case form")


def test_the_owners_phone_pages_have_no_violation(hand, live_server, settings):
    settings.SITE_URL = live_server.url
    world = build_world()
    token = estate_token(world.estates["estate_a1a"])
    hand.goto(live_server.url + reverse("intake:report", args=[token]))
    assert_accessible(hand, "the phone step")
    hand.fill("input[name=phone]", "12")
    hand.click("button[type=submit]")
    hand.wait_for_load_state("networkidle")
    assert_accessible(hand, "the phone step with an error")
    hand.fill("input[name=phone]", "13700137000")
    hand.click("button[type=submit]")
    hand.wait_for_load_state("networkidle")
    assert_accessible(hand, "the complaint form")
    hand.click("button[type=submit]")
    hand.wait_for_load_state("networkidle")
    assert_accessible(hand, "the complaint form with errors")
    hand.fill("input[name=code]", last_code("13700137000"))
    hand.select_option("select[name=category]", "everyday_elevator")
    hand.fill("textarea[name=description]", "3号楼电梯停了两天")
    hand.click("button[type=submit]")
    hand.wait_for_load_state("networkidle")
    assert_accessible(hand, "the thank-you page")

    case = closed_case(world)
    hand.goto(case_follow_url(case))
    assert_accessible(hand, "the follow page")
    submit(hand, "send")
    assert_accessible(hand, "the follow page asking for the code")
    hand.fill("input[name=code]", last_code(PHONE))
    submit(hand, "verify")
    assert hand.locator("input[name=rating]").count() == 5
    assert_accessible(hand, "the rating page")
