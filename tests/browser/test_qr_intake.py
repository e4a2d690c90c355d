"""An owner scans the estate's QR code on a phone and files a complaint; the subdistrict sees it."""

import pytest
from django.urls import reverse

from jiayuan.cases.models import Case
from jiayuan.intake.services import estate_token
from jiayuan.testing.sms import last_code
from jiayuan.testing.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13700137000"


def test_an_owner_files_from_the_qr_page_and_the_subdistrict_sees_it(phone, desktop, live_server):
    world = build_world()
    estate = world.estates["estate_a1a"]
    phone.goto(live_server.url + reverse("intake:report", args=[estate_token(estate)]))
    assert estate.name in phone.content()
    phone.fill("input[name=phone]", PHONE)
    phone.click("button[type=submit]")
    phone.wait_for_load_state("networkidle")
    phone.fill("input[name=code]", last_code(PHONE))
    phone.select_option("select[name=category]", "everyday_repairs")
    phone.fill("textarea[name=description]", "3号楼单元门门禁坏了一周")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the complaint form is {width}px wide on a 390px phone"
    phone.screenshot(path="var/screenshot-qr-intake-form.png", full_page=True)
    phone.click("button[type=submit]")
    phone.wait_for_load_state("networkidle")
    case = Case.objects.get(estate=estate)
    assert case.source == "qr_code"
    assert case.number in phone.content()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the thank-you page is {width}px wide on a 390px phone"
    phone.screenshot(path="var/screenshot-qr-intake.png", full_page=True)

    desktop.goto(f"{live_server.url}/accounts/login/")
    desktop.fill("input[name=username]", "subdistrict_a1_officer")
    desktop.fill("input[name=password]", PASSWORD)
    desktop.click("button[type=submit], input[type=submit]")
    desktop.wait_for_load_state("networkidle")
    desktop.goto(f"{live_server.url}/cases/")
    assert case.number in desktop.content()
    desktop.goto(live_server.url + reverse("intake:poster", args=[estate.pk]))
    assert desktop.locator(".poster-qr svg").count() == 1
    desktop.screenshot(path="var/screenshot-qr-poster.png", full_page=True)
