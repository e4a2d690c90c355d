"""The helpers every service uses: scope checks on the object acted on, and validation naming the field."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from jiayuan.core.exceptions import Conflict, DomainError
from jiayuan.core.services import require_in_scope, require_region_in_scope, validate
from jiayuan.enterprises.models import Enterprise, ServiceContract
from jiayuan.estates.models import Building, Estate

pytestmark = pytest.mark.django_db


def test_an_object_out_of_scope_is_not_found(world, actor_of):
    require_in_scope(actor_of("district_a_officer"), world.estates["estate_a1a"])
    with pytest.raises(Http404):
        require_in_scope(actor_of("district_b_officer"), world.estates["estate_a1a"])


def test_a_region_out_of_scope_is_not_found(world, actor_of):
    require_region_in_scope(actor_of("district_a_officer"), world.regions["com_a2a"].path)
    with pytest.raises(Http404):
        require_region_in_scope(actor_of("district_a_officer"), world.regions["com_b1a"].path)
    with pytest.raises(Http404):
        require_region_in_scope(actor_of("district_a_officer"), world.regions["city"].path)


def test_a_bad_field_is_named(world):
    estate = Estate(community=world.regions["com_a1a"], name="新园", address="路", estate_type="commercial")
    with pytest.raises(DomainError) as refused:
        validate(estate)
    assert refused.value.field == "management_mode"
    assert refused.value.code == "invalid"
    assert "management_mode" in refused.value.details


def test_a_clash_on_a_unique_field_is_a_conflict_on_that_field(world):
    taken = Enterprise(uscc=world.enterprises["enterprise_x"].uscc, name="重名")
    with pytest.raises(Conflict) as refused:
        validate(taken)
    assert refused.value.field == "uscc"


def test_a_clash_on_several_fields_is_a_conflict_on_the_last_of_them(world):
    building = Building(estate=world.estates["estate_a1a"], number="1")
    with pytest.raises(Conflict) as refused:
        validate(building)
    assert refused.value.field == "number"


def test_a_broken_rule_across_fields_names_no_field(world):
    contract = ServiceContract(
        enterprise=world.enterprises["enterprise_x"],
        estate=world.estates["estate_a1a"],
        kind="regular",
        start_date=dt.date(2030, 1, 2),
        end_date=dt.date(2030, 1, 1),
        service_grade=1,
        fee_per_m2_month=Decimal("1.00"),
    )
    with pytest.raises(DomainError) as refused:
        validate(contract)
    assert not isinstance(refused.value, Conflict)
    assert refused.value.field is None


def test_excluded_fields_are_not_checked(world):
    estate = Estate(community=world.regions["com_a1a"], name="新园", address="路", estate_type="commercial")
    validate(estate, exclude=["management_mode"])
