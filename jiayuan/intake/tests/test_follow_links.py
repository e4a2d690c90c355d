"""Follow links: random tokens kept only hashed, expiring after the preset's days, renewed by SMS."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jiayuan.audit.models import AuditEvent
from jiayuan.cases.links import case_follow_token, token_digest
from jiayuan.cases.models import CaseFollowLink
from jiayuan.cases.tests.factories import file
from jiayuan.policy.loader import active_preset
from jiayuan.testing.sms import texts_to

pytestmark = pytest.mark.django_db

PHONE = "13812345678"  # the factories' complainant


@pytest.fixture
def case(world, actor_of):
    return file(actor_of("community_a1a_officer"), world.estate_a1a)


def test_a_link_names_no_id_and_the_database_keeps_only_its_hash(case):
    token = case_follow_token(case)
    assert len(token) >= 32 and ":" not in token  # random, not a signed id ("1:signature")
    assert not CaseFollowLink.objects.filter(digest=token).exists()
    assert CaseFollowLink.objects.filter(case=case, digest=token_digest(token)).exists()
    assert case_follow_token(case) != token  # each text its own link


def test_a_forged_or_mistyped_token_is_not_found(client, case):
    token = case_follow_token(case)
    for forged in (token[:-1] + ("A" if token[-1] != "A" else "B"), "1", str(case.pk), "x" * 200):
        assert client.get(reverse("intake:follow", args=[forged])).status_code == 404


def test_a_link_expires_after_the_presets_days_and_shows_nothing_of_the_case(client, case, time_machine):
    token = case_follow_token(case)
    url = reverse("intake:follow", args=[token])
    days = active_preset().data.cases.follow_link.days
    assert client.get(url).status_code == 200
    time_machine.move_to(timezone.now() + dt.timedelta(days=days, minutes=1))
    response = client.get(url)
    assert response.status_code == 410
    page = response.content.decode()
    assert case.number in page
    assert case.description not in page and case.estate.name not in page


def test_an_expired_link_texts_a_fresh_one_to_the_cases_own_phone(client, case, time_machine):
    token = case_follow_token(case)
    time_machine.move_to(timezone.now() + dt.timedelta(days=active_preset().data.cases.follow_link.days + 1))
    before = len(texts_to(PHONE))
    response = client.post(reverse("intake:follow", args=[token]), {"action": "renew"})
    assert response.status_code == 200
    new_texts = texts_to(PHONE)[before:]
    assert len(new_texts) == 1 and case.number in new_texts[0]
    fresh = new_texts[0].rsplit("/report/case/", 1)[1].rstrip("/")
    assert client.get(reverse("intake:follow", args=[fresh])).status_code == 200
    assert AuditEvent.objects.filter(action="case.follow_link_sent", object_id=str(case.pk)).exists()


def test_renewing_is_limited_per_network_address(client, case, time_machine, settings):
    settings.JIAYUAN_CODES_PER_ADDRESS = "2/h"
    token = case_follow_token(case)
    time_machine.move_to(timezone.now() + dt.timedelta(days=active_preset().data.cases.follow_link.days + 1))
    before = len(texts_to(PHONE))
    for _ in range(4):
        client.post(reverse("intake:follow", args=[token]), {"action": "renew"})
    assert len(texts_to(PHONE)) - before == 2
