"""Owners' committees and management committees over the API: scope, masking, ending terms."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiayuan.core.actor import system_actor
from jiayuan.governance.services import management_committee_register, owners_committee_register
from jiayuan.testing import api as api_testing

pytestmark = pytest.mark.django_db

# The API fixtures, re-exported so that pytest finds them in this module.
drf_api = api_testing.drf_api

OWNERS = "/api/v1/owners-committees/"
MANAGEMENT = "/api/v1/management-committees/"


def estate_ids(response):
    return {row["estate"]["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("city_admin", {"estate_a1a", "estate_b1a"}),
        ("district_a_officer", {"estate_a1a"}),
        ("district_b_officer", {"estate_b1a"}),
        ("enterprise_x_staff", {"estate_a1a", "estate_b1a"}),
        ("committee_a1a_member", {"estate_a1a"}),
        ("subdistrict_a1_officer", {"estate_a1a"}),
    ],
)
def test_owners_committees_are_listed_by_scope(drf_api, world, persona, expected):
    response = drf_api(persona).get(OWNERS)

    assert response.status_code == 200
    assert estate_ids(response) == {world.estates[key].pk for key in expected}


def test_members_names_are_masked_and_their_phones_absent(drf_api, world):
    row = drf_api("city_admin").get(f"{OWNERS}{world.committees['a1a'].pk}/").json()

    assert row["members"] == [{"id": row["members"][0]["id"], "name": "张*任", "post": "director"}]
    assert row["estate"] == {"id": world.estates["estate_a1a"].pk, "name": "银古花园"}
    assert row["region"] == world.regions["com_a1a"].pk


def test_ending_soon_lists_the_terms_ending_within_the_warning_period(drf_api, world):
    response = drf_api("city_admin").get(OWNERS, {"ending_soon": "true"})

    assert estate_ids(response) == {world.estates["estate_a1a"].pk}


def test_a_committee_outside_the_scope_is_404_json(drf_api, world):
    response = drf_api("district_b_officer").get(f"{OWNERS}{world.committees['a1a'].pk}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_committee_list_costs_no_query_per_committee(drf_api, world):
    client = drf_api("city_admin")
    client.get(OWNERS)
    with CaptureQueriesContext(connection) as two:
        client.get(OWNERS)
    start = timezone.localdate()
    owners_committee_register(
        actor=system_actor(),
        estate=world.estates["estate_a2a"],
        term_start=start,
        term_end=start + dt.timedelta(days=5 * 365),
        members=[{"name": "李四", "post": "director"}, {"name": "王五", "post": "member"}],
    )
    with CaptureQueriesContext(connection) as three:
        response = client.get(OWNERS)

    assert len(response.json()["results"]) == 3
    assert len(three) == len(two)


@pytest.fixture
def management_committee(world):
    start = timezone.localdate()
    return management_committee_register(
        actor=system_actor(),
        estate=world.estates["estate_a2a"],
        term_start=start,
        term_end=start + dt.timedelta(days=365),
        members=[{"name": "赵六", "post": "director", "affiliation": "文化社区居委会"}],
    )


def test_management_committees_are_listed_by_scope_with_masked_members(drf_api, world, management_committee):
    district_a = drf_api("district_a_officer").get(MANAGEMENT).json()
    district_b = drf_api("district_b_officer").get(MANAGEMENT).json()

    assert [row["id"] for row in district_a["results"]] == [management_committee.pk]
    assert district_a["results"][0]["members"][0]["name"] == "赵*"
    assert district_a["results"][0]["members"][0]["affiliation"] == "文化社区居委会"
    assert district_b["results"] == []


def test_a_management_committee_outside_the_scope_is_404(drf_api, management_committee):
    response = drf_api("district_b_officer").get(f"{MANAGEMENT}{management_committee.pk}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_management_committees_cannot_be_written_through_the_api_yet(drf_api):
    response = drf_api("city_admin").post(MANAGEMENT, {}, format="json")

    assert response.status_code == 405
