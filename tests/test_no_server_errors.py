"""Inputs that once made the server fail (fuzzing, issue 9): each now gets an answer naming the problem.

`ops/fuzz` (make fuzz) keeps looking for new ones; every one it finds gets a test here.
"""

import pytest

from jiayuan.core.filters import MAX_ID
from jiayuan.testing import api as api_testing

pytestmark = pytest.mark.django_db

drf_api = api_testing.drf_api

TOO_LARGE = str(MAX_ID + 1)

ID_FILTERS = [
    ("/api/v1/regions/", "parent"),
    ("/api/v1/estates/", "region"),
    ("/api/v1/estates/", "enterprise"),
    ("/api/v1/contracts/", "estate"),
    ("/api/v1/contracts/", "enterprise"),
    ("/api/v1/owners-committees/", "estate"),
    ("/api/v1/units/", "estate"),
    ("/api/v1/owners/", "estate"),
    ("/api/v1/ownerships/", "estate"),
    ("/api/v1/ownerships/", "owner"),
]


@pytest.mark.parametrize(("url", "parameter"), ID_FILTERS)
@pytest.mark.parametrize("value", [TOO_LARGE, "1e30", "²", "-1", "0"])
def test_an_id_filter_out_of_range_is_a_400_naming_the_parameter(drf_api, url, parameter, value):
    response = drf_api("city_admin").get(url, {parameter: value})
    assert response.status_code == 400, response.content
    assert parameter in response.json()["error"]["details"]


@pytest.mark.parametrize(("url", "parameter"), ID_FILTERS)
def test_an_id_filter_at_the_limit_is_simply_nothing_found(drf_api, url, parameter):
    response = drf_api("city_admin").get(url, {parameter: str(MAX_ID)})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def api_routes(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    return [path.replace("{id}", "1") for path in schema["paths"]]


@pytest.mark.parametrize("persona", ["district_a_officer", "owner_of_a1a_101"])
def test_options_answers_on_every_route(drf_api, persona):
    client = drf_api(persona)
    for path in api_routes(client):
        response = client.options(path)
        assert response.status_code in (200, 403, 404), (path, response.status_code)
        if response.status_code == 200:
            assert "actions" not in response.json()


@pytest.mark.parametrize("estate_cell", ["²", "9" * 25, "٣"])
def test_a_ledger_import_naming_an_estate_by_no_id_is_a_located_error(world, actor_of, estate_cell):
    from jiayuan.cases.models import Case
    from jiayuan.cases.tests.test_ledger_xlsx import workbook
    from jiayuan.core.exceptions import ImportRejected

    rows = [[estate_cell, "everyday_cleaning", "楼道垃圾无人清理", "12345热线", "一般", None, None]]
    with pytest.raises(ImportRejected) as rejected:
        from jiayuan.cases.ledger_xlsx import ledger_import

        ledger_import(actor=actor_of("subdistrict_a1_officer"), file=workbook(rows))
    assert {(error["row"], error["column"]) for error in rejected.value.errors} == {(2, "A")}
    assert not Case.objects.exists()


def test_an_id_filter_out_of_range_on_a_page_is_ignored_not_a_crash(client, world):
    from django.urls import reverse

    client.force_login(world.users["city_admin"])
    for route, parameter in (("estates:list", "region"), ("estates:list", "enterprise")):
        response = client.get(reverse(route), {parameter: TOO_LARGE})
        assert response.status_code == 200


CASE_ID_FILTERS = ["estate", "enterprise", "department", "campaign", "region"]


@pytest.mark.parametrize("parameter", CASE_ID_FILTERS)
@pytest.mark.parametrize("value", [TOO_LARGE, "1e30", "²"])
def test_a_case_id_filter_out_of_range_is_a_400_on_the_ledger_api(drf_api, parameter, value):
    response = drf_api("city_admin").get("/api/v1/cases/", {parameter: value})
    assert response.status_code == 400, response.content
    assert parameter in response.json()["error"]["details"]


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_a_filing_date_out_of_range_is_a_400_not_a_crash(drf_api, value):
    response = drf_api("city_admin").get("/api/v1/cases/", {"filed_after": value})
    assert response.status_code == 400, response.content
    assert "filed" in " ".join(response.json()["error"]["details"])


@pytest.mark.parametrize(
    "query", [{"estate": TOO_LARGE}, {"filed_after": "0001-01-01"}, {"region": "1e30"}, {"campaign": "²"}]
)
def test_the_ledger_page_and_export_answer_bad_filters_without_a_crash(client, world, query):
    from django.urls import reverse

    client.force_login(world.users["city_admin"])
    assert client.get(reverse("cases:ledger"), query).status_code == 200
    assert client.get(reverse("cases:export"), query).status_code in (200, 400)
