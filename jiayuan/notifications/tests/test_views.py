"""The development outbox page: who may read it, masking, order, filter and paging."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiayuan.core.masking import mask_phone
from jiayuan.notifications.models import OutboundMessage
from jiayuan.testing.world import EXPECTED_ESTATES

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
OTHER = "13812345678"
OUTBOX = reverse("notifications:outbox")
# Session, user, count and page of messages (the actor's reach is cached after the first request).
QUERIES = 4


def log_in(client, world, persona):
    client.force_login(world.users[persona])
    return client


def outbox(count: int = 1, phone: str = PHONE) -> list[OutboundMessage]:
    return [
        OutboundMessage.objects.create(recipient=phone, text=f"验证码 {index:06d}", purpose="verification")
        for index in range(count)
    ]


OTHER_ROLES = sorted(set(EXPECTED_ESTATES) - {"system_admin", "city_admin"})


@pytest.mark.parametrize("persona", OTHER_ROLES)
def test_other_roles_are_refused_even_in_development(client, world, settings, persona):
    settings.DEBUG = True
    outbox()
    assert log_in(client, world, persona).get(OUTBOX).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login(client, world):
    response = client.get(OUTBOX)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_city_bureau_reads_it_only_in_development(client, world, settings):
    outbox()
    settings.DEBUG = False
    assert log_in(client, world, "city_admin").get(OUTBOX).status_code == 403
    settings.DEBUG = True
    assert client.get(OUTBOX).status_code == 200


def test_the_city_bureau_sees_phones_masked(client, world, settings):
    settings.DEBUG = True
    outbox()
    content = log_in(client, world, "city_admin").get(OUTBOX).content.decode()
    assert "139****5678" in content
    assert PHONE not in content
    assert "验证码 000000" in content


def test_even_the_system_administrator_sees_phones_masked(client, world):
    outbox()
    response = log_in(client, world, "system_admin").get(OUTBOX)
    assert response.status_code == 200
    assert PHONE not in response.content.decode()
    assert mask_phone(PHONE) in response.content.decode()


def test_a_code_sent_is_on_the_page_and_in_the_database_only_redacted(client, world):
    from jiayuan.notifications.services import verification_request
    from jiayuan.testing.sms import last_code

    verification_request(phone=PHONE, purpose="case_intake")
    code = last_code(PHONE)  # what the phone received
    stored = OutboundMessage.objects.get(purpose="verification")
    assert code not in stored.text
    assert "******" in stored.text
    assert stored.status == "sent"
    page = log_in(client, world, "system_admin").get(OUTBOX).content.decode()
    assert code not in page


def test_the_newest_message_comes_first_and_the_list_is_paged(client, world):
    messages = outbox(25)
    first_page = log_in(client, world, "system_admin").get(OUTBOX).context["page_obj"]
    assert first_page[0] == messages[-1]
    assert first_page.paginator.count == 25
    assert len(client.get(OUTBOX, {"page": 2}).context["page_obj"]) == 5


def test_the_filter_shows_one_phones_messages(client, world, settings):
    settings.DEBUG = True
    outbox(2)
    outbox(3, phone=OTHER)
    response = log_in(client, world, "city_admin").get(OUTBOX, {"phone": "138 1234 5678"})
    assert [m.recipient for m in response.context["page_obj"]] == [OTHER] * 3


def test_a_partial_number_does_not_filter_but_is_refused(client, world, settings):
    settings.DEBUG = True
    outbox()
    response = log_in(client, world, "city_admin").get(OUTBOX, {"phone": "5678"})
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []
    assert response.context["form"].errors


def test_the_page_sets_no_inline_style_or_script(client, world):
    outbox()
    content = log_in(client, world, "system_admin").get(OUTBOX).content.decode()
    assert "style=" not in content
    assert "<script>" not in content


def test_the_list_costs_the_same_queries_for_few_and_many_messages(client, world):
    log_in(client, world, "system_admin").get(OUTBOX)  # resolves and caches the reach
    outbox(2)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(OUTBOX).status_code == 200
        return len(captured)

    few = queries()
    outbox(15, phone=OTHER)
    assert queries() == few == QUERIES
