"""Enterprises and service contracts over the API: scope, search, writes, conflicts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiayuan.enterprises.models import Enterprise, ServiceContract
from jiayuan.enterprises.uscc import build_uscc
from jiayuan.testing import api as api_testing
from jiayuan.testing.world import EXPECTED_ENTERPRISES

pytestmark = pytest.mark.django_db

# The API fixtures, re-exported so that pytest finds them in this module.
api = api_testing.api
drf_api = api_testing.drf_api

ENTERPRISES = "/api/v1/enterprises/"
CONTRACTS = "/api/v1/contracts/"
NEW_USCC = build_uscc("640104", "MA0000NEW")


def ids(response):
    return {row["id"] for row in response.json()["results"]}


# Enterprises


@pytest.mark.parametrize("persona", sorted(EXPECTED_ENTERPRISES))
def test_each_persona_lists_exactly_its_enterprises(drf_api, world, persona):
    response = drf_api(persona).get(ENTERPRISES)

    assert response.status_code == 200
    assert ids(response) == {world.enterprises[key].pk for key in EXPECTED_ENTERPRISES[persona]}


def test_an_enterprise_shows_its_code_region_and_estates_served_today(drf_api, world):
    x = world.enterprises["enterprise_x"]

    row = drf_api("city_admin").get(f"{ENTERPRISES}{x.pk}/").json()

    assert row["uscc"] == x.uscc
    assert row["name"] == "塞上物业服务有限公司"
    assert row["registered_region"] == world.regions["district_a"].pk
    assert row["registered_region_name"] == "兴庆区"
    assert row["estates_served"] == 2


def test_search_matches_the_name_or_the_uscc(drf_api, world):
    client = drf_api("city_admin")
    y = world.enterprises["enterprise_y"]

    by_name = client.get(ENTERPRISES, {"search": "贺兰山"})
    by_code = client.get(ENTERPRISES, {"search": y.uscc[-8:].lower()})

    assert ids(by_name) == {y.pk}
    assert ids(by_code) == {y.pk}


def test_an_enterprise_outside_the_scope_is_404_json(drf_api, world):
    response = drf_api("enterprise_x_staff").get(f"{ENTERPRISES}{world.enterprises['enterprise_y'].pk}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_city_bureau_registers_an_enterprise_over_http_and_a_duplicate_is_409(api, world):
    client = api("city_admin")
    body = {
        "uscc": NEW_USCC.lower(),
        "name": "新物业有限公司",
        "registered_region": world.regions["district_a"].pk,
    }

    created = client.post(ENTERPRISES, json=body)
    duplicate = client.post(ENTERPRISES, json=body)

    assert created.status_code == 201, created.text
    assert created.json()["uscc"] == NEW_USCC
    assert created.json()["estates_served"] == 0
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "conflict"
    assert "uscc" in duplicate.json()["error"]["details"]
    assert Enterprise.objects.filter(uscc=NEW_USCC).count() == 1


def test_an_enterprise_is_registered_in_a_region_of_the_registrars_jurisdiction(drf_api, world):
    client = drf_api("district_a_officer")
    body = {"uscc": NEW_USCC, "name": "新物业有限公司"}

    nowhere = client.post(ENTERPRISES, body, format="json")
    elsewhere = client.post(
        ENTERPRISES, {**body, "registered_region": world.regions["district_b"].pk}, format="json"
    )
    at_home = client.post(
        ENTERPRISES, {**body, "registered_region": world.regions["sub_a1"].pk}, format="json"
    )

    assert nowhere.status_code == elsewhere.status_code == 400
    assert "registered_region" in nowhere.json()["error"]["details"]
    assert "registered_region" in elsewhere.json()["error"]["details"]
    assert at_home.status_code == 201
    assert client.get(f"{ENTERPRISES}{at_home.json()['id']}/").status_code == 200


def test_enterprise_staff_cannot_register_enterprises(drf_api, world):
    response = drf_api("enterprise_x_staff").post(
        ENTERPRISES,
        {"uscc": NEW_USCC, "name": "新", "registered_region": world.regions["district_a"].pk},
        format="json",
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Enterprise.objects.filter(uscc=NEW_USCC).exists()


@pytest.mark.parametrize(
    "bad", ["91640104MA0000NEW", NEW_USCC[:-1] + ("0" if NEW_USCC[-1] != "0" else "1"), "91640104MA0000NEO"]
)
def test_a_bad_uscc_is_a_400_naming_the_field(drf_api, world, bad):
    body = {"uscc": bad, "name": "新物业", "registered_region": world.regions["district_a"].pk}

    response = drf_api("city_admin").post(ENTERPRISES, body, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["uscc"]


def test_a_district_officer_corrects_an_enterprise_with_patch(drf_api, world):
    x = world.enterprises["enterprise_x"]

    response = drf_api("district_a_officer").patch(
        f"{ENTERPRISES}{x.pk}/", {"legal_representative": "王五", "phone": "0951-1234567"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["legal_representative"] == "王五"
    assert response.json()["estates_served"] == 2


def test_the_uscc_cannot_be_patched(drf_api, world):
    x = world.enterprises["enterprise_x"]

    drf_api("city_admin").patch(f"{ENTERPRISES}{x.pk}/", {"uscc": NEW_USCC}, format="json")

    x.refresh_from_db()
    assert x.uscc != NEW_USCC


# Contracts


def test_contracts_are_listed_by_scope(drf_api, world):
    c = world.contracts

    staff = drf_api("enterprise_x_staff").get(CONTRACTS)
    district_b = drf_api("district_b_officer").get(CONTRACTS)

    assert ids(staff) == {c["a1a"].pk, c["b1a"].pk}
    assert ids(district_b) == {c["b1a"].pk}


def test_a_contract_shows_both_parties_and_whether_it_is_in_force(drf_api, world):
    contract = world.contracts["a1a"]

    row = drf_api("city_admin").get(f"{CONTRACTS}{contract.pk}/").json()

    assert row["enterprise"] == {"id": world.enterprises["enterprise_x"].pk, "name": "塞上物业服务有限公司"}
    assert row["estate"] == {"id": world.estates["estate_a1a"].pk, "name": "银古花园"}
    assert row["project_manager"]["name"] == "经理a1a"
    assert row["fee_per_m2_month"] == "1.20"
    assert row["in_force"] is True


def test_contracts_filter_by_estate_and_in_force(drf_api, world):
    client = drf_api("city_admin")

    by_estate = client.get(CONTRACTS, {"estate": world.estates["estate_a1b"].pk})
    not_in_force = client.get(CONTRACTS, {"in_force": "false"})

    assert ids(by_estate) == {world.contracts["a1b"].pk}
    assert ids(not_in_force) == set()


def test_a_contract_outside_the_scope_is_404_json(drf_api, world):
    response = drf_api("district_b_officer").get(f"{CONTRACTS}{world.contracts['a1a'].pk}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def contract_body(world, estate="estate_a1a", enterprise="enterprise_z", start=None, **extra):
    return {
        "enterprise": world.enterprises[enterprise].pk,
        "estate": world.estates[estate].pk,
        "kind": "regular",
        "start_date": str(start or timezone.localdate()),
        "service_grade": 2,
        "fee_per_m2_month": "1.50",
        **extra,
    }


def test_a_second_contract_in_force_is_a_409_contract_overlap(drf_api, world):
    response = drf_api("district_a_officer").post(CONTRACTS, contract_body(world), format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "contract_overlap"
    assert ServiceContract.objects.filter(estate=world.estates["estate_a1a"]).count() == 1


def test_after_a_termination_a_new_contract_can_be_filed(drf_api, world):
    client = drf_api("district_a_officer")
    today = timezone.localdate()
    old = world.contracts["a1a"]

    ended = client.post(
        f"{CONTRACTS}{old.pk}/terminate/", {"on": str(today), "reason": "业主大会解聘"}, format="json"
    )
    filed = client.post(CONTRACTS, contract_body(world, start=today + dt.timedelta(days=1)), format="json")

    assert ended.status_code == 200, ended.json()
    assert ended.json()["status"] == "terminated"
    assert ended.json()["end_date"] == str(today)
    assert filed.status_code == 201, filed.json()
    assert filed.json()["enterprise"]["id"] == world.enterprises["enterprise_z"].pk
    assert filed.json()["in_force"] is False


def test_terminating_twice_is_a_409(drf_api, world):
    client = drf_api("city_admin")
    url = f"{CONTRACTS}{world.contracts['a1a'].pk}/terminate/"
    body = {"on": str(timezone.localdate()), "reason": "解聘"}

    client.post(url, body, format="json")
    again = client.post(url, body, format="json")

    assert again.status_code == 409


def test_a_termination_needs_a_reason_and_a_date(drf_api, world):
    response = drf_api("city_admin").post(
        f"{CONTRACTS}{world.contracts['a1a'].pk}/terminate/", {}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["error"]["details"]) == {"on", "reason"}


def test_a_termination_date_outside_the_term_is_a_400_on_the_field(drf_api, world):
    response = drf_api("city_admin").post(
        f"{CONTRACTS}{world.contracts['a1a'].pk}/terminate/",
        {"on": "2001-01-01", "reason": "x"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["on"]


def test_enterprise_staff_see_their_contracts_but_cannot_terminate_them(drf_api, world):
    response = drf_api("enterprise_x_staff").post(
        f"{CONTRACTS}{world.contracts['a1a'].pk}/terminate/",
        {"on": str(timezone.localdate()), "reason": "x"},
        format="json",
    )

    assert response.status_code == 403


def test_an_estate_outside_the_jurisdiction_cannot_be_contracted(drf_api, world):
    response = drf_api("district_b_officer").post(
        CONTRACTS, contract_body(world, estate="estate_a2a", enterprise="enterprise_y"), format="json"
    )

    assert response.status_code == 400
    assert "estate" in response.json()["error"]["details"]


def test_a_project_manager_of_another_enterprise_is_refused(drf_api, world):
    client = drf_api("city_admin")
    client.post(
        f"{CONTRACTS}{world.contracts['a1a'].pk}/terminate/",
        {"on": str(timezone.localdate()), "reason": "x"},
        format="json",
    )
    manager_of_y = world.contracts["a1b"].project_manager_id

    response = client.post(
        CONTRACTS,
        contract_body(world, start=timezone.localdate() + dt.timedelta(days=1), project_manager=manager_of_y),
        format="json",
    )

    assert response.status_code == 400
    assert "project_manager" in response.json()["error"]["details"]


def test_the_lists_cost_no_query_per_row(drf_api, world):
    client = drf_api("city_admin")
    district_a = world.regions["district_a"]

    def queries(url):
        client.get(url)  # warm up
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    before = {url: queries(url) for url in (ENTERPRISES, CONTRACTS)}
    for n in range(5):
        enterprise = Enterprise.objects.create(
            uscc=build_uscc("640104", f"MA{n:07d}Q"), name=f"物业{n}", registered_region=district_a
        )
        ServiceContract.objects.create(
            enterprise=enterprise,
            estate=world.estates["estate_a1a"],
            kind="early_stage",
            start_date=dt.date(2000 + n, 1, 1),
            end_date=dt.date(2000 + n, 12, 31),
            service_grade=1,
            fee_per_m2_month="0.80",
        )
    after = {url: queries(url) for url in (ENTERPRISES, CONTRACTS)}

    assert client.get(ENTERPRISES).json()["count"] == 8
    assert client.get(CONTRACTS).json()["count"] == 9
    assert after == before


def test_a_district_officer_files_a_contract_with_an_enterprise_registered_elsewhere(world, drf_api):
    """W is registered in district B and serves nothing in A, so A's officer does not list it; the
    registry is public, so they may still file W's contract for an estate of their district."""
    from jiayuan.enterprises.models import Enterprise, ServiceContract
    from jiayuan.enterprises.uscc import build_uscc

    newcomer = Enterprise.objects.create(
        uscc=build_uscc("640106", "MA0000W01"), name="新来物业", registered_region=world.regions["district_b"]
    )
    assert client_lists(drf_api("district_a_officer"), newcomer) is False
    world.contracts["a2a"].status = "void"
    world.contracts["a2a"].save(update_fields=["status"])
    client = drf_api("district_a_officer")
    response = client.post(
        "/api/v1/contracts/",
        {
            "enterprise": newcomer.pk,
            "estate": world.estates["estate_a2a"].pk,
            "kind": "regular",
            "start_date": "2026-01-01",
            "service_grade": 2,
            "fee_per_m2_month": "1.50",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert ServiceContract.objects.filter(estate=world.estates["estate_a2a"], enterprise=newcomer).exists()
    assert client_lists(client, newcomer) is True  # visible now, through the contract


def client_lists(client, enterprise) -> bool:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/enterprises/", {"page_size": 200})
    return enterprise.pk in {row["id"] for row in response.json()["results"]}
