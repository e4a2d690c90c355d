"""Enterprise and contract reads: scoped, and a constant number of queries however many rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiayuan.enterprises.models import Enterprise, ServiceContract
from jiayuan.enterprises.selectors import contract_list, enterprise_list
from jiayuan.enterprises.uscc import build_uscc
from jiayuan.estates.models import Estate
from jiayuan.testing.world import estate

pytestmark = pytest.mark.django_db


def grow(world, total: int) -> None:
    """Bring district A to `total` extra enterprises, and enterprise X to `total` extra contracts."""
    have = Enterprise.objects.filter(name__startswith="批量").count()
    Enterprise.objects.bulk_create(
        Enterprise(
            uscc=build_uscc("640104", f"GR{n:07d}"),
            name=f"批量物业{n:03d}",
            registered_region=world.regions["district_a"],
        )
        for n in range(have, total)
    )
    start = timezone.localdate() - dt.timedelta(days=10)
    for n in range(have, total):
        ServiceContract.objects.create(
            enterprise=world.enterprises["enterprise_x"],
            estate=estate(f"批量园{n:03d}", world.regions["com_a1b"]),
            kind="regular",
            start_date=start,
            service_grade=2,
            fee_per_m2_month=Decimal("1.00"),
        )


def queries(rows, show) -> int:
    with CaptureQueriesContext(connection) as captured:
        for row in rows:
            show(row)
    return len(captured)


def show_enterprise(enterprise) -> None:
    _ = (enterprise.name, enterprise.registered_region and enterprise.registered_region.name)
    _ = enterprise.estates_served


def show_contract(contract) -> None:
    _ = (contract.enterprise.name, contract.estate.name, contract.project_manager)


@pytest.mark.parametrize("persona", ["district_a_officer", "enterprise_x_staff"])
def test_the_enterprise_list_costs_one_query_for_10_or_100_rows(world, actor_of, persona):
    actor = actor_of(persona)
    grow(world, 10)
    assert queries(enterprise_list(actor=actor), show_enterprise) == 1
    grow(world, 100)
    assert queries(enterprise_list(actor=actor), show_enterprise) == 1


@pytest.mark.parametrize("persona", ["district_a_officer", "enterprise_x_staff"])
def test_the_contract_list_costs_one_query_for_10_or_100_rows(world, actor_of, persona):
    actor = actor_of(persona)
    grow(world, 10)
    assert queries(contract_list(actor=actor), show_contract) == 1
    grow(world, 100)
    rows = contract_list(actor=actor)
    assert queries(rows, show_contract) == 1
    assert len(rows) >= 100


def test_the_enterprise_list_counts_the_estates_served_today(world, actor_of):
    served = {e.pk: e.estates_served for e in enterprise_list(actor=actor_of("city_admin"))}
    ents = world.enterprises
    assert served == {ents["enterprise_x"].pk: 2, ents["enterprise_y"].pk: 1, ents["enterprise_z"].pk: 1}


def test_an_ended_contract_is_not_counted_as_serving(world, actor_of):
    contract = world.contracts["a1b"]
    ServiceContract.objects.filter(pk=contract.pk).update(
        status="terminated", end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    served = {e.pk: e.estates_served for e in enterprise_list(actor=actor_of("city_admin"))}
    assert served[world.enterprises["enterprise_y"].pk] == 0


def test_enterprise_staff_see_only_their_own_enterprise_and_contracts(world, actor_of):
    actor = actor_of("enterprise_x_staff")
    assert [e.name for e in enterprise_list(actor=actor)] == [world.enterprises["enterprise_x"].name]
    assert {c.enterprise_id for c in contract_list(actor=actor)} == {world.enterprises["enterprise_x"].pk}


def test_the_contract_list_is_scoped(world, actor_of):
    estates = {c.estate_id for c in contract_list(actor=actor_of("district_b_officer"))}
    assert estates == {world.estates["estate_b1a"].pk}
    assert Estate.objects.count() == 4
