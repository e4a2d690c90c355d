"""Estates, buildings, units and owners: written only in one's jurisdiction, owners' data read on record."""

from decimal import Decimal

import pytest
from django.http import Http404

from jiayuan.accounts.choices import OrganisationKind, Role
from jiayuan.accounts.models import Membership, Organisation, User
from jiayuan.accounts.roles import ROLE_PERMISSIONS
from jiayuan.audit.models import AuditEvent
from jiayuan.core import permissions
from jiayuan.core.actor import actor_for
from jiayuan.core.exceptions import DomainError, NotPermitted
from jiayuan.core.masking import mask_name
from jiayuan.estates.models import Building, Estate, Owner, Ownership, Unit
from jiayuan.estates.services import (
    building_create,
    estate_create,
    estate_update,
    owner_reveal,
    ownership_register,
    unit_create,
)

pytestmark = pytest.mark.django_db

ESTATE = {
    "name": "新月家园",
    "address": "银古路8号",
    "management_mode": "enterprise",
    "estate_type": "commercial",
    "year_built": 2015,
    "unit_count": 120,
    "total_exclusive_area": Decimal("12000.00"),
}


def snapshot():
    return (
        Estate.objects.count(),
        Building.objects.count(),
        Unit.objects.count(),
        Owner.objects.count(),
        Ownership.objects.count(),
        AuditEvent.objects.count(),
    )


class TestEstateCreate:
    def test_it_registers_an_estate_in_a_community_with_an_audit_event(self, world, actor_of):
        estate = estate_create(
            actor=actor_of("subdistrict_a1_officer"), community=world.regions["com_a1b"], **ESTATE
        )
        assert estate.community == world.regions["com_a1b"]
        assert estate.total_exclusive_area == Decimal("12000.00")
        event = AuditEvent.objects.get()
        assert (event.action, event.object_id, event.data) == (
            "estate.created",
            str(estate.pk),
            {"community": world.regions["com_a1b"].code},
        )

    @pytest.mark.parametrize("level", ["city", "district_a", "sub_a1"])
    def test_it_refuses_a_region_that_is_not_a_community(self, world, actor_of, level):
        before = snapshot()
        with pytest.raises(DomainError) as refused:
            estate_create(actor=actor_of("city_admin"), community=world.regions[level], **ESTATE)
        assert refused.value.field == "community"
        assert snapshot() == before

    @pytest.mark.parametrize(
        ("persona", "community"),
        [
            ("district_b_officer", "com_a1a"),
            ("subdistrict_a1_officer", "com_a2a"),
            ("community_a1a_officer", "com_a1b"),
        ],
    )
    def test_a_community_outside_scope_is_not_found(self, world, actor_of, persona, community):
        before = snapshot()
        with pytest.raises(Http404):
            estate_create(actor=actor_of(persona), community=world.regions[community], **ESTATE)
        assert snapshot() == before

    @pytest.mark.parametrize(
        "persona",
        ["enterprise_x_staff", "committee_a1a_member", "owner_of_a1a_101", "auditor", "police_a_officer"],
    )
    def test_roles_without_the_permission_are_refused(self, world, actor_of, persona):
        with pytest.raises(NotPermitted):
            estate_create(actor=actor_of(persona), community=world.regions["com_a1a"], **ESTATE)
        assert not Estate.objects.filter(name=ESTATE["name"]).exists()

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("name", ""),
            ("address", ""),
            ("management_mode", "anarchy"),
            ("estate_type", "castle"),
            ("year_built", 1800),
            ("unit_count", -1),
        ],
    )
    def test_a_validation_error_names_its_field(self, world, actor_of, field, value):
        before = snapshot()
        with pytest.raises(DomainError) as refused:
            estate_create(
                actor=actor_of("district_a_officer"),
                community=world.regions["com_a1a"],
                **{**ESTATE, field: value},
            )
        assert refused.value.field == field
        assert snapshot() == before

    def test_a_negative_total_area_is_refused_on_its_field(self, world, actor_of):
        with pytest.raises(DomainError) as refused:
            estate_create(
                actor=actor_of("district_a_officer"),
                community=world.regions["com_a1a"],
                **{**ESTATE, "total_exclusive_area": Decimal("-1.00")},
            )
        assert refused.value.field == "total_exclusive_area"

    def test_a_name_already_used_in_the_community_is_refused_on_the_name(self, world, actor_of):
        taken = world.estates["estate_a1a"].name
        with pytest.raises(DomainError) as refused:
            estate_create(
                actor=actor_of("district_a_officer"),
                community=world.regions["com_a1a"],
                **{**ESTATE, "name": taken},
            )
        assert refused.value.field == "name"

    def test_the_same_name_is_allowed_in_another_community(self, world, actor_of):
        taken = world.estates["estate_a1a"].name
        estate = estate_create(
            actor=actor_of("district_a_officer"),
            community=world.regions["com_a1b"],
            **{**ESTATE, "name": taken},
        )
        assert estate.pk


class TestEstateUpdate:
    def test_it_audits_the_changed_fields_with_old_and_new_values_and_the_reason(self, world, actor_of):
        estate = world.estates["estate_a1a"]
        estate_update(
            actor=actor_of("community_a1a_officer"),
            estate=estate,
            reason="台账核对",
            unit_count=6,
            address=estate.address,
        )
        event = AuditEvent.objects.get()
        assert (event.action, event.reason, event.data) == (
            "estate.updated",
            "台账核对",
            {"unit_count": ["4", "6"]},
        )
        estate.refresh_from_db()
        assert estate.unit_count == 6

    def test_an_update_that_changes_nothing_records_nothing(self, world, actor_of):
        estate = world.estates["estate_a1a"]
        estate_update(actor=actor_of("community_a1a_officer"), estate=estate, name=estate.name)
        assert not AuditEvent.objects.exists()

    def test_a_value_given_as_text_is_compared_as_the_field_holds_it(self, world, actor_of):
        estate = world.estates["estate_a1a"]
        actor = actor_of("community_a1a_officer")
        estate_update(actor=actor, estate=estate, unit_count="4", total_exclusive_area="400.00")
        assert not AuditEvent.objects.exists()
        estate_update(actor=actor, estate=estate, total_exclusive_area="450.5")
        assert AuditEvent.objects.get().data == {"total_exclusive_area": ["400.00", "450.5"]}

    def test_a_value_that_is_not_one_is_refused_on_its_field(self, world, actor_of):
        with pytest.raises(DomainError) as refused:
            estate_update(
                actor=actor_of("district_a_officer"), estate=world.estates["estate_a1a"], year_built="旧"
            )
        assert refused.value.field == "year_built"

    def test_the_community_cannot_be_changed_here(self, world, actor_of):
        with pytest.raises(DomainError) as refused:
            estate_update(
                actor=actor_of("district_a_officer"),
                estate=world.estates["estate_a1a"],
                community=world.regions["com_a1b"],
            )
        assert refused.value.field == "community"

    def test_an_invalid_value_is_refused_on_its_field_and_not_saved(self, world, actor_of):
        estate = world.estates["estate_a1a"]
        with pytest.raises(DomainError) as refused:
            estate_update(actor=actor_of("district_a_officer"), estate=estate, year_built=1066)
        assert refused.value.field == "year_built"
        assert Estate.objects.get(pk=estate.pk).year_built == 2010
        assert not AuditEvent.objects.exists()

    def test_an_estate_out_of_scope_is_not_found(self, world, actor_of):
        with pytest.raises(Http404):
            estate_update(
                actor=actor_of("district_b_officer"), estate=world.estates["estate_a1a"], unit_count=9
            )
        assert Estate.objects.get(pk=world.estates["estate_a1a"].pk).unit_count == 4


class TestBuildingsUnitsOwnerships:
    def test_buildings_and_units_are_added_with_audit_events(self, world, actor_of):
        actor = actor_of("community_a1a_officer")
        building = building_create(actor=actor, estate=world.estates["estate_a1a"], number="2", floors=18)
        unit = unit_create(actor=actor, building=building, number="201", exclusive_area=Decimal("89.50"))
        assert unit.estate == world.estates["estate_a1a"]
        assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
            "building.created",
            "unit.created",
        ]

    def test_a_duplicate_building_number_is_refused(self, world, actor_of):
        with pytest.raises(DomainError):
            building_create(
                actor=actor_of("community_a1a_officer"), estate=world.estates["estate_a1a"], number="1"
            )

    def test_a_unit_needs_a_positive_area(self, world, actor_of):
        building = Building.objects.get(estate=world.estates["estate_a1a"])
        with pytest.raises(DomainError) as refused:
            unit_create(
                actor=actor_of("community_a1a_officer"),
                building=building,
                number="301",
                exclusive_area=Decimal("0"),
            )
        assert refused.value.field == "exclusive_area"

    def test_units_out_of_scope_are_not_found(self, world, actor_of):
        building = Building.objects.get(estate=world.estates["estate_b1a"])
        with pytest.raises(Http404):
            unit_create(
                actor=actor_of("district_a_officer"),
                building=building,
                number="301",
                exclusive_area=Decimal("90"),
            )

    def test_an_owner_with_a_known_id_number_is_reused(self, world, actor_of):
        unit = world.units["a1a_102"]
        known = world.owners["a1a_101"]
        known.id_number = "640104198001011111"
        known.save(update_fields=["id_number"])
        ownership = ownership_register(
            actor=actor_of("community_a1a_officer"), unit=unit, name=known.name, id_number=known.id_number
        )
        assert ownership.owner == known
        event = AuditEvent.objects.get(action="ownership.registered")
        assert event.data == {"unit": unit.pk, "owner": known.pk}

    def test_a_new_owner_is_created_for_a_new_person(self, world, actor_of):
        before = Owner.objects.count()
        ownership_register(
            actor=actor_of("community_a1a_officer"), unit=world.units["a1a_102"], name="新业主"
        )
        assert Owner.objects.count() == before + 1

    def test_owning_the_same_unit_twice_is_refused_and_nothing_is_written(self, world, actor_of):
        owner = world.owners["a1a_101"]
        owner.id_number = "640104198001012222"
        owner.save(update_fields=["id_number"])
        before = snapshot()
        with pytest.raises(DomainError):
            ownership_register(
                actor=actor_of("community_a1a_officer"),
                unit=world.units["a1a_101"],
                name=owner.name,
                id_number=owner.id_number,
            )
        assert snapshot() == before


class TestOwnerReveal:
    def test_the_permission_belongs_to_the_community_officer_not_the_district_officer(self):
        assert permissions.VIEW_PERSONAL_DATA in ROLE_PERMISSIONS[Role.COMMUNITY_OFFICER]
        assert permissions.VIEW_PERSONAL_DATA not in ROLE_PERMISSIONS[Role.DISTRICT_OFFICER]

    def test_a_community_officer_sees_the_data_and_the_read_is_audited(self, world, actor_of):
        owner = world.owners["a1a_101"]
        data = owner_reveal(
            actor=actor_of("community_a1a_officer"), owner=owner, purpose="联系业主处理漏水投诉"
        )
        assert data == {"name": owner.name, "phone": "13912345678", "id_number": "640104199001011234"}
        event = AuditEvent.objects.get()
        assert event.action == "owner.personal_data_viewed"
        assert (event.object_type, event.object_id) == ("estates.owner", str(owner.pk))
        assert event.reason == "联系业主处理漏水投诉"
        assert event.actor == world.users["community_a1a_officer"]
        assert event.object_repr == mask_name(owner.name)  # by id and masked name only
        assert owner.name not in event.object_repr

    @pytest.mark.parametrize(
        "persona",
        ["district_a_officer", "subdistrict_a1_officer", "enterprise_x_staff", "city_admin", "auditor"],
    )
    def test_roles_without_the_permission_are_refused(self, world, actor_of, persona):
        with pytest.raises(NotPermitted):
            owner_reveal(actor=actor_of(persona), owner=world.owners["a1a_101"], purpose="看看")
        assert not AuditEvent.objects.exists()

    @pytest.mark.parametrize("purpose", ["", "   "])
    def test_it_requires_a_purpose(self, world, actor_of, purpose):
        with pytest.raises(DomainError) as refused:
            owner_reveal(
                actor=actor_of("community_a1a_officer"), owner=world.owners["a1a_101"], purpose=purpose
            )
        assert refused.value.field == "purpose"
        assert not AuditEvent.objects.exists()

    def test_an_owner_of_another_community_is_not_found(self, world, actor_of):
        with pytest.raises(Http404):
            owner_reveal(
                actor=actor_of("community_a1a_officer"), owner=world.owners["a2a_101"], purpose="核实"
            )
        assert not AuditEvent.objects.exists()

    def test_the_permission_of_one_membership_does_not_reach_through_another(self, world):
        """A subdistrict officer of A1 who is also community officer of B1a sees A1's owners masked only."""
        user = User.objects.create_user(username="dual_officer", password="x")
        Membership.objects.create(
            user=user,
            organisation=world.users["subdistrict_a1_officer"].memberships.get().organisation,
            role=Role.SUBDISTRICT_OFFICER,
        )
        community_b1a = Organisation.objects.create(
            kind=OrganisationKind.COMMUNITY_COMMITTEE, name="阅海社区居委会", region=world.regions["com_b1a"]
        )
        Membership.objects.create(user=user, organisation=community_b1a, role=Role.COMMUNITY_OFFICER)
        actor = actor_for(user)
        owner_reveal(actor=actor, owner=world.owners["b1a_101"], purpose="联系业主")
        with pytest.raises(NotPermitted):
            owner_reveal(actor=actor, owner=world.owners["a1a_101"], purpose="联系业主")
        assert AuditEvent.objects.count() == 1


class TestCorrections:
    """Units, owners and ownerships corrected or removed (the admin's writes): checked, audited."""

    def test_a_unit_is_corrected_and_removed_only_without_owners(self, world, actor_of):
        from jiayuan.estates.services import ownership_end, unit_delete, unit_update

        actor = actor_of("community_a1a_officer")
        building = Building.objects.get(estate=world.estates["estate_a1a"])
        unit = unit_create(actor=actor, building=building, number="901", exclusive_area=Decimal("80"))
        unit_update(actor=actor, unit=unit, exclusive_area="81.50")
        ownership = ownership_register(actor=actor, unit=unit, name="张三")
        with pytest.raises(DomainError):
            unit_delete(actor=actor, unit=unit)
        ownership_end(actor=actor, ownership=ownership)
        unit_delete(actor=actor, unit=unit)
        actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
        assert actions == [
            "unit.created",
            "unit.updated",
            "ownership.registered",
            "ownership.ended",
            "unit.deleted",
        ]

    def test_another_districts_unit_is_not_found(self, world, actor_of):
        from django.http import Http404

        from jiayuan.estates.services import unit_update

        unit = world.estates["estate_b1a"].units.first()
        with pytest.raises(Http404):
            unit_update(actor=actor_of("district_a_officer"), unit=unit, number="x")
        assert not AuditEvent.objects.exists()

    def test_an_owner_is_linked_to_a_user_and_removed_once_they_own_nothing(self, world, actor_of):
        from jiayuan.estates.services import owner_delete, owner_update, ownership_create, ownership_end

        actor = actor_of("community_a1a_officer")
        unit = world.estates["estate_a1a"].units.first()
        ownership = ownership_register(actor=actor, unit=unit, name="李四", id_number="640102199001011234")
        owner = ownership.owner
        owner_update(actor=actor, owner=owner, user=User.objects.create_user(username="lisi", password="x"))
        other = world.estates["estate_a1a"].units.exclude(pk=unit.pk).first()
        second = ownership_create(actor=actor, unit=other, owner=owner)
        with pytest.raises(DomainError):
            owner_delete(actor=actor, owner=owner)
        ownership_end(actor=actor, ownership=ownership)
        ownership_end(actor=actor, ownership=second)
        owner_delete(actor=actor, owner=owner)
        events = list(AuditEvent.objects.order_by("id").values_list("action", "data"))
        assert events[1][0] == "owner.updated" and "user" in events[1][1]
        assert events[-1][0] == "owner.deleted"
        assert "李四" not in str(events)
