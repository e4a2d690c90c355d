"""The registry over the API: units, owners and ownerships, listed in scope and in natural order,
written through the services (audited), bad input a 400, out of scope a 404, query counts pinned."""

from decimal import Decimal

import pytest

from jiayuan.audit.models import AuditEvent
from jiayuan.estates.models import Ownership, Unit
from jiayuan.estates.services import ownership_register, unit_add
from jiayuan.testing import api as api_testing

pytestmark = pytest.mark.django_db

api = api_testing.api
drf_api = api_testing.drf_api

UNITS = "/api/v1/units/"
OWNERS = "/api/v1/owners/"
OWNERSHIPS = "/api/v1/ownerships/"
PINNED_UNIT_LIST = 4  # the token with its user, the count, the page of units, their owners


def numbers(body):
    return [(row["building"], row["number"]) for row in body["results"]]


# --- over real HTTP ---------------------------------------------------------------------------------


def test_a_unit_is_added_and_corrected_over_http_and_both_are_audited(api, world):
    client = api("community_a1a_officer")
    estate = world.estates["estate_a1a"]

    created = client.post(
        UNITS, json={"estate": estate.pk, "building": "2", "number": "1-1001", "exclusive_area": "120.5"}
    )
    assert created.status_code == 201, created.text
    row = created.json()
    assert (row["estate"]["id"], row["building"], row["number"], row["exclusive_area"]) == (
        estate.pk,
        "2",
        "1-1001",
        "120.50",
    )

    patched = client.patch(f"{UNITS}{row['id']}/", json={"number": "1-101", "reason": "房号录错"})
    assert patched.status_code == 200, patched.text
    assert patched.json()["number"] == "1-101"
    events = list(AuditEvent.objects.order_by("seq").values_list("action", "reason"))
    assert events[-3:] == [("building.created", ""), ("unit.created", ""), ("unit.updated", "房号录错")]


def test_the_unit_list_is_in_natural_order_over_http(api, world, actor_of):
    estate = world.estates["estate_a2a"]
    Unit.objects.filter(estate=estate).delete()
    actor = actor_of("district_a_officer")
    for building, number in [("10", "1-101"), ("2", "1-1001"), ("2", "1-101"), ("2", "1-201")]:
        unit_add(
            actor=actor, estate=estate, building_number=building, number=number, exclusive_area=Decimal(90)
        )

    response = api("district_a_officer").get(UNITS, params={"estate": estate.pk})

    assert response.status_code == 200
    assert numbers(response.json()) == [("2", "1-101"), ("2", "1-201"), ("2", "1-1001"), ("10", "1-101")]


def test_an_ownership_is_registered_over_http_and_shows_masked(api, world):
    client = api("community_a1a_officer")
    unit = world.units["a1a_102"]

    response = client.post(
        OWNERSHIPS,
        json={"unit": unit.pk, "name": "李建国", "phone": "13700001234", "id_number": "640104198001011111"},
    )

    assert response.status_code == 201, response.text
    owner = response.json()["owner"]
    assert (owner["name"], owner["phone"]) == ("李*国", "137****1234")
    assert "id_number" not in owner
    assert "李建国" not in response.text
    assert AuditEvent.objects.filter(action="ownership.registered").count() == 1


def test_a_unit_outside_the_scope_is_a_json_404_over_http(api, world):
    response = api("district_b_officer").patch(
        f"{UNITS}{world.units['a1a_101'].pk}/", json={"exclusive_area": "90.00"}
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# --- in process -------------------------------------------------------------------------------------


def test_the_search_matches_numbers_and_visible_owners_names_masked(drf_api, world):
    officer = drf_api("community_a1a_officer").get(UNITS, {"search": "业主a1a102"}).json()
    owner = drf_api("owner_of_a1a_101").get(UNITS, {"search": "业主a1a102"}).json()

    assert [row["id"] for row in officer["results"]] == [world.units["a1a_102"].pk]
    assert officer["results"][0]["owners"][0]["owner"]["name"] == "业******2"
    assert owner["results"] == []  # an owner cannot look a neighbour up by name
    by_number = drf_api("owner_of_a1a_101").get(UNITS, {"search": "102"}).json()
    assert [(row["number"], row["owners"]) for row in by_number["results"]] == [("102", [])]


ESTATE = object()  # the id of estate a1a, filled in by the test


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"building": "1", "number": "9", "exclusive_area": "90"}, "estate"),
        ({"estate": "x", "building": "1", "number": "9", "exclusive_area": "90"}, "estate"),
        ({"estate": ESTATE, "building": "1", "number": "", "exclusive_area": "90"}, "number"),
        ({"estate": ESTATE, "building": "1", "number": "9", "exclusive_area": "-1"}, "exclusive_area"),
        ({"estate": ESTATE, "building": "1", "number": "9", "exclusive_area": "1e400"}, "exclusive_area"),
        ({"estate": ESTATE, "building": "1" * 21, "number": "9", "exclusive_area": "90"}, "building"),
    ],
)
def test_bad_unit_input_is_a_400_naming_the_field(drf_api, world, body, field):
    body = {k: world.estates["estate_a1a"].pk if v is ESTATE else v for k, v in body.items()}

    response = drf_api("community_a1a_officer").post(UNITS, body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["details"]
    assert not Unit.objects.filter(number="9").exists()


def test_a_duplicate_unit_number_is_a_409_in_words(drf_api, world):
    body = {
        "estate": world.estates["estate_a1a"].pk,
        "building": "1",
        "number": "101",
        "exclusive_area": "90",
    }

    response = drf_api("community_a1a_officer").post(UNITS, body, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["details"] == {"number": [response.json()["error"]["message"]]}


def test_an_estate_outside_the_scope_is_refused_like_a_missing_one(drf_api, world):
    body = {"estate": world.estates["estate_b1a"].pk, "building": "1", "number": "9", "exclusive_area": "90"}

    response = drf_api("community_a1a_officer").post(UNITS, body, format="json")

    assert response.status_code == 400
    assert "estate" in response.json()["error"]["details"]
    assert "阅海湾" not in response.content.decode()


@pytest.mark.parametrize("persona", ["enterprise_x_staff", "owner_of_a1a_101", "auditor", "police_a_officer"])
def test_roles_that_may_not_write_the_registry_get_403(drf_api, world, persona):
    client = drf_api(persona)
    ownership = Ownership.objects.get(unit=world.units["a1a_101"])

    assert client.post(UNITS, {}, format="json").status_code == 403
    assert client.post(OWNERSHIPS, {}, format="json").status_code == 403
    assert client.post(f"{OWNERSHIPS}{ownership.pk}/end/", {"reason": "x"}, format="json").status_code == 403
    assert Ownership.objects.filter(pk=ownership.pk).exists()


def test_an_owner_on_record_becomes_a_co_owner_by_id(drf_api, world):
    owner = world.owners["a1a_101"]
    unit = world.units["a1a_102"]

    response = drf_api("community_a1a_officer").post(
        OWNERSHIPS, {"unit": unit.pk, "owner": owner.pk, "since": "2024-03-01"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert set(unit.ownerships.values_list("owner_id", flat=True)) == {owner.pk, world.owners["a1a_102"].pk}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"owner": 1, "name": "张三"}, "owner"),
        ({"owner": 987654321}, "owner"),
        ({"name": "张三", "since": "去年"}, "since"),
    ],
)
def test_bad_ownership_input_is_a_400(drf_api, world, body, field):
    body = {"unit": world.units["a1a_102"].pk, **body}

    response = drf_api("community_a1a_officer").post(OWNERSHIPS, body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["details"]


def test_ending_and_correcting_an_ownership_and_an_owner(drf_api, world):
    client = drf_api("subdistrict_a1_officer")
    ownership = Ownership.objects.get(unit=world.units["a1a_102"])

    assert (
        client.patch(f"{OWNERSHIPS}{ownership.pk}/", {"since": "2021-05-06"}, format="json").status_code
        == 200
    )
    owner_url = f"{OWNERS}{ownership.owner_id}/"
    changed = client.patch(owner_url, {"kind": "organisation", "reason": "单位产权"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["kind"] == "organisation"
    assert client.post(f"{OWNERSHIPS}{ownership.pk}/end/", {}, format="json").status_code == 400
    assert (
        client.post(f"{OWNERSHIPS}{ownership.pk}/end/", {"reason": "已出售"}, format="json").status_code
        == 204
    )

    assert not Ownership.objects.filter(pk=ownership.pk).exists()
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-3:] == ["ownership.updated", "owner.updated", "ownership.ended"]


def test_owners_are_listed_masked_and_not_at_all_for_estate_bound_users(drf_api, world):
    officer = drf_api("community_a1a_officer").get(OWNERS).json()
    member = drf_api("committee_a1a_member").get(OWNERS).json()

    assert {row["name"] for row in officer["results"]} == {"业******1", "业******2"}
    assert {row["phone"] for row in officer["results"]} == {"139****5678"}
    assert member["results"] == []
    assert drf_api("committee_a1a_member").get(OWNERSHIPS).json()["results"] == []


def test_the_unit_list_costs_a_pinned_number_of_queries_whatever_its_length(
    drf_api, world, actor_of, django_assert_num_queries
):
    client = drf_api("community_a1a_officer")
    estate = world.estates["estate_a1a"]
    actor = actor_of("community_a1a_officer")
    for number in range(30):
        unit = unit_add(
            actor=actor,
            estate=estate,
            building_number="7",
            number=f"1-{number}01",
            exclusive_area=Decimal(80),
        )
        ownership_register(actor=actor, unit=unit, name=f"住户{number}")
    client.get(UNITS)  # warm up: the policy preset, caches

    # The same for 2 units as for 32, searched or not (PINNED_UNIT_LIST says which).
    for url in (UNITS, f"{UNITS}?estate={estate.pk}&search=1", f"{UNITS}?search=1-2101"):
        with django_assert_num_queries(PINNED_UNIT_LIST):
            assert client.get(url).status_code == 200
