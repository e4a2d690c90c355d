"""A person at a real browser: an owner on a phone, a district officer at a desk."""

import pytest

from jiayuan.testing.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state("networkidle")


def test_an_owner_on_a_phone_sees_their_estate_without_scrolling_sideways(phone, live_server):
    build_world()
    log_in(phone, live_server, "owner_of_a1a_101")
    assert "银古花园" in phone.content()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the home page is {width}px wide on a 390px phone"
    phone.screenshot(path="var/screenshot-owner-home.png", full_page=True)


def test_a_district_officer_filters_the_estate_list_and_opens_an_estate(desktop, live_server):
    build_world()
    log_in(desktop, live_server, "district_a_officer")
    desktop.goto(f"{live_server.url}/estates/?search=丽景")
    content = desktop.content()
    assert "丽景湾" in content
    assert "阅海湾" not in content  # another district's estate
    desktop.click("text=丽景湾")
    desktop.wait_for_load_state("networkidle")
    assert "丽景湾" in desktop.title() or "丽景湾" in desktop.content()
    desktop.screenshot(path="var/screenshot-estate-detail.png", full_page=True)


def test_the_interface_is_chinese_by_default(desktop, live_server):
    build_world()
    log_in(desktop, live_server, "city_admin")
    desktop.goto(f"{live_server.url}/estates/")
    assert "小区" in desktop.content()
