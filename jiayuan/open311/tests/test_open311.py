"""Open311 GeoReport v2: what a 12345 hotline system or any Open311 client sees and may do."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from jiayuan.audit.models import AuditEvent
from jiayuan.cases.models import Case
from jiayuan.cases.services import case_file
from jiayuan.core.actor import system_actor
from jiayuan.estates.models import Estate
from jiayuan.open311.services import api_client_create
from jiayuan.policy.loader import active_preset
from jiayuan.testing.world import World

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
PHONE = "13987654321"


@pytest.fixture
def hotline_key(world: World) -> str:
    """The key of the district A 12345 hotline: it may file for district A's estates only."""
    _client, key = api_client_create(
        actor=system_actor(), name="兴庆区12345", region=world.regions["district_a"]
    )
    return key


@pytest.fixture
def post(client: Client, hotline_key: str) -> Callable[..., Any]:
    def send(**fields: str) -> Any:
        data = {"api_key": hotline_key, "service_code": "everyday_cleaning", "description": "楼道垃圾堆积"}
        data.update(fields)
        return client.post(f"{BASE}/requests.json", data)

    return send


def file_case(estate: Estate, category: str = "everyday_cleaning", **extra: Any) -> Case:
    return case_file(
        actor=system_actor(),
        estate=estate,
        category=category,
        description="电梯故障",
        source="hotline_12345",
        complainant_name="张三丰",
        complainant_phone=PHONE,
        **extra,
    )


def assert_spec_error(response: Any, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, list) and body[0]["code"] == status
    return str(body[0]["description"])


# --- services --------------------------------------------------------------------------------------


def test_services_list_is_the_catalogue_of_the_active_preset(client, world):
    preset = active_preset()
    services = client.get(f"{BASE}/services.json").json()
    assert [s["service_code"] for s in services] == list(preset.categories)
    cleaning = next(s for s in services if s["service_code"] == "everyday_cleaning")
    category = preset.categories["everyday_cleaning"]
    assert cleaning["service_name"] == category.name
    assert cleaning["group"] == preset.category_groups[category.group].name
    assert cleaning["metadata"] is False and cleaning["type"] == "realtime"


def test_a_service_definition_has_no_attributes_and_an_unknown_one_is_a_spec_404(client, world):
    assert client.get(f"{BASE}/services/everyday_cleaning.json").json() == {
        "service_code": "everyday_cleaning",
        "attributes": [],
    }
    assert_spec_error(client.get(f"{BASE}/services/no_such_thing.json"), 404)


def test_services_are_also_served_as_xml(client, world):
    response = client.get(f"{BASE}/services.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "services"
    assert root.find("service/metadata").text == "false"  # type: ignore[union-attr]


def test_an_unknown_path_is_a_spec_404_not_html(client, world):
    assert_spec_error(client.get(f"{BASE}/nothing-here"), 404)


# --- filing ----------------------------------------------------------------------------------------


def test_a_post_with_a_valid_key_files_an_api_case_with_the_complainant_kept(post, world):
    estate = world.estates["estate_a1a"]
    response = post(address_id=str(estate.pk), first_name="丰", last_name="张", phone=PHONE, account_id="u7")
    assert response.status_code == 200, response.content
    [row] = response.json()
    case = Case.objects.get(number=row["service_request_id"])
    assert row["account_id"] == "u7"
    assert (case.estate, case.source, case.urgency) == (estate, "api", "normal")
    assert (case.complainant_name, case.complainant_phone) == ("张丰", PHONE)
    assert case.events.get().actor_name == "open311:兴庆区12345"
    assert AuditEvent.objects.filter(action="case.filed", object_id=str(case.pk)).exists()


def test_a_bad_key_is_refused_with_a_spec_403(post, world):
    estate = world.estates["estate_a1a"]
    assert_spec_error(post(api_key="wrong", address_id=str(estate.pk)), 403)
    assert_spec_error(post(api_key="", address_id=str(estate.pk)), 403)
    assert not Case.objects.exists()


def test_a_key_files_nothing_for_an_estate_outside_its_region(post, world):
    assert_spec_error(post(address_id=str(world.estates["estate_b1a"].pk)), 403)
    assert not Case.objects.exists()


def test_an_unknown_service_code_is_a_spec_400(post, world):
    assert "no_such" in assert_spec_error(
        post(service_code="no_such", address_id=str(world.estates["estate_a1a"].pk)), 400
    )


def test_a_post_without_a_location_is_a_spec_400(post, world):
    assert_spec_error(post(), 400)
    assert_spec_error(post(address_id="999999"), 400)


def test_the_estate_is_found_from_lat_long_within_a_small_radius(post, world):
    Estate.objects.filter(pk=world.estates["estate_a1b"].pk).update(
        latitude=Decimal("38.487000"), longitude=Decimal("106.230000")
    )
    Estate.objects.filter(pk=world.estates["estate_a2a"].pk).update(
        latitude=Decimal("38.489000"), longitude=Decimal("106.230000")
    )
    response = post(lat="38.4872", long="106.2301")  # ~25 m from a1b, ~200 m from a2a
    assert response.status_code == 200, response.content
    assert Case.objects.get().estate == world.estates["estate_a1b"]
    assert_spec_error(post(lat="38.60", long="106.23"), 400)  # kilometres from any estate


def test_the_estate_is_found_from_the_address_string(post, world):
    estate = world.estates["estate_a2a"]
    response = post(address_string=estate.address)
    assert response.status_code == 200, response.content
    assert Case.objects.get().estate == estate
    assert_spec_error(post(address_string="火星路"), 400)


def test_a_suspected_duplicate_is_a_spec_400_naming_the_open_request(post, world):
    open_case = file_case(world.estates["estate_a1a"])
    text = assert_spec_error(post(address_id=str(world.estates["estate_a1a"].pk)), 400)
    assert open_case.number in text
    assert Case.objects.count() == 1


# --- reading ---------------------------------------------------------------------------------------


def test_reads_show_public_fields_and_no_personal_data(client, world):
    case = file_case(world.estates["estate_a1a"])
    Case.objects.filter(pk=case.pk).update(moderated_description="（内容已隐藏）")
    for url in (f"{BASE}/requests/{case.number}.json", f"{BASE}/requests.json"):
        response = client.get(url)
        text = response.content.decode()
        assert PHONE not in text and "张三丰" not in text and "电梯故障" not in text
        [row] = response.json()
        assert row["service_request_id"] == case.number
        assert row["status"] == "open"
        assert row["description"] == "（内容已隐藏）"
        assert row["address_id"] == world.estates["estate_a1a"].pk
        assert row["address"] == world.estates["estate_a1a"].address
        assert row["media_url"] == ""
    assert_spec_error(client.get(f"{BASE}/requests/YC-0000-000000.json"), 404)
    xml = ElementTree.fromstring(client.get(f"{BASE}/requests/{case.number}.xml").content)
    assert xml.find("request/service_request_id").text == case.number  # type: ignore[union-attr]
    assert PHONE.encode() not in client.get(f"{BASE}/requests.xml").content
    error = ElementTree.fromstring(client.get(f"{BASE}/requests/nothing.xml").content)
    assert error.tag == "errors" and error.find("error/code").text == "404"  # type: ignore[union-attr]


def test_requests_filter_by_status_service_code_dates_and_ids(client, world):
    now = timezone.now()
    old = file_case(world.estates["estate_a1b"], now=now - dt.timedelta(days=200))
    recent = file_case(world.estates["estate_a1a"], now=now - dt.timedelta(days=5))
    other = file_case(world.estates["estate_a2a"], category="everyday_noise")
    Case.objects.filter(pk=other.pk).update(state="closed_out", outcome="fixed")

    def ids(query: str) -> set[str]:
        response = client.get(f"{BASE}/requests.json?{query}")
        assert response.status_code == 200, response.content
        return {row["service_request_id"] for row in response.json()}

    assert ids("") == {recent.number, other.number}  # the last 90 days by default
    assert ids("status=open") == {recent.number}
    assert ids("status=closed") == {other.number}
    assert ids("service_code=everyday_noise") == {other.number}
    start = (now - dt.timedelta(days=300)).date().isoformat()
    end = (now - dt.timedelta(days=100)).date().isoformat()
    assert ids(f"start_date={start}&end_date={end}") == {old.number}
    assert ids(f"service_request_id={old.number},{other.number}") == {old.number, other.number}
    assert_spec_error(client.get(f"{BASE}/requests.json?status=pending"), 400)
    assert_spec_error(client.get(f"{BASE}/requests.json?start_date=yesterday"), 400)


def test_tokens_are_not_issued_so_a_token_is_a_spec_404(client, world):
    assert_spec_error(client.get(f"{BASE}/tokens/abc.json"), 404)


# --- the key ---------------------------------------------------------------------------------------


def test_create_api_client_prints_a_key_that_files_cases(client, world):
    out = StringIO()
    call_command("create_api_client", "金凤区12345", "--region", world.regions["district_b"].code, stdout=out)
    key = out.getvalue().strip()
    estate = world.estates["estate_b1a"]
    response = client.post(
        f"{BASE}/requests.json",
        {"api_key": key, "service_code": "everyday_cleaning", "description": "垃圾", "address_id": estate.pk},
    )
    assert response.status_code == 200, response.content
    assert AuditEvent.objects.filter(action="open311.api_client.created").exists()


# --- over real HTTP --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_client_files_and_follows_a_case_over_http(live_server, world):
    _client, key = api_client_create(actor=system_actor(), name="12345", region=world.regions["city"])
    estate = world.estates["estate_b1a"]
    with httpx.Client(base_url=f"{live_server.url}{BASE}", timeout=10) as http:
        posted = http.post(
            "/requests.json",
            data={
                "api_key": key,
                "service_code": "everyday_cleaning",
                "address_id": str(estate.pk),
                "description": "楼道堆放杂物",
                "first_name": "四",
                "last_name": "李",
                "phone": PHONE,
            },
        )
        assert posted.status_code == 200, posted.text
        number = posted.json()[0]["service_request_id"]
        read = http.get(f"/requests/{number}.json")
        assert read.status_code == 200
        assert PHONE not in read.text and "李四" not in read.text
        assert json.loads(read.text)[0]["service_code"] == "everyday_cleaning"
        refused = http.post("/requests.json", data={"api_key": "nope", "service_code": "everyday_cleaning"})
        assert refused.status_code == 403 and refused.json()[0]["code"] == 403


def test_the_admin_creates_a_client_through_the_service_and_shows_the_key_once(client, world):
    from jiayuan.accounts.models import User
    from jiayuan.open311.models import ApiClient

    admin_user = User.objects.create_superuser(username="root", password="x-very-long-9")
    client.force_login(admin_user)
    response = client.post(
        "/admin/open311/apiclient/add/",
        {"name": "市12345", "region": world.regions["city"].pk},
        follow=True,
    )
    assert response.status_code == 200
    api_client = ApiClient.objects.get(name="市12345")
    shown = [str(m) for m in response.context["messages"]]
    assert any(api_client.key_prefix in text for text in shown)
    assert AuditEvent.objects.filter(action="open311.api_client.created", actor_username="root").exists()


def test_a_deactivated_key_and_a_missing_description_are_refused(post, world, hotline_key):
    from jiayuan.open311.models import ApiClient

    estate_id = str(world.estates["estate_a1a"].pk)
    assert_spec_error(post(address_id=estate_id, description="  "), 400)
    ApiClient.objects.update(active=False)
    assert_spec_error(post(address_id=estate_id), 403)
    assert not Case.objects.exists()


def test_other_methods_are_a_spec_405(client, world):
    assert_spec_error(client.delete(f"{BASE}/requests.json"), 405)
    assert_spec_error(client.post(f"{BASE}/services.json"), 405)
