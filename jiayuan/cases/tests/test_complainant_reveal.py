"""The complainant's name and phone for the community officer, with a purpose, audited (page and API)."""

import pytest
from django.urls import reverse

from jiayuan.audit.models import AuditEvent
from jiayuan.cases.tests.factories import file
from jiayuan.testing import api as api_testing

pytestmark = pytest.mark.django_db

api = api_testing.api
drf_api = api_testing.drf_api


@pytest.fixture
def case(world, actor_of):
    return file(actor_of("community_a1a_officer"), world.estate_a1a)


def reveals():
    return AuditEvent.objects.filter(action="case.complainant_revealed")


def test_the_community_officer_sees_the_reveal_form_and_others_do_not(client, world, case):
    client.force_login(world.users["community_a1a_officer"])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:complainant", args=[case.pk]) in page
    assert "13812345678" not in page
    client.force_login(world.users["subdistrict_a1_officer"])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:complainant", args=[case.pk]) not in page
    assert "138****5678" in page


def test_a_purpose_reveals_the_complainant_once_and_is_audited(client, world, case):
    client.force_login(world.users["community_a1a_officer"])
    response = client.post(reverse("cases:complainant", args=[case.pk]), {"purpose": "电话回访"})
    assert response.status_code == 200
    assert "13812345678" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    event = reveals().get()
    assert event.reason == "电话回访"
    assert event.object_id == str(case.pk)


def test_over_htmx_the_fragment_comes_back(client, world, case):
    client.force_login(world.users["community_a1a_officer"])
    response = client.post(
        reverse("cases:complainant", args=[case.pk]), {"purpose": "电话回访"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert "13812345678" in content
    assert "<html" not in content


def test_without_a_purpose_nothing_is_shown_or_recorded(client, world, case):
    client.force_login(world.users["community_a1a_officer"])
    response = client.post(reverse("cases:complainant", args=[case.pk]), {"purpose": " "})
    assert response.status_code == 302
    assert not reveals().exists()


@pytest.mark.parametrize("persona", ["subdistrict_a1_officer", "enterprise_x_staff", "owner_of_a1a_101"])
def test_roles_without_the_permission_are_refused(client, world, case, persona):
    client.force_login(world.users[persona])
    response = client.post(reverse("cases:complainant", args=[case.pk]), {"purpose": "看看"})
    assert response.status_code in (403, 404)
    assert not reveals().exists()


def test_a_case_outside_the_community_is_not_found(client, world, actor_of):
    elsewhere = file(actor_of("district_b_officer"), world.estate_b1a)
    client.force_login(world.users["community_a1a_officer"])
    response = client.post(reverse("cases:complainant", args=[elsewhere.pk]), {"purpose": "看看"})
    assert response.status_code == 404


def test_over_the_api_the_reveal_needs_a_purpose_and_is_audited(api, world, case, actor_of):
    client = api("community_a1a_officer")
    url = f"/api/v1/cases/{case.pk}/reveal-complainant/"
    assert client.post(url, json={}).status_code == 400
    response = client.post(url, json={"purpose": "电话回访"})
    assert response.status_code == 200, response.text
    assert response.json() == {"name": "王小明", "phone": "13812345678"}
    assert reveals().get().reason == "电话回访"
    assert api("subdistrict_a1_officer").post(url, json={"purpose": "x"}).status_code == 403
    elsewhere = file(actor_of("district_b_officer"), world.estate_b1a)
    response = client.post(f"/api/v1/cases/{elsewhere.pk}/reveal-complainant/", json={"purpose": "x"})
    assert response.status_code == 404
