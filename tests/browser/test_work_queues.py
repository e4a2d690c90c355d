"""Each role's home page is its work queue: log in, see the most urgent item, open it, act on it,
and see it leave the queue; an owner on a 375 px phone files from home and finds the complaint
under "my complaints"."""

import datetime as dt

import pytest
from django.utils import timezone

from jiayuan.cases import services
from jiayuan.cases.models import Case
from jiayuan.testing.queues import ENTERPRISE_CATEGORY, OWNER_PHONE, POLICE_CATEGORY, actor
from jiayuan.testing.sms import last_code
from jiayuan.testing.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_ITEM = ".queue-list > li:first-child"


def log_in(page, live_server, username):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state("networkidle")


def kinds(page):  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(".queue [data-kind]", "nodes => nodes.map(n => n.dataset.kind)")


def file_late(world, *, category=ENTERPRISE_CATEGORY, days=10):  # type: ignore[no-untyped-def]
    """A case filed `days` ago at 银古花园 and not yet accepted: its acceptance is overdue."""
    return services.case_file(
        actor=actor(world, "subdistrict_a1_officer"),
        estate=world.estates["estate_a1a"],
        category=category,
        description="楼道垃圾三天无人清理",
        source="hotline_12345",
        complainant_phone="13812345678",
        confirm_not_duplicate=True,
        now=timezone.now() - dt.timedelta(days=days),
    )


def step(service, persona, world, case, **extra):  # type: ignore[no-untyped-def]
    case = Case.objects.get(pk=case.pk)
    return service(actor=actor(world, persona), case=case, version=case.version, **extra)


def dispatched(world, category):  # type: ignore[no-untyped-def]
    case = file_late(world, category=category, days=0)
    case = step(services.case_accept, "subdistrict_a1_officer", world, case)
    return step(services.case_dispatch, "subdistrict_a1_officer", world, case)


@pytest.mark.parametrize("persona", ["community_a1a_officer", "subdistrict_a1_officer", "district_a_officer"])
def test_an_officer_accepts_the_most_urgent_case_and_it_leaves_the_queue(desktop, live_server, persona):
    world = build_world()
    case = file_late(world)
    log_in(desktop, live_server, persona)
    assert kinds(desktop)[0] == "cases.awaiting_acceptance"
    desktop.click(f"{FIRST_ITEM} a.queue-title")
    desktop.wait_for_load_state("networkidle")
    desktop.click(f"text={case.number}")
    desktop.wait_for_load_state("networkidle")
    desktop.click("form[action$='/accept/'] button[type=submit]")
    desktop.wait_for_load_state("networkidle")
    assert Case.objects.get(pk=case.pk).state == "accepted"
    desktop.goto(live_server.url + "/")
    assert "cases.awaiting_acceptance" not in kinds(desktop)
    assert "cases.overdue" not in kinds(desktop)


def test_the_city_opens_the_district_with_most_overdue_cases_and_clears_it(desktop, live_server):
    world = build_world()
    case = file_late(world)
    log_in(desktop, live_server, "city_admin")
    assert kinds(desktop)[0] == "cases.district_overdue"
    assert "兴庆区" in desktop.inner_text(FIRST_ITEM)
    desktop.click(f"{FIRST_ITEM} a.queue-title")
    desktop.wait_for_load_state("networkidle")
    desktop.click(f"text={case.number}")
    desktop.wait_for_load_state("networkidle")
    desktop.click("form[action$='/accept/'] button[type=submit]")
    desktop.wait_for_load_state("networkidle")
    desktop.goto(live_server.url + "/")
    assert "cases.district_overdue" not in kinds(desktop)


@pytest.mark.parametrize(
    ("persona", "category"),
    [("enterprise_x_staff", ENTERPRISE_CATEGORY), ("police_a_officer", POLICE_CATEGORY)],
)
def test_a_handler_starts_and_rectifies_its_first_case_and_it_leaves_the_queue(
    desktop, live_server, persona, category
):
    world = build_world()
    case = dispatched(world, category)
    log_in(desktop, live_server, persona)
    assert kinds(desktop) == ["cases.to_start"]
    assert case.number in desktop.inner_text(FIRST_ITEM)
    desktop.click(f"{FIRST_ITEM} a.queue-title")
    desktop.wait_for_load_state("networkidle")
    desktop.click("form[action$='/start/'] button[type=submit]")
    desktop.wait_for_load_state("networkidle")
    desktop.goto(live_server.url + "/")
    assert kinds(desktop) == ["cases.to_rectify"]
    desktop.click(f"{FIRST_ITEM} a.queue-title")
    desktop.wait_for_load_state("networkidle")
    desktop.fill("#id_rectify_measures", "已处理")
    desktop.fill("#id_rectify_evidence", "现场照片")
    desktop.click("form[action$='/rectify/'] button[type=submit]")
    desktop.wait_for_load_state("networkidle")
    assert Case.objects.get(pk=case.pk).state == "rectified"
    desktop.goto(live_server.url + "/")
    assert kinds(desktop) == []
    assert desktop.locator(".queue .empty").count() == 1


def test_a_committee_member_follows_the_estates_overdue_case_until_it_is_accepted(desktop, live_server):
    world = build_world()
    case = file_late(world)
    log_in(desktop, live_server, "committee_a1a_member")
    assert kinds(desktop)[:2] == ["intake.file", "cases.estate_overdue"]
    desktop.click(f"{FIRST_ITEM} a.queue-title")
    desktop.wait_for_load_state("networkidle")
    assert case.number in desktop.content()
    # The committee supervises; the community accepts the case, and it is no longer overdue.
    step(services.case_accept, "community_a1a_officer", world, case)
    desktop.goto(live_server.url + "/")
    assert "cases.estate_overdue" not in kinds(desktop)


def test_the_auditor_reads_what_changed_and_it_is_gone_at_the_next_visit(desktop, live_server):
    world = build_world()
    file_late(world)
    log_in(desktop, live_server, "auditor")
    desktop.click("button:has-text('Log out'), button:has-text('退出')")
    desktop.wait_for_load_state("networkidle")
    file_late(world, days=1)  # a change after the first visit
    log_in(desktop, live_server, "auditor")
    assert kinds(desktop)[0] == "audit.changes"
    assert "诉求案件" in desktop.inner_text(FIRST_ITEM)
    desktop.click("button:has-text('Log out'), button:has-text('退出')")
    desktop.wait_for_load_state("networkidle")
    log_in(desktop, live_server, "auditor")
    assert "诉求案件" not in desktop.inner_text(".queue")


def test_an_owner_on_a_375px_phone_files_from_home_and_finds_it_under_my_complaints(browser, live_server):
    build_world()
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    phone = context.new_page()
    try:
        log_in(phone, live_server, "owner_of_a1a_101")
        phone.click(".queue-start a.button")
        phone.wait_for_load_state("networkidle")
        assert "银古花园" in phone.content()
        phone.fill("input[name=phone]", OWNER_PHONE)
        phone.click("button[type=submit]")
        phone.wait_for_load_state("networkidle")
        phone.fill("input[name=code]", last_code(OWNER_PHONE))
        phone.select_option("select[name=category]", "everyday_repairs")
        phone.fill("textarea[name=description]", "3号楼单元门门禁坏了一周")
        phone.click("button[type=submit]")
        phone.wait_for_load_state("networkidle")
        case = Case.objects.get()
        phone.goto(live_server.url + "/")
        mine = phone.locator(".queue-item[data-kind='intake.complaint']")
        assert mine.count() == 1
        assert case.number in mine.inner_text()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"the owner's home page is {width}px wide on a 375px phone"
        phone.screenshot(path="var/screenshot-owner-queue.png", full_page=True)
    finally:
        context.close()
