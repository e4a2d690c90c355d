"""Enterprises and service contracts: who may register them, and the one-contract-in-force rule."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import translation

from jiayuan.audit.models import AuditEvent
from jiayuan.core.exceptions import Conflict, DomainError, NotPermitted
from jiayuan.enterprises import services
from jiayuan.enterprises.choices import ContractStatus
from jiayuan.enterprises.models import Enterprise, ProjectManager, ServiceContract
from jiayuan.enterprises.services import (
    contract_create,
    contract_terminate,
    enterprise_create,
    enterprise_update,
    project_manager_create,
)
from jiayuan.enterprises.uscc import build_uscc
from jiayuan.testing.world import estate

pytestmark = pytest.mark.django_db

D = dt.date(2030, 1, 1)


def valid_uscc(serial: str = "MA76XY01Q") -> str:
    return build_uscc("640104", serial)


def day(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


def snapshot():
    return (
        Enterprise.objects.count(),
        ServiceContract.objects.count(),
        ProjectManager.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def bare_estate(world):
    """An estate in community A1a with no contract yet."""
    return estate("新月家园", world.regions["com_a1a"])


@pytest.fixture
def officer(actor_of):
    return actor_of("district_a_officer")


@pytest.fixture
def sign(world, officer, bare_estate):
    """File a contract for the bare estate with enterprise Y, from day `start` to day `end` (None: open)."""

    def sign(start: int, end: int | None, **extra):
        fields = {
            "kind": "regular",
            "start_date": day(start),
            "end_date": None if end is None else day(end),
            "service_grade": 2,
            "fee_per_m2_month": Decimal("1.50"),
            **extra,
        }
        return contract_create(
            actor=officer, enterprise=world.enterprises["enterprise_y"], estate=bare_estate, **fields
        )

    return sign


class TestEnterpriseCreate:
    def test_it_registers_an_enterprise_with_a_normalised_code_and_one_audit_event(self, world, officer):
        code = valid_uscc()
        enterprise = enterprise_create(
            actor=officer,
            uscc=f" {code.lower()} ",
            name=" 新城物业 ",
            registered_region=world.regions["district_a"],
            phone="0951-1234567",
        )
        assert enterprise.uscc == code
        assert enterprise.name == "新城物业"
        assert enterprise.phone == "0951-1234567"
        events = AuditEvent.objects.order_by("id")
        assert [(e.action, e.object_id, e.data) for e in events] == [
            ("enterprise.created", str(enterprise.pk), {"uscc": code})
        ]

    def test_it_refuses_a_bad_code_naming_the_field_and_writes_nothing(self, world, officer):
        before = snapshot()
        bad = valid_uscc()[:-1] + ("1" if valid_uscc()[-1] != "1" else "2")
        with pytest.raises(DomainError) as refused:
            enterprise_create(
                actor=officer, uscc=bad, name="坏码物业", registered_region=world.regions["district_a"]
            )
        assert refused.value.field == "uscc"
        assert "GB 32100" in str(refused.value.message)
        assert snapshot() == before

    @pytest.mark.parametrize("bad", ["", "123", "91640104MA76XY01Q" + "I", "9164010400000000OO"])
    def test_it_refuses_malformed_codes_on_the_uscc_field(self, world, officer, bad):
        with pytest.raises(DomainError) as refused:
            enterprise_create(
                actor=officer, uscc=bad, name="坏码物业", registered_region=world.regions["district_a"]
            )
        assert refused.value.field == "uscc"
        assert not Enterprise.objects.filter(name="坏码物业").exists()

    def test_it_refuses_a_code_already_registered_as_a_conflict(self, world, officer):
        existing = world.enterprises["enterprise_x"].uscc
        before = snapshot()
        with pytest.raises(Conflict) as refused:
            enterprise_create(
                actor=officer,
                uscc=existing.lower(),
                name="冒名物业",
                registered_region=world.regions["district_a"],
            )
        assert refused.value.field == "uscc"
        assert refused.value.status == 409
        assert snapshot() == before

    def test_it_refuses_a_missing_name_on_the_name_field(self, world, officer):
        with pytest.raises(DomainError) as refused:
            enterprise_create(
                actor=officer, uscc=valid_uscc(), name="  ", registered_region=world.regions["district_a"]
            )
        assert refused.value.field == "name"
        assert not AuditEvent.objects.filter(action="enterprise.created").exists()

    def test_a_district_officer_must_name_the_registered_region(self, officer):
        before = snapshot()
        with translation.override("en"), pytest.raises(DomainError) as refused:
            enterprise_create(actor=officer, uscc=valid_uscc(), name="无籍物业")
        assert refused.value.field == "registered_region"
        assert "would not appear in your lists" in str(refused.value.message)
        assert snapshot() == before

    def test_a_city_admin_may_register_an_enterprise_without_a_region(self, actor_of):
        city_admin = actor_of("city_admin")
        enterprise = enterprise_create(actor=city_admin, uscc=valid_uscc(), name="外市物业")
        assert enterprise.registered_region is None
        assert Enterprise.objects.visible_to(city_admin).filter(pk=enterprise.pk).exists()

    def test_a_registered_region_outside_scope_is_not_found(self, world, actor_of):
        before = snapshot()
        with pytest.raises(Http404):
            enterprise_create(
                actor=actor_of("district_b_officer"),
                uscc=valid_uscc(),
                name="越界物业",
                registered_region=world.regions["district_a"],
            )
        assert snapshot() == before

    @pytest.mark.parametrize(
        "persona",
        [
            "enterprise_x_staff",
            "owner_of_a1a_101",
            "committee_a1a_member",
            "auditor",
            "police_a_officer",
            "subdistrict_a1_officer",
            "community_a1a_officer",
        ],
    )
    def test_roles_without_the_permission_are_refused(self, world, actor_of, persona):
        before = snapshot()
        with pytest.raises(NotPermitted):
            enterprise_create(
                actor=actor_of(persona),
                uscc=valid_uscc(),
                name="无权物业",
                registered_region=world.regions["com_a1a"],
            )
        assert snapshot() == before

    def test_the_enterprise_and_its_audit_event_commit_together(self, world, officer, monkeypatch):
        def failing_record_event(**kwargs):
            raise RuntimeError("audit store unavailable")

        monkeypatch.setattr(services, "record_event", failing_record_event)
        with pytest.raises(RuntimeError):
            enterprise_create(
                actor=officer,
                uscc=valid_uscc(),
                name="半截物业",
                registered_region=world.regions["district_a"],
            )
        assert not Enterprise.objects.filter(name="半截物业").exists()


class TestEnterpriseUpdate:
    def test_it_records_the_changed_fields_with_old_and_new_values(self, world, officer):
        enterprise = world.enterprises["enterprise_x"]
        enterprise_update(actor=officer, enterprise=enterprise, reason="换号", phone="0951-7654321")
        event = AuditEvent.objects.get(action="enterprise.updated")
        assert event.data == {"phone": ["", "0951-7654321"]}
        assert event.reason == "换号"
        enterprise.refresh_from_db()
        assert enterprise.phone == "0951-7654321"

    def test_an_update_that_changes_nothing_records_nothing(self, world, officer):
        enterprise = world.enterprises["enterprise_x"]
        enterprise_update(actor=officer, enterprise=enterprise, name=enterprise.name)
        assert not AuditEvent.objects.filter(action="enterprise.updated").exists()

    def test_the_code_cannot_be_changed_here(self, world, officer):
        with pytest.raises(DomainError) as refused:
            enterprise_update(actor=officer, enterprise=world.enterprises["enterprise_x"], uscc=valid_uscc())
        assert refused.value.field == "uscc"

    def test_an_enterprise_out_of_scope_is_not_found(self, world, actor_of):
        # Enterprise Z is registered in district A and serves only estate a2a.
        with pytest.raises(Http404):
            enterprise_update(
                actor=actor_of("district_b_officer"), enterprise=world.enterprises["enterprise_z"], phone="1"
            )


class TestProjectManagerCreate:
    def test_it_adds_a_manager_and_an_audit_event(self, world, officer):
        manager = project_manager_create(
            actor=officer, enterprise=world.enterprises["enterprise_z"], name="王经理"
        )
        assert manager.enterprise == world.enterprises["enterprise_z"]
        assert AuditEvent.objects.filter(action="project_manager.created", object_id=str(manager.pk)).exists()

    def test_an_enterprise_out_of_scope_is_not_found(self, world, actor_of):
        with pytest.raises(Http404):
            project_manager_create(
                actor=actor_of("district_b_officer"),
                enterprise=world.enterprises["enterprise_z"],
                name="王经理",
            )


class TestContractCreate:
    def test_it_files_a_contract_with_one_audit_event(self, world, sign, bare_estate):
        contract = sign(0, 365)
        assert contract.status == ContractStatus.ACTIVE
        event = AuditEvent.objects.get(action="contract.created")
        assert event.object_id == str(contract.pk)
        assert event.data == {
            "enterprise": world.enterprises["enterprise_y"].uscc,
            "estate": bare_estate.pk,
            "start": "2030-01-01",
            "end": "2031-01-01",
        }

    @pytest.mark.parametrize(
        ("first", "second"),
        [
            ((0, None), (100, 200)),  # open-ended, then any later period
            ((0, None), (-100, None)),  # two open-ended
            ((0, 100), (100, 200)),  # the second starts on the day the first ends
            ((100, 200), (0, 100)),  # the second ends on the day the first starts
            ((0, 365), (10, 20)),  # nested inside
            ((10, 20), (0, 365)),  # surrounding
            ((10, 20), (0, None)),  # open-ended over a closed one
            ((0, 100), (50, 150)),  # partly overlapping
            ((0, 0), (0, 0)),  # the same single day
        ],
    )
    def test_it_refuses_a_second_contract_in_force_on_any_day(self, sign, first, second):
        sign(*first)
        before = snapshot()
        with pytest.raises(Conflict) as refused:
            sign(*second)
        assert refused.value.code == "contract_overlap"
        assert snapshot() == before

    @pytest.mark.parametrize(
        ("first", "second"),
        [
            ((0, 100), (101, None)),  # back to back: ends on day D, the next starts on D + 1
            ((0, 100), (101, 200)),
            ((101, None), (0, 100)),  # an earlier period before an open-ended one
        ],
    )
    def test_it_allows_contracts_back_to_back(self, sign, first, second):
        sign(*first)
        sign(*second)
        assert ServiceContract.objects.filter(enterprise__uscc__isnull=False, start_date__gte=D).count() == 2

    def test_it_allows_a_new_contract_after_the_old_one_is_terminated(self, sign, officer):
        old = sign(0, None)
        contract_terminate(actor=officer, contract=old, on=day(50), reason="业主大会解聘")
        with pytest.raises(Conflict):
            sign(50, None)
        new = sign(51, None)
        assert new.start_date == day(51)

    def test_a_void_contract_does_not_count(self, world, sign, bare_estate):
        ServiceContract.objects.create(
            enterprise=world.enterprises["enterprise_x"],
            estate=bare_estate,
            kind="regular",
            start_date=day(0),
            end_date=None,
            service_grade=1,
            fee_per_m2_month=Decimal("1.00"),
            status=ContractStatus.VOID,
        )
        sign(0, None)

    def test_an_estate_out_of_scope_is_not_found_and_nothing_is_written(self, world, actor_of, sign):
        before = snapshot()
        with pytest.raises(Http404):
            contract_create(
                actor=actor_of("district_b_officer"),
                enterprise=world.enterprises["enterprise_x"],
                estate=world.estates["estate_a1b"],
                kind="regular",
                start_date=day(0),
                service_grade=2,
                fee_per_m2_month=Decimal("1.50"),
            )
        assert snapshot() == before

    @pytest.mark.parametrize(
        "persona", ["enterprise_x_staff", "community_a1a_officer", "auditor", "owner_of_a1a_101"]
    )
    def test_roles_without_the_permission_are_refused(self, world, actor_of, bare_estate, persona):
        with pytest.raises(NotPermitted):
            contract_create(
                actor=actor_of(persona),
                enterprise=world.enterprises["enterprise_x"],
                estate=bare_estate,
                kind="regular",
                start_date=day(0),
                service_grade=2,
                fee_per_m2_month=Decimal("1.50"),
            )
        assert not ServiceContract.objects.filter(estate=bare_estate).exists()

    def test_a_project_manager_of_another_enterprise_is_refused(self, world, sign):
        other = ProjectManager.objects.filter(enterprise=world.enterprises["enterprise_x"]).first()
        before = snapshot()
        with pytest.raises(DomainError) as refused:
            sign(0, None, project_manager=other)
        assert refused.value.field == "project_manager"
        assert snapshot() == before

    def test_an_end_before_the_start_is_refused_on_the_end_date(self, sign):
        before = snapshot()
        with pytest.raises(DomainError) as refused:
            sign(10, 5)
        assert refused.value.field == "end_date"
        assert snapshot() == before

    def test_a_missing_required_field_is_named(self, world, officer, bare_estate):
        with pytest.raises(DomainError) as refused:
            contract_create(
                actor=officer,
                enterprise=world.enterprises["enterprise_y"],
                estate=bare_estate,
                kind="regular",
                start_date=day(0),
                fee_per_m2_month=Decimal("1.50"),
            )
        assert refused.value.field == "service_grade"

    def test_a_negative_fee_is_refused_on_the_fee(self, sign):
        with pytest.raises(DomainError) as refused:
            sign(0, None, fee_per_m2_month=Decimal("-0.10"))
        assert refused.value.field == "fee_per_m2_month"


class TestContractTerminate:
    def test_it_ends_the_contract_on_the_day_with_the_reason_audited(self, sign, officer):
        contract = sign(0, 365)
        contract_terminate(actor=officer, contract=contract, on=day(100), reason="合同解除")
        contract.refresh_from_db()
        assert (contract.status, contract.end_date) == (ContractStatus.TERMINATED, day(100))
        assert contract.in_force_on(day(100)) and not contract.in_force_on(day(101))
        event = AuditEvent.objects.get(action="contract.terminated")
        assert (event.reason, event.data) == ("合同解除", {"on": "2030-04-11"})

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_it_requires_a_reason(self, sign, officer, reason):
        contract = sign(0, 365)
        before = snapshot()
        with pytest.raises(DomainError) as refused:
            contract_terminate(actor=officer, contract=contract, on=day(100), reason=reason)
        assert refused.value.field == "reason"
        assert snapshot() == before
        contract.refresh_from_db()
        assert contract.status == ContractStatus.ACTIVE

    @pytest.mark.parametrize("on", [-1, 366])
    def test_the_date_must_fall_within_the_term(self, sign, officer, on):
        contract = sign(0, 365)
        with pytest.raises(DomainError) as refused:
            contract_terminate(actor=officer, contract=contract, on=day(on), reason="解除")
        assert refused.value.field == "on"
        contract.refresh_from_db()
        assert (contract.status, contract.end_date) == (ContractStatus.ACTIVE, day(365))

    @pytest.mark.parametrize("on", [0, 365])
    def test_the_first_and_last_day_of_the_term_are_allowed(self, sign, officer, on):
        contract = sign(0, 365)
        contract_terminate(actor=officer, contract=contract, on=day(on), reason="解除")
        assert contract.end_date == day(on)

    def test_an_open_ended_contract_can_be_terminated_any_day_after_its_start(self, sign, officer):
        contract = sign(0, None)
        contract_terminate(actor=officer, contract=contract, on=day(5000), reason="解除")
        assert contract.end_date == day(5000)

    def test_a_contract_cannot_be_terminated_twice(self, sign, officer):
        contract = sign(0, 365)
        contract_terminate(actor=officer, contract=contract, on=day(100), reason="解除")
        with pytest.raises(Conflict):
            contract_terminate(actor=officer, contract=contract, on=day(90), reason="再次解除")
        assert AuditEvent.objects.filter(action="contract.terminated").count() == 1

    def test_a_stale_copy_cannot_terminate_again(self, sign, officer):
        contract = sign(0, 365)
        stale = ServiceContract.objects.get(pk=contract.pk)
        contract_terminate(actor=officer, contract=contract, on=day(100), reason="解除")
        with pytest.raises(Conflict):
            contract_terminate(actor=officer, contract=stale, on=day(200), reason="再次解除")
        contract.refresh_from_db()
        assert contract.end_date == day(100)

    def test_an_estate_out_of_scope_is_not_found(self, world, actor_of):
        contract = world.contracts["a1a"]
        with pytest.raises(Http404):
            contract_terminate(
                actor=actor_of("district_b_officer"), contract=contract, on=contract.start_date, reason="越界"
            )
        contract.refresh_from_db()
        assert contract.status == ContractStatus.ACTIVE

    def test_enterprise_staff_cannot_terminate_their_own_contract(self, world, actor_of):
        contract = world.contracts["a1a"]
        with pytest.raises(NotPermitted):
            contract_terminate(
                actor=actor_of("enterprise_x_staff"), contract=contract, on=contract.start_date, reason="退出"
            )
