"""Open311 given what a fuzzer sends: every answer is a GeoReport error body, never a server error."""

from __future__ import annotations

from typing import Any

import pytest

from jiayuan.open311.tests import test_open311 as spec
from jiayuan.open311.tests.test_open311 import BASE, assert_spec_error

pytestmark = pytest.mark.django_db

# The filing fixtures, re-exported so that pytest finds them in this module.
hotline_key = spec.hotline_key
post = spec.post


@pytest.mark.parametrize(
    ("lat", "long"),
    [("nan", "106.2"), ("38.4", "inf"), ("1e309", "106.2"), ("-inf", "-inf"), ("91", "106.2"), ("38", "181")],
)
def test_a_lat_or_long_that_is_not_a_place_on_earth_is_a_400(post: Any, lat: str, long: str) -> None:
    assert "lat" in assert_spec_error(post(lat=lat, long=long), 400)


@pytest.mark.parametrize("address_id", ["²", "٣", "9" * 25, "-1", "1.5"])
def test_an_address_id_that_is_no_id_is_an_unknown_address(post: Any, address_id: str) -> None:
    assert "address_id" in assert_spec_error(post(address_id=address_id), 400)


def test_a_request_with_thousands_of_fields_is_a_400_in_the_spec_body(client: Any, hotline_key: str) -> None:
    data = {f"f{number}": "x" for number in range(2000)}
    data.update({"api_key": hotline_key, "service_code": "everyday_cleaning"})
    assert_spec_error(client.post(f"{BASE}/requests.json", data), 400)
    assert_spec_error(client.get(f"{BASE}/requests.json", data), 400)


@pytest.mark.parametrize(
    "start_date", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+08:00", "0001-01-01", "10000-01-01"]
)
def test_dates_out_of_range_are_a_400_naming_the_parameter(client: Any, world: Any, start_date: str) -> None:
    response = client.get(f"{BASE}/requests.json", {"start_date": start_date})
    assert "start_date" in assert_spec_error(response, 400)


def test_one_description_with_a_control_character_leaves_the_xml_feed_parseable(
    client: Any, world: Any
) -> None:
    from xml.etree import ElementTree

    from jiayuan.cases.models import Case
    from jiayuan.open311.tests.test_open311 import file_case

    case = file_case(world.estates["estate_a1a"])
    Case.objects.filter(pk=case.pk).update(description="楼道\x0b垃圾")  # written before the refusal existed
    response = client.get(f"{BASE}/requests.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert "楼道垃圾" in [element.text for element in root.iter("description")]


def test_filing_with_a_control_character_is_refused_naming_the_field(post: Any, world: Any) -> None:
    estate = world.estates["estate_a1a"].pk
    description = assert_spec_error(post(description="楼道\x0b垃圾", address_id=str(estate)), 400)
    assert "description" in description
