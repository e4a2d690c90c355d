"""The ledger's filters the home page's work queues link to (jiayuan/cases/queues.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from jiayuan.testing.queues import fill_queues

pytestmark = pytest.mark.django_db


def listed(client, world, persona, query):
    client.force_login(world.users[persona])
    response = client.get(f"{reverse('cases:ledger')}?{query}")
    assert response.status_code == 200
    return {case.pk for case in response.context["page_obj"]}


def test_sent_back_lists_the_cases_rectified_again(client, world):
    cases = fill_queues(world, now=timezone.now())
    assert listed(client, world, "subdistrict_a1_officer", "sent_back=true") == {cases.sent_back.pk}


def test_open_leaves_out_the_closed(client, world):
    cases = fill_queues(world, now=timezone.now())
    found = listed(client, world, "committee_a1a_member", "open=true")
    assert cases.late.pk in found and cases.reopened.pk in found
    assert not found & {cases.closed.pk, cases.poorly_rated.pk}


def test_escalated_to_a_higher_level_lists_nothing_yet(client, world):
    fill_queues(world, now=timezone.now())
    assert listed(client, world, "city_admin", "escalated=district") == set()


def test_an_unknown_level_is_a_form_error_not_a_server_error(client, world):
    client.force_login(world.users["city_admin"])
    response = client.get(f"{reverse('cases:ledger')}?escalated=moon")
    assert response.status_code == 200


def test_the_api_takes_the_same_filters(client, world):
    cases = fill_queues(world, now=timezone.now())
    client.force_login(world.users["subdistrict_a1_officer"])
    response = client.get("/api/v1/cases/?escalated=subdistrict")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [cases.late.pk]
