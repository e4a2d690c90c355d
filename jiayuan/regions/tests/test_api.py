"""Regions over the API: scoped, filtered, with their ancestors resolved once per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiayuan.testing import api as api_testing

pytestmark = pytest.mark.django_db

# The API fixtures, re-exported so that pytest finds them in this module.
drf_api = api_testing.drf_api

URL = "/api/v1/regions/"


def codes(response):
    return {row["code"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "city_admin",
            {
                "city",
                "district_a",
                "district_b",
                "sub_a1",
                "sub_a2",
                "sub_b1",
                "com_a1a",
                "com_a1b",
                "com_a2a",
                "com_b1a",
            },
        ),
        ("district_a_officer", {"district_a", "sub_a1", "sub_a2", "com_a1a", "com_a1b", "com_a2a"}),
        ("community_a1a_officer", {"com_a1a"}),
        ("enterprise_x_staff", {"com_a1a", "com_b1a"}),
        ("owner_of_a1a_101", {"com_a1a"}),
    ],
)
def test_each_persona_lists_the_regions_of_its_scope(drf_api, world, persona, expected):
    response = drf_api(persona).get(URL, {"page_size": 50})

    assert response.status_code == 200
    assert codes(response) == {world.regions[key].code for key in expected}


def test_a_region_carries_its_parent_and_ancestors_from_the_city_down(drf_api, world):
    r = world.regions

    row = drf_api("community_a1a_officer").get(f"{URL}{r['com_a1a'].pk}/").json()

    assert row["parent"] == r["sub_a1"].pk
    assert row["level"] == "community"
    assert [a["code"] for a in row["ancestors"]] == [r["city"].code, r["district_a"].code, r["sub_a1"].code]
    assert row["ancestors"][0] == {
        "id": r["city"].pk,
        "code": r["city"].code,
        "name": "银川市",
        "level": "city",
    }


def test_the_city_has_no_parent_and_no_ancestors(drf_api, world):
    row = drf_api("city_admin").get(f"{URL}{world.regions['city'].pk}/").json()

    assert row["parent"] is None
    assert row["ancestors"] == []


def test_level_and_parent_filter_the_list(drf_api, world):
    client = drf_api("city_admin")

    communities = client.get(URL, {"level": "community"})
    children = client.get(URL, {"parent": world.regions["district_a"].pk})

    assert len(communities.json()["results"]) == 4
    assert codes(children) == {world.regions["sub_a1"].code, world.regions["sub_a2"].code}


def test_an_unknown_level_is_a_400_naming_the_filter(drf_api):
    response = drf_api("city_admin").get(URL, {"level": "province"})

    assert response.status_code == 400
    assert "level" in response.json()["error"]["details"]


def test_a_region_outside_the_scope_is_404_json(drf_api, world):
    response = drf_api("district_b_officer").get(f"{URL}{world.regions['com_a1a'].pk}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_ancestors_cost_one_query_per_page_not_one_per_row(drf_api, world):
    client = drf_api("city_admin")
    one_community = {"parent": world.regions["sub_a2"].pk}
    client.get(URL, one_community)  # warm up

    with CaptureQueriesContext(connection) as one_row:
        assert len(client.get(URL, one_community).json()["results"]) == 1
    with CaptureQueriesContext(connection) as ten_rows:
        assert len(client.get(URL).json()["results"]) == 10

    assert len(ten_rows) == len(one_row)
