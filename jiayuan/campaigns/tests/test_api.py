"""Campaigns over the API: list and detail in reach, launching one, and the campaign on cases."""

from __future__ import annotations

import datetime as dt

import pytest

from jiayuan.audit.models import AuditEvent
from jiayuan.campaigns.models import Campaign
from jiayuan.cases.tests.factories import file
from jiayuan.testing.api import drf_api  # noqa: F401

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/api/v1/campaigns/"
CASES = "/api/v1/cases/"


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_the_list_has_the_campaigns_in_reach_with_counts(drf_api, world, actor_of, campaigns):  # noqa: F811
    file(actor_of("city_admin"), world.estate_a1a, campaign=campaigns["city"])
    response = drf_api("district_a_officer").get(CAMPAIGNS)
    assert response.status_code == 200
    assert ids(response) == {campaigns["city"].pk, campaigns["district_a"].pk}
    row = next(r for r in response.json()["results"] if r["id"] == campaigns["city"].pk)
    assert row["region"] == {"id": world.regions["city"].pk, "name": world.regions["city"].name}
    assert (row["status"], row["open_count"], row["overdue_count"], row["closed_count"]) == (
        "active",
        1,
        0,
        0,
    )
    assert ids(drf_api("enterprise_x_staff").get(CAMPAIGNS)) == set()


def test_the_detail_is_404_out_of_reach(drf_api, campaigns):  # noqa: F811
    client = drf_api("district_b_officer")
    assert (
        client.get(f"{CAMPAIGNS}{campaigns['district_b'].pk}/").json()["name"] == campaigns["district_b"].name
    )
    response = client.get(f"{CAMPAIGNS}{campaigns['district_a'].pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_launching_a_campaign(drf_api, world, today):  # noqa: F811
    body = {
        "region": world.regions["sub_a1"].pk,
        "name": "街道楼道清理专项",
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=30)).isoformat(),
    }
    response = drf_api("subdistrict_a1_officer").post(CAMPAIGNS, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["region"]["id"] == world.regions["sub_a1"].pk
    assert AuditEvent.objects.filter(action="campaign.created").count() == 1
    # A region above them: refused; a role without the permission: 403 whatever the body.
    above = drf_api("subdistrict_a1_officer").post(CAMPAIGNS, {**body, "region": world.regions["city"].pk})
    assert above.status_code == 400  # the city is not even a region they see
    assert drf_api("district_a_officer").post(CAMPAIGNS, {**body}, format="json").status_code == 403
    assert drf_api("community_a1a_officer").post(CAMPAIGNS, {}, format="json").status_code == 403
    backwards = {**body, "ends_on": (today - dt.timedelta(days=1)).isoformat()}
    refused = drf_api("subdistrict_a1_officer").post(CAMPAIGNS, backwards, format="json")
    assert refused.status_code == 400
    assert "ends_on" in refused.json()["error"]["details"]
    assert Campaign.objects.count() == 1


def test_cases_filter_by_campaign_and_show_it_to_those_who_see_it(drf_api, world, actor_of, campaigns):  # noqa: F811
    admin = actor_of("city_admin")
    tagged = file(admin, world.estate_a1a, campaign=campaigns["city"])
    file(admin, world.estate_a1b)
    response = drf_api("city_admin").get(CASES, {"campaign": campaigns["city"].pk})
    assert ids(response) == {tagged.pk}
    row = response.json()["results"][0]
    assert row["campaign"] == {"id": campaigns["city"].pk, "name": campaigns["city"].name}
    detail = drf_api("city_admin").get(f"{CASES}{tagged.pk}/").json()
    assert detail["campaign"]["id"] == campaigns["city"].pk
    # An enterprise sees the case in its ledger, but not the authorities' campaign.
    staff = drf_api("enterprise_x_staff").get(CASES, {"campaign": campaigns["city"].pk}).json()
    assert [row["campaign"] for row in staff["results"]] == [None]
    counts = drf_api("city_admin").get(f"{CASES}counts/", {"campaign": campaigns["city"].pk}).json()
    assert counts["total"] == 1


def test_the_case_list_costs_one_more_query_for_campaigns_at_most(drf_api, world, actor_of, campaigns):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = actor_of("city_admin")
    client = drf_api("city_admin")
    client.get(CASES)

    def cost(count):
        for _ in range(Campaign.objects.get(pk=campaigns["city"].pk).cases.count(), count):
            file(admin, world.estate_a1a, campaign=campaigns["city"], confirm_not_duplicate=True)
        with CaptureQueriesContext(connection) as queries:
            assert len(client.get(CASES).json()["results"]) == count
        return len(queries)

    assert cost(3) == cost(12)


def test_filing_over_the_api_with_a_campaign(drf_api, world, campaigns):  # noqa: F811
    body = {
        "estate": world.estate_b1a.pk,
        "category": "everyday_cleaning",
        "description": "消防通道堵塞",
        "campaign": campaigns["district_a"].pk,
    }
    client = drf_api("city_admin")
    refused = client.post(CASES, body, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "campaign_does_not_cover"
    created = client.post(CASES, {**body, "campaign": campaigns["district_b"].pk}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["campaign"]["id"] == campaigns["district_b"].pk
    # A campaign the filer does not see is refused like a missing one.
    hidden = drf_api("district_a_officer").post(
        CASES, {**body, "estate": world.estate_a1a.pk, "campaign": campaigns["district_b"].pk}, format="json"
    )
    assert hidden.status_code == 400
    assert "campaign" in hidden.json()["error"]["details"]
