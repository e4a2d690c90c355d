"""The registry of an estate: units in natural order, searched by number and owner, and the pages
that add and correct units, owners and ownerships through the services (audited, in scope)."""

import importlib
import random
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _

from jiayuan.audit.models import AuditEvent
from jiayuan.core.text import natural_sort_key
from jiayuan.estates.models import Building, Owner, Ownership, Unit, unit_sort_key
from jiayuan.estates.selectors import unit_list
from jiayuan.estates.services import ownership_register, unit_add

pytestmark = pytest.mark.django_db

NATURAL = [
    ("1", "1-101"),
    ("1", "1-102"),
    ("1", "1-201"),
    ("1", "1-1001"),
    ("1", "2-101"),
    ("1", "2-1001"),
    ("1a", "1-101"),
    ("2", "1-101"),
    ("2", "10-101"),
    ("10", "1-101"),
]


def log_in(client, world, persona):
    client.force_login(world.users[persona])
    return client


def fill(actor, estate, rows):
    """Record the units in a shuffled order (ids must not decide the order)."""
    shuffled = list(rows)
    random.Random(7).shuffle(shuffled)
    for building, number in shuffled:
        unit_add(
            actor=actor,
            estate=estate,
            building_number=building,
            number=number,
            exclusive_area=Decimal("88.00"),
        )


def order_of(units):
    return [(unit.building.number, unit.number) for unit in units]


# --- natural order ----------------------------------------------------------------------------------


def test_numbers_in_a_text_sort_as_numbers():
    texts = ["1-1001", "1-101", "10", "2", "1-20", "1-3", "B2", "b10", "1", "01-2"]

    assert sorted(texts, key=natural_sort_key) == [
        "1",
        "01-2",
        "1-3",
        "1-20",
        "1-101",
        "1-1001",
        "2",
        "10",
        "B2",
        "b10",
    ]


def test_a_sort_key_is_ascii_digits_only_so_every_collation_orders_it_alike():
    for text in ["1-101", "甲栋", "A座", "٣", " 12 ", "x" * 20]:
        key = natural_sort_key(text)
        assert key.isascii() and key.isdigit()
    assert len(unit_sort_key("9" * 20, "甲" * 20)) <= Unit._meta.get_field("sort_key").max_length


def test_units_list_by_building_then_number_read_as_numbers(world, actor_of):
    estate = world.estates["estate_a2a"]
    Unit.objects.filter(estate=estate).delete()
    fill(actor_of("district_a_officer"), estate, NATURAL)

    units = unit_list(actor=actor_of("district_a_officer"), estate=estate)

    assert order_of(units) == NATURAL


def test_the_order_is_made_in_sql_on_the_sort_key(world, actor_of):
    sql = str(unit_list(actor=actor_of("city_admin"), estate=world.estates["estate_a1a"]).query)

    assert "sort_key" in sql.split("ORDER BY")[-1]


def test_correcting_a_unit_number_moves_it_to_its_place(world, actor_of):
    from jiayuan.estates.services import unit_update

    actor = actor_of("community_a1a_officer")
    estate = world.estates["estate_a1a"]
    unit = world.units["a1a_101"]

    unit_update(actor=actor, unit=unit, number="1001", reason="房号录错")

    assert [u.number for u in unit_list(actor=actor, estate=estate)] == ["102", "1001"]


def test_the_migration_gives_units_that_existed_their_sort_key(world):
    migration = importlib.import_module("jiayuan.estates.migrations.0003_unit_sort_key")
    Unit.objects.update(sort_key="")

    migration.fill_sort_keys(apps, None)

    for unit in Unit.objects.select_related("building"):
        assert unit.sort_key == unit_sort_key(unit.building.number, unit.number)


# --- search -----------------------------------------------------------------------------------------


def test_the_search_finds_a_unit_by_number_and_by_owners_name(world, actor_of):
    actor = actor_of("community_a1a_officer")
    estate = world.estates["estate_a1a"]

    assert [u.number for u in unit_list(actor=actor, estate=estate, search="102")] == ["102"]
    assert [u.number for u in unit_list(actor=actor, estate=estate, search="业主a1a101")] == ["101"]
    assert list(unit_list(actor=actor, estate=estate, search="没有这个人")) == []


def test_an_owner_cannot_find_a_neighbours_unit_by_name(world, actor_of):
    actor = actor_of("owner_of_a1a_101")
    estate = world.estates["estate_a1a"]

    assert list(unit_list(actor=actor, estate=estate, search="业主a1a102")) == []
    assert [u.number for u in unit_list(actor=actor, estate=estate, search="102")] == ["102"]


def test_the_estate_page_searches_and_shows_owners_masked(client, world):
    log_in(client, world, "community_a1a_officer")

    response = client.get(
        reverse("estates:detail", args=[world.estates["estate_a1a"].pk]), {"q": "业主a1a102"}
    )

    assert [u.number for u in response.context["units_page"]] == ["102"]
    html = response.content.decode().replace('value="业主a1a102"', "")  # less the search box's echo
    assert "业主a1a102" not in html
    assert '<span class="owner-name">业******2</span>' in html
    assert "139****5678" in html


def test_a_search_that_finds_nothing_says_so(client, world):
    log_in(client, world, "subdistrict_a1_officer")

    response = client.get(reverse("estates:detail", args=[world.estates["estate_a1a"].pk]), {"q": "9-999"})

    assert response.status_code == 200
    assert str(_("No unit matches the search.")) in response.content.decode()


def test_the_searched_estate_page_costs_the_same_queries_for_few_and_many_units(
    client, world, actor_of, django_assert_num_queries
):
    log_in(client, world, "community_a1a_officer")
    estate = world.estates["estate_a1a"]
    url = reverse("estates:detail", args=[estate.pk])
    client.get(url, {"q": "1"})  # warm the caches (policy, session)
    actor = actor_of("community_a1a_officer")

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"q": "1"}).status_code == 200
        return len(captured)

    few = queries()
    rows = [("3", f"1-{floor}01") for floor in range(1, 31)]
    fill(actor, estate, rows)
    for unit in Unit.objects.filter(building__number="3"):
        ownership_register(actor=actor, unit=unit, name=f"住户{unit.number}")
    assert queries() == few


# --- the registry's pages ---------------------------------------------------------------------------


def test_a_community_officer_adds_a_unit_in_a_new_building_and_it_is_audited(client, world):
    log_in(client, world, "community_a1a_officer")
    estate = world.estates["estate_a1a"]

    response = client.post(
        reverse("estates:unit_new", args=[estate.pk]),
        {"building_number": "5", "number": "2-1001", "exclusive_area": "96.50"},
    )

    assert response.status_code == 302
    unit = Unit.objects.get(estate=estate, number="2-1001")
    assert (unit.building.number, unit.exclusive_area) == ("5", Decimal("96.50"))
    assert unit.sort_key == unit_sort_key("5", "2-1001")
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["building.created", "unit.created"]


def test_a_unit_in_a_building_on_record_goes_into_it(client, world):
    log_in(client, world, "community_a1a_officer")
    estate = world.estates["estate_a1a"]

    client.post(
        reverse("estates:unit_new", args=[estate.pk]),
        {"building_number": "1", "number": "103", "exclusive_area": "90"},
    )

    assert Building.objects.filter(estate=estate).count() == 1
    assert Unit.objects.get(estate=estate, number="103").building.number == "1"


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"building_number": "1", "number": "", "exclusive_area": "90"}, "number", "此项为必填项"),
        ({"building_number": "1", "number": "9", "exclusive_area": "0"}, "exclusive_area", "0.01"),
        ({"building_number": "1", "number": "9", "exclusive_area": "九十"}, "exclusive_area", "输入一个数字"),
        ({"building_number": "1", "number": "101", "exclusive_area": "90"}, "number", "101"),
    ],
)
def test_bad_input_shows_a_form_error_in_chinese_and_writes_nothing(client, world, data, field, words):
    log_in(client, world, "community_a1a_officer")
    estate = world.estates["estate_a1a"]
    units, events = Unit.objects.count(), AuditEvent.objects.count()

    response = client.post(reverse("estates:unit_new", args=[estate.pk]), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert words in " ".join(errors[field])
    assert str(_("Please correct the errors below.")) in response.content.decode()
    assert (Unit.objects.count(), AuditEvent.objects.count()) == (units, events)


def test_the_form_wires_its_help_texts_to_the_fields(client, world):
    log_in(client, world, "community_a1a_officer")

    html = client.get(reverse("estates:unit_new", args=[world.estates["estate_a1a"].pk])).content.decode()

    assert 'aria-describedby="id_exclusive_area_helptext"' in html
    assert 'id="id_exclusive_area_helptext"' in html


def test_correcting_a_unit_is_audited_with_its_reason(client, world):
    log_in(client, world, "subdistrict_a1_officer")
    unit = world.units["a1a_102"]

    response = client.post(
        reverse("estates:unit_edit", args=[unit.pk]),
        {"number": "102", "exclusive_area": "101.25", "reason": "测绘更正"},
    )

    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.exclusive_area == Decimal("101.25")
    event = AuditEvent.objects.filter(action="unit.updated").get()
    assert (event.reason, event.data) == ("测绘更正", {"exclusive_area": ["100.00", "101.25"]})


def test_adding_an_owner_records_the_ownership_masked_on_the_page(client, world):
    log_in(client, world, "community_a1a_officer")
    unit = world.units["a1a_102"]

    response = client.post(
        reverse("estates:ownership_new", args=[unit.pk]),
        {"name": "王晓明", "phone": "13800001111", "id_number": "", "since": "2025-06-01"},
        follow=True,
    )

    owner = Owner.objects.get(name="王晓明")
    assert Ownership.objects.filter(owner=owner, unit=unit).exists()
    assert AuditEvent.objects.filter(
        action="ownership.registered", object_id=str(owner.ownerships.get().pk)
    ).exists()
    html = response.content.decode()
    assert "王晓明" not in html
    assert "王*明" in html


def test_an_owner_on_record_by_id_number_is_not_entered_twice(client, world):
    log_in(client, world, "community_a1a_officer")
    unit = world.units["a1a_102"]
    Ownership.objects.filter(unit=unit).delete()
    owner = world.owners["a1a_101"]

    client.post(
        reverse("estates:ownership_new", args=[unit.pk]),
        {"name": "别的名字", "id_number": owner.id_number},
    )

    assert Ownership.objects.get(unit=unit).owner == owner


def test_the_same_owner_twice_on_a_unit_is_a_form_error(client, world):
    log_in(client, world, "community_a1a_officer")
    owner = world.owners["a1a_101"]

    response = client.post(
        reverse("estates:ownership_new", args=[world.units["a1a_101"].pk]),
        {"name": "业主", "id_number": owner.id_number},
    )

    assert response.status_code == 200
    assert response.context["form"].errors


def test_ending_an_ownership_needs_a_reason_and_is_audited(client, world):
    log_in(client, world, "community_a1a_officer")
    ownership = Ownership.objects.get(unit=world.units["a1a_102"])
    url = reverse("estates:ownership_end", args=[ownership.pk])

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and "reason" in refused.context["form"].errors
    assert Ownership.objects.filter(pk=ownership.pk).exists()

    assert client.post(url, {"reason": "房屋已出售"}).status_code == 302
    assert not Ownership.objects.filter(pk=ownership.pk).exists()
    assert AuditEvent.objects.get(action="ownership.ended").reason == "房屋已出售"


def test_correcting_an_ownership_date_and_an_owners_kind(client, world):
    log_in(client, world, "community_a1a_officer")
    ownership = Ownership.objects.get(unit=world.units["a1a_102"])

    client.post(reverse("estates:ownership_edit", args=[ownership.pk]), {"since": "2020-01-02"})
    client.post(reverse("estates:owner_edit", args=[ownership.owner_id]), {"kind": "organisation"})

    ownership.refresh_from_db()
    assert str(ownership.since) == "2020-01-02"
    assert Owner.objects.get(pk=ownership.owner_id).kind == "organisation"
    assert {"ownership.updated", "owner.updated"} <= set(AuditEvent.objects.values_list("action", flat=True))


@pytest.mark.parametrize("route", ["unit_edit", "ownership_new"])
def test_a_unit_outside_the_scope_is_404_like_a_missing_one(client, world, route):
    log_in(client, world, "community_a1a_officer")

    assert client.get(reverse(f"estates:{route}", args=[world.units["b1a_101"].pk])).status_code == 404
    assert client.get(reverse(f"estates:{route}", args=[987654321])).status_code == 404


@pytest.mark.parametrize(
    "persona", ["enterprise_x_staff", "owner_of_a1a_101", "committee_a1a_member", "auditor"]
)
def test_roles_that_may_not_write_the_registry_are_refused(client, world, persona):
    log_in(client, world, persona)
    estate = world.estates["estate_a1a"]

    response = client.post(
        reverse("estates:unit_new", args=[estate.pk]),
        {"building_number": "1", "number": "9", "exclusive_area": "90"},
    )

    assert response.status_code == 403
    assert not Unit.objects.filter(number="9").exists()


@pytest.mark.parametrize(
    ("persona", "links"), [("community_a1a_officer", True), ("enterprise_x_staff", False)]
)
def test_the_estate_page_offers_the_registry_forms_to_those_who_may_write(client, world, persona, links):
    log_in(client, world, persona)
    estate = world.estates["estate_a1a"]

    html = client.get(reverse("estates:detail", args=[estate.pk])).content.decode()

    assert (reverse("estates:unit_new", args=[estate.pk]) in html) is links
    assert (reverse("estates:unit_edit", args=[world.units["a1a_101"].pk]) in html) is links


def test_the_estate_page_lists_buildings_with_numbers_read_as_numbers(client, world, actor_of):
    estate = world.estates["estate_a2a"]
    fill(actor_of("district_a_officer"), estate, [("10", "101"), ("2", "101"), ("1a", "101")])
    log_in(client, world, "district_a_officer")

    response = client.get(reverse("estates:detail", args=[estate.pk]))

    assert [b.number for b in response.context["buildings"]] == ["1", "1a", "2", "10"]
