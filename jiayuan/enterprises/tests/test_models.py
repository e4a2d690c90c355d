"""The database itself refuses a second contract in force for an estate, whoever writes the row.

(An exclusion constraint on PostgreSQL, triggers on SQLite: migrations/0002_contract_no_overlap.py.)
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from jiayuan.enterprises.choices import ContractStatus
from jiayuan.enterprises.models import Enterprise, ServiceContract
from jiayuan.testing.world import estate

pytestmark = pytest.mark.django_db

D = dt.date(2030, 1, 1)


def day(n: int | None) -> dt.date | None:
    return None if n is None else D + dt.timedelta(days=n)


@pytest.fixture
def bare_estate(world):
    return estate("新月家园", world.regions["com_a1a"])


@pytest.fixture
def insert(world, bare_estate):
    """Write a contract row directly, as a careless script would."""

    def insert(start: int, end: int | None, status: str = ContractStatus.ACTIVE, **extra):
        return ServiceContract.objects.create(
            enterprise=extra.pop("enterprise", world.enterprises["enterprise_y"]),
            estate=extra.pop("estate", bare_estate),
            kind="regular",
            start_date=day(start),
            end_date=day(end),
            service_grade=2,
            fee_per_m2_month=Decimal("1.50"),
            status=status,
            **extra,
        )

    return insert


def refused(write) -> bool:
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ((0, None), (100, 200)),
        ((0, None), (-100, None)),
        ((0, 100), (100, 200)),  # touching: the end day of one is the start day of the other
        ((100, 200), (0, 100)),
        ((0, 365), (10, 20)),
        ((10, 20), (0, 365)),
        ((0, 100), (50, 150)),
        ((0, 0), (0, 0)),
    ],
)
def test_the_database_refuses_an_overlapping_insert(insert, bare_estate, first, second):
    insert(*first)
    assert refused(lambda: insert(*second))
    assert ServiceContract.objects.filter(estate=bare_estate).count() == 1


@pytest.mark.parametrize("status", [ContractStatus.ACTIVE, ContractStatus.TERMINATED])
def test_a_terminated_contract_still_counts_in_its_term(insert, status):
    insert(0, 100, status=status)
    assert refused(lambda: insert(50, None))


@pytest.mark.parametrize(("first", "second"), [((0, 100), (101, None)), ((101, None), (0, 100))])
def test_the_database_accepts_contracts_back_to_back(insert, bare_estate, first, second):
    insert(*first)
    insert(*second)
    assert ServiceContract.objects.filter(estate=bare_estate).count() == 2


def test_void_contracts_never_count(insert, bare_estate):
    insert(0, None, status=ContractStatus.VOID)
    insert(0, None)
    insert(10, 20, status=ContractStatus.VOID)
    assert ServiceContract.objects.filter(estate=bare_estate).count() == 3


def test_overlap_is_per_estate(insert, world):
    insert(0, None)
    insert(0, None, estate=estate("另一园", world.regions["com_a1a"]))


def test_the_database_refuses_an_update_that_creates_an_overlap(insert):
    first = insert(0, 100)
    second = insert(101, 200)
    first.end_date = day(150)
    assert refused(lambda: first.save(update_fields=["end_date"]))
    assert refused(lambda: ServiceContract.objects.filter(pk=second.pk).update(start_date=day(100)))
    assert refused(lambda: ServiceContract.objects.filter(pk=first.pk).update(end_date=None))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.end_date, second.start_date) == (day(100), day(101))


def test_the_database_refuses_reviving_a_void_contract_into_an_overlap(insert):
    insert(0, None)
    void = insert(10, 20, status=ContractStatus.VOID)
    assert refused(lambda: ServiceContract.objects.filter(pk=void.pk).update(status=ContractStatus.ACTIVE))


def test_the_database_refuses_moving_a_contract_onto_a_served_estate(insert, world, bare_estate):
    insert(0, None)
    other = insert(0, None, estate=estate("另一园", world.regions["com_a1a"]))
    assert refused(lambda: ServiceContract.objects.filter(pk=other.pk).update(estate=bare_estate))


def test_a_contract_may_be_updated_without_touching_its_dates(insert):
    contract = insert(0, None)
    contract.fee_per_m2_month = Decimal("1.80")
    contract.save(update_fields=["fee_per_m2_month"])
    ServiceContract.objects.filter(pk=contract.pk).update(status=ContractStatus.TERMINATED, end_date=day(30))


def test_the_database_refuses_an_end_before_the_start(insert):
    assert refused(lambda: insert(10, 5))


def test_in_force_on_follows_status_and_dates(insert):
    contract = insert(0, 100)
    assert contract.in_force_on(day(0)) and contract.in_force_on(day(100))
    assert not contract.in_force_on(day(-1)) and not contract.in_force_on(day(101))
    in_force = ServiceContract.objects.in_force_on
    assert in_force(day(100)).filter(pk=contract.pk).exists()
    assert not in_force(day(101)).filter(pk=contract.pk).exists()
    contract.status = ContractStatus.VOID
    assert not contract.in_force_on(day(50))


def test_a_void_contract_does_not_make_an_enterprise_visible(world, actor_of):
    ServiceContract.objects.create(
        enterprise=world.enterprises["enterprise_z"],
        estate=world.estates["estate_b1a"],
        kind="regular",
        start_date=day(0),
        end_date=day(10),
        service_grade=1,
        fee_per_m2_month=Decimal("1.00"),
        status=ContractStatus.VOID,
    )
    visible = Enterprise.objects.visible_to(actor_of("district_b_officer"))
    assert not visible.filter(pk=world.enterprises["enterprise_z"].pk).exists()
