"""Estates over the API: scope, filters, pagination, writes through the services, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiayuan.audit.models import AuditEvent
from jiayuan.estates.models import Estate
from jiayuan.testing import api as api_testing
from jiayuan.testing.world import EXPECTED_ESTATES

pytestmark = pytest.mark.django_db

# The API fixtures, re-exported so that pytest finds them in this module.
api = api_testing.api
drf_api = api_testing.drf_api

URL = "/api/v1/estates/"


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def new_estate(region_id, name="新城花园", **extra):
    return {
        "region": region_id,
        "name": name,
        "address": "新城路8号",
        "management_mode": "enterprise",
        "estate_type": "commercial",
        "unit_count": 120,
        "total_exclusive_area": "10500.50",
        **extra,
    }


@pytest.mark.parametrize("persona", sorted(EXPECTED_ESTATES))
def test_each_persona_lists_exactly_its_estates(drf_api, world, persona):
    response = drf_api(persona).get(URL)

    assert response.status_code == 200
    assert ids(response) == {world.estates[key].pk for key in EXPECTED_ESTATES[persona]}


def test_the_list_works_over_http_with_a_bearer_token(api, world):
    response = api("subdistrict_a1_officer").get(URL)

    assert response.status_code == 200
    assert {row["name"] for row in response.json()["results"]} == {"银古花园", "丽景湾"}


def test_an_estate_outside_the_scope_is_404_json_over_http(api, world):
    response = api("district_b_officer").get(f"{URL}{world.estates['estate_a1a'].pk}/")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_an_estate_shows_its_community_and_todays_enterprise(drf_api, world):
    estate = world.estates["estate_a1a"]

    row = drf_api("city_admin").get(f"{URL}{estate.pk}/").json()

    assert row["region"] == world.regions["com_a1a"].pk
    assert row["region_name"] == "银古社区"
    assert row["current_enterprise"] == {
        "id": world.enterprises["enterprise_x"].pk,
        "name": "塞上物业服务有限公司",
    }
    assert row["total_exclusive_area"] == "400.00"
    assert row["management_mode"] == "enterprise"
    assert row["year_built"] == 2010
    assert row["latitude"] is None
    assert "owners" not in row


def test_the_list_is_paginated_with_count_next_previous_and_page_size(drf_api):
    response = drf_api("city_admin").get(URL, {"page_size": 3})

    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 4
    assert len(body["results"]) == 3
    assert body["previous"] is None
    assert "page=2" in body["next"]
    assert len(drf_api("city_admin").get(body["next"]).json()["results"]) == 1


def test_a_page_past_the_end_is_404_json(drf_api):
    response = drf_api("city_admin").get(URL, {"page": 9})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_filters_by_search_region_and_enterprise(drf_api, world):
    client = drf_api("city_admin")

    by_name = client.get(URL, {"search": "阅海"})
    by_region = client.get(URL, {"region": world.regions["sub_a1"].pk})
    by_enterprise = client.get(URL, {"enterprise": world.enterprises["enterprise_x"].pk})

    assert ids(by_name) == {world.estates["estate_b1a"].pk}
    assert ids(by_region) == {world.estates["estate_a1a"].pk, world.estates["estate_a1b"].pk}
    assert ids(by_enterprise) == {world.estates["estate_a1a"].pk, world.estates["estate_b1a"].pk}


def test_a_filter_cannot_widen_the_scope(drf_api, world):
    response = drf_api("district_b_officer").get(URL, {"region": world.regions["district_a"].pk})

    assert response.json()["results"] == []


def test_the_list_costs_the_same_queries_for_10_and_for_100_estates(drf_api, world):
    community = world.regions["com_a2a"]
    client = drf_api("city_admin")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"page_size": 200})
        assert response.status_code == 200
        return len(response.json()["results"]), len(queries)

    Estate.objects.bulk_create(
        Estate(
            name=f"小区{n:03d}",
            address="路",
            community=community,
            management_mode="enterprise",
            estate_type="commercial",
        )
        for n in range(6)
    )
    count_queries()  # warm up: whatever is cached after the first request
    rows_10, queries_10 = count_queries()
    Estate.objects.bulk_create(
        Estate(
            name=f"小区{n:03d}",
            address="路",
            community=community,
            management_mode="enterprise",
            estate_type="commercial",
        )
        for n in range(6, 96)
    )
    rows_100, queries_100 = count_queries()

    assert (rows_10, rows_100) == (10, 100)
    assert queries_100 == queries_10


def test_a_district_officer_registers_an_estate_in_a_community_of_the_district(drf_api, world):
    response = drf_api("district_a_officer").post(URL, new_estate(world.regions["com_a1b"].pk), format="json")

    assert response.status_code == 201, response.json()
    row = response.json()
    assert row["region"] == world.regions["com_a1b"].pk
    assert row["total_exclusive_area"] == "10500.50"
    assert row["current_enterprise"] is None
    assert AuditEvent.objects.filter(action="estate.created", object_id=str(row["id"])).exists()


def test_a_community_outside_the_jurisdiction_is_refused_like_a_missing_one(drf_api, world):
    client = drf_api("district_a_officer")

    other = client.post(URL, new_estate(world.regions["com_b1a"].pk), format="json")
    missing = client.post(URL, new_estate(999999), format="json")

    assert other.status_code == missing.status_code == 400
    assert list(other.json()["error"]["details"]) == ["region"]
    assert not Estate.objects.filter(name="新城花园").exists()


def test_an_estate_belongs_to_a_community_not_a_subdistrict(drf_api, world):
    response = drf_api("district_a_officer").post(URL, new_estate(world.regions["sub_a1"].pk), format="json")

    assert response.status_code == 400
    assert "region" in response.json()["error"]["details"]


def test_invalid_fields_are_400_with_the_field(drf_api, world):
    response = drf_api("district_a_officer").post(
        URL, new_estate(world.regions["com_a1b"].pk, year_built=1800, management_mode="x"), format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["error"]["details"]) == {"year_built", "management_mode"}


def test_a_duplicate_name_in_the_community_is_a_409_on_the_name(drf_api, world):
    response = drf_api("district_a_officer").post(
        URL, new_estate(world.regions["com_a1a"].pk, name="银古花园"), format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert "name" in response.json()["error"]["details"]


@pytest.mark.parametrize(
    "persona", ["enterprise_x_staff", "committee_a1a_member", "police_a_officer", "auditor"]
)
def test_roles_without_the_permission_cannot_register_estates(drf_api, world, persona):
    response = drf_api(persona).post(URL, new_estate(world.regions["com_a1a"].pk), format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_an_officer_corrects_an_estate_with_patch(drf_api, world):
    estate = world.estates["estate_a1a"]

    response = drf_api("community_a1a_officer").patch(
        f"{URL}{estate.pk}/", {"year_built": 2012, "reason": "台账更正"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["year_built"] == 2012
    assert response.json()["current_enterprise"]["id"] == world.enterprises["enterprise_x"].pk
    event = AuditEvent.objects.get(action="estate.updated", object_id=str(estate.pk))
    assert event.reason == "台账更正"


def test_patching_an_estate_outside_the_scope_is_404(drf_api, world):
    response = drf_api("district_b_officer").patch(
        f"{URL}{world.estates['estate_a1a'].pk}/", {"name": "改名"}, format="json"
    )

    assert response.status_code == 404


def test_put_and_delete_are_not_offered(drf_api, world):
    client = drf_api("city_admin")
    url = f"{URL}{world.estates['estate_a1a'].pk}/"

    assert client.put(url, {}, format="json").status_code == 405
    response = client.delete(url)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
