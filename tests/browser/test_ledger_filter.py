"""A clerk drives the ledger: ticks a state chip, finds a category by typing, sorts by deadline; the
address bar keeps the filter and the order, and a phone shows the filter without scrolling sideways."""

import datetime as dt

import pytest

from jiayuan.cases.models import Case
from jiayuan.cases.tests.factories import NOW, POLICE_CATEGORY, file
from jiayuan.core.actor import actor_for
from jiayuan.policy.loader import active_preset
from jiayuan.testing.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_clerk_filters_by_chip_and_category_and_sorts_by_deadline(desktop, phone, live_server):
    world = build_world()
    officer = actor_for(world.users["subdistrict_a1_officer"])
    cleaning = file(officer, world.estates["estate_a1a"])
    animals = file(
        officer, world.estates["estate_a1b"], category=POLICE_CATEGORY, now=NOW + dt.timedelta(minutes=1)
    )
    Case.objects.filter(pk=cleaning.pk).update(state="accepted", deadline=NOW + dt.timedelta(days=40))
    log_in(desktop, live_server, "subdistrict_a1_officer")
    desktop.goto(f"{live_server.url}/cases/")
    assert desktop.locator(".chips .chip").count() >= 8

    # A chip: the results follow at once, and the address bar holds the filter.
    desktop.click("label.chip:has(input[name=state][value=submitted])")
    desktop.wait_for_url("**state=submitted**")
    desktop.wait_for_load_state("networkidle")
    assert "category=" not in desktop.url  # the empty fields stay out of the address
    rows = desktop.locator("#results tbody tr")
    assert rows.count() == 1 and animals.number in rows.first.inner_text()

    # The category: typing narrows the grouped list; Enter picks the first one left.
    search = desktop.locator("#id_category_search")
    assert search.is_visible()
    name = active_preset().categories[POLICE_CATEGORY].name
    search.fill(name)
    visible = desktop.eval_on_selector_all(
        "#id_category option", "os => os.filter(o => !o.hidden && o.value)"
    )
    assert len(visible) >= 1
    search.press("Enter")
    desktop.wait_for_url(f"**category={POLICE_CATEGORY}**")
    desktop.wait_for_load_state("networkidle")
    assert desktop.locator("#results tbody tr").count() == 1

    # Sorting by deadline over both states: the later deadline last.
    desktop.goto(f"{live_server.url}/cases/?sort=deadline")
    numbers = desktop.locator("#results tbody tr td:first-child").all_inner_texts()
    assert [n.strip() for n in numbers] == [animals.number, cleaning.number]
    desktop.select_option("select[name=sort]", "-deadline")
    desktop.wait_for_url("**sort=-deadline**")
    desktop.wait_for_load_state("networkidle")
    numbers = desktop.locator("#results tbody tr td:first-child").all_inner_texts()
    assert [n.strip() for n in numbers] == [cleaning.number, animals.number]
    desktop.screenshot(path="var/screenshot-ledger-filter.png", full_page=True)

    log_in(phone, live_server, "subdistrict_a1_officer")
    phone.goto(f"{live_server.url}/cases/?state=submitted&overdue=false")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the ledger is {width}px wide on a 390px phone"
