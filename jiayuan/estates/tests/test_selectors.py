"""Estate reads: scoped, annotated, and a constant number of queries however many rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiayuan.enterprises.models import ServiceContract
from jiayuan.estates.models import Estate
from jiayuan.estates.selectors import estate_detail, estate_list, owner_list, unit_list

pytestmark = pytest.mark.django_db


def grow(world, total: int) -> None:
    """Bring community A1a to `total` extra estates, each served by enterprise X today."""
    have = Estate.objects.filter(name__startswith="批量").count()
    community = world.regions["com_a1a"]
    estates = Estate.objects.bulk_create(
        Estate(
            name=f"批量{n:03d}",
            address="批量路",
            community=community,
            management_mode="enterprise",
            estate_type="commercial",
        )
        for n in range(have, total)
    )
    start = timezone.localdate() - dt.timedelta(days=10)
    ServiceContract.objects.bulk_create(
        ServiceContract(
            enterprise=world.enterprises["enterprise_x"],
            estate=estate,
            kind="regular",
            start_date=start,
            service_grade=2,
            fee_per_m2_month=Decimal("1.00"),
        )
        for estate in estates
    )


def queries_to_show(rows) -> int:
    """Queries to evaluate the list and read what the estate list page shows of each row."""
    with CaptureQueriesContext(connection) as captured:
        for estate in rows:
            _ = (estate.community.name, estate.community.parent.name, estate.enterprise_name_now)
    return len(captured)


@pytest.mark.parametrize("persona", ["district_a_officer", "enterprise_x_staff"])
def test_the_estate_list_costs_one_query_for_10_or_100_estates(world, actor_of, persona):
    actor = actor_of(persona)
    grow(world, 10)
    assert queries_to_show(estate_list(actor=actor)) == 1
    grow(world, 100)
    rows = estate_list(actor=actor)
    assert queries_to_show(rows) == 1
    assert len(rows) >= 100


def test_the_estate_list_names_todays_enterprise(world, actor_of):
    rows = {e.pk: e for e in estate_list(actor=actor_of("city_admin"))}
    a1a = rows[world.estates["estate_a1a"].pk]
    assert (a1a.enterprise_id_now, a1a.enterprise_name_now) == (
        world.enterprises["enterprise_x"].pk,
        world.enterprises["enterprise_x"].name,
    )


def test_the_estate_list_is_scoped(world, actor_of):
    assert {e.name for e in estate_list(actor=actor_of("district_b_officer"))} == {"阅海湾"}


def test_an_estate_out_of_scope_is_missing_in_detail(world, actor_of):
    with pytest.raises(Estate.DoesNotExist):
        estate_detail(actor=actor_of("district_b_officer"), pk=world.estates["estate_a1a"].pk)
    estate = estate_detail(actor=actor_of("district_a_officer"), pk=world.estates["estate_a1a"].pk)
    building = estate.buildings.all()[0]
    assert (building.unit_total, building.area_total) == (2, Decimal("200.00"))


def test_units_and_owners_are_scoped(world, actor_of):
    b1a = world.estates["estate_b1a"]
    assert not unit_list(actor=actor_of("district_a_officer"), estate=b1a).exists()
    assert unit_list(actor=actor_of("district_b_officer"), estate=b1a).count() == 2
    names = {o.name for o in owner_list(actor=actor_of("community_a1a_officer"))}
    assert names == {"业主a1a101", "业主a1a102"}
    assert not owner_list(actor=actor_of("owner_of_a1a_101")).exists()


def owners_listed(rows) -> set[str]:
    return {ownership.owner.name for unit in rows for ownership in unit.ownerships.all()}


def test_the_unit_list_shows_owners_only_to_those_who_may_see_them(world, actor_of):
    a1a = world.estates["estate_a1a"]
    assert owners_listed(unit_list(actor=actor_of("community_a1a_officer"), estate=a1a)) == {
        "业主a1a101",
        "业主a1a102",
    }
    for persona in ("owner_of_a1a_101", "committee_a1a_member"):
        units = unit_list(actor=actor_of(persona), estate=a1a)
        assert len(units) == 2
        assert owners_listed(units) == set(), persona


def test_the_unit_list_costs_two_queries(world, actor_of, django_assert_num_queries):
    actor = actor_of("district_a_officer")
    with django_assert_num_queries(2):  # units, then their ownerships with owners
        owners_listed(unit_list(actor=actor, estate=world.estates["estate_a1a"]))
