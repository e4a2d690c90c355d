"""`demo_logins` prints the address the platform is actually served at: SITE_URL."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_logins_prints_the_configured_site_address(settings):
    settings.SITE_URL = "http://192.168.1.20:8080"
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "open http://192.168.1.20:8080" in out.getvalue()
    assert "127.0.0.1" not in out.getvalue()


def test_demo_logins_prints_another_address_on_request(settings):
    out = StringIO()
    call_command("demo_logins", "--url", "https://wuye.example.gov.cn", stdout=out)
    assert "open https://wuye.example.gov.cn" in out.getvalue()
