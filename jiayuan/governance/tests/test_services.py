"""Owner bodies: one active owners' committee per estate; a management committee only where there is none."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from jiayuan.audit.models import AuditEvent
from jiayuan.core.exceptions import Conflict, DomainError, NotPermitted
from jiayuan.governance.choices import BodyStatus
from jiayuan.governance.models import (
    ManagementCommittee,
    ManagementCommitteeMember,
    OwnersAssembly,
    OwnersCommittee,
    OwnersCommitteeMember,
)
from jiayuan.governance.services import (
    assembly_register,
    committee_end,
    management_committee_register,
    owners_committee_register,
)

pytestmark = pytest.mark.django_db

MEMBERS = [{"name": "李主任", "post": "director"}, {"name": "赵委员", "post": "member"}]


def snapshot():
    return (
        OwnersCommittee.objects.count(),
        OwnersCommitteeMember.objects.count(),
        ManagementCommittee.objects.count(),
        ManagementCommitteeMember.objects.count(),
        AuditEvent.objects.count(),
    )


def term(years: int = 5) -> dict:
    start = timezone.localdate()
    return {"term_start": start, "term_end": start + dt.timedelta(days=365 * years)}


class TestOwnersCommittee:
    def test_it_registers_a_committee_with_its_members_and_an_audit_event(self, world, actor_of):
        committee = owners_committee_register(
            actor=actor_of("subdistrict_a1_officer"),
            estate=world.estates["estate_a1b"],
            members=MEMBERS,
            filing_number="FC-2025-01",
            **term(),
        )
        assert committee.status == BodyStatus.ACTIVE
        assert sorted(committee.members.values_list("name", flat=True)) == ["李主任", "赵委员"]
        event = AuditEvent.objects.get()
        assert (event.action, event.object_id, event.data["members"]) == (
            "owners_committee.registered",
            str(committee.pk),
            2,
        )

    def test_a_second_active_committee_for_an_estate_is_refused(self, world, actor_of):
        before = snapshot()
        with pytest.raises(Conflict):
            owners_committee_register(
                actor=actor_of("community_a1a_officer"),
                estate=world.estates["estate_a1a"],
                members=MEMBERS,
                **term(),
            )
        assert snapshot() == before

    def test_a_new_committee_may_follow_one_that_has_ended(self, world, actor_of):
        actor = actor_of("community_a1a_officer")
        committee_end(actor=actor, committee=world.committees["a1a"], reason="换届")
        successor = owners_committee_register(
            actor=actor, estate=world.estates["estate_a1a"], members=MEMBERS, **term()
        )
        assert OwnersCommittee.objects.filter(estate=world.estates["estate_a1a"]).active().get() == successor

    def test_a_committee_with_no_members_is_refused(self, world, actor_of):
        before = snapshot()
        with pytest.raises(DomainError) as refused:
            owners_committee_register(
                actor=actor_of("subdistrict_a1_officer"),
                estate=world.estates["estate_a1b"],
                members=[],
                **term(),
            )
        assert refused.value.field == "members"
        assert snapshot() == before

    def test_a_member_without_a_name_is_refused_and_nothing_is_written(self, world, actor_of):
        before = snapshot()
        with pytest.raises(DomainError) as refused:
            owners_committee_register(
                actor=actor_of("subdistrict_a1_officer"),
                estate=world.estates["estate_a1b"],
                members=[*MEMBERS, {"name": "", "post": "member"}],
                **term(),
            )
        assert refused.value.field == "name"
        assert snapshot() == before

    @pytest.mark.parametrize("days", [0, -1])
    def test_a_term_that_does_not_end_after_it_starts_is_refused_on_the_end(self, world, actor_of, days):
        start = timezone.localdate()
        with pytest.raises(DomainError) as refused:
            owners_committee_register(
                actor=actor_of("subdistrict_a1_officer"),
                estate=world.estates["estate_a1b"],
                members=MEMBERS,
                term_start=start,
                term_end=start + dt.timedelta(days=days),
            )
        assert refused.value.field == "term_end"
        assert not OwnersCommittee.objects.filter(estate=world.estates["estate_a1b"]).exists()

    def test_an_estate_out_of_scope_is_not_found(self, world, actor_of):
        with pytest.raises(Http404):
            owners_committee_register(
                actor=actor_of("district_b_officer"),
                estate=world.estates["estate_a1b"],
                members=MEMBERS,
                **term(),
            )

    @pytest.mark.parametrize(
        "persona", ["enterprise_x_staff", "committee_a1a_member", "owner_of_a1a_101", "auditor"]
    )
    def test_roles_without_the_permission_are_refused(self, world, actor_of, persona):
        with pytest.raises(NotPermitted):
            owners_committee_register(
                actor=actor_of(persona), estate=world.estates["estate_a1b"], members=MEMBERS, **term()
            )
        assert not OwnersCommittee.objects.filter(estate=world.estates["estate_a1b"]).exists()


class TestManagementCommittee:
    def test_it_is_set_up_where_no_owners_committee_is_active(self, world, actor_of):
        committee = management_committee_register(
            actor=actor_of("subdistrict_a1_officer"),
            estate=world.estates["estate_a1b"],
            members=[{"name": "社区书记", "post": "director", "affiliation": "丽景社区"}],
            **term(years=1),
        )
        assert committee.members.get().affiliation == "丽景社区"
        assert AuditEvent.objects.get().action == "management_committee.registered"

    def test_it_is_refused_where_an_owners_committee_is_active(self, world, actor_of):
        before = snapshot()
        with pytest.raises(Conflict):
            management_committee_register(
                actor=actor_of("community_a1a_officer"),
                estate=world.estates["estate_a1a"],
                members=MEMBERS,
                **term(1),
            )
        assert snapshot() == before

    def test_it_is_allowed_once_the_owners_committee_has_ended(self, world, actor_of):
        actor = actor_of("community_a1a_officer")
        committee_end(actor=actor, committee=world.committees["a1a"], reason="集体辞职")
        management_committee_register(
            actor=actor, estate=world.estates["estate_a1a"], members=MEMBERS, **term(1)
        )

    def test_a_second_active_management_committee_is_refused(self, world, actor_of):
        actor = actor_of("subdistrict_a1_officer")
        management_committee_register(
            actor=actor, estate=world.estates["estate_a1b"], members=MEMBERS, **term(1)
        )
        before = snapshot()
        with pytest.raises(Conflict):
            management_committee_register(
                actor=actor, estate=world.estates["estate_a1b"], members=MEMBERS, **term(1)
            )
        assert snapshot() == before

    def test_an_estate_out_of_scope_is_not_found_even_where_it_has_a_committee(self, world, actor_of):
        # Not a Conflict: that would tell an outsider the estate has an owners' committee.
        with pytest.raises(Http404):
            management_committee_register(
                actor=actor_of("district_b_officer"),
                estate=world.estates["estate_a1a"],
                members=MEMBERS,
                **term(1),
            )

    def test_roles_without_the_permission_are_refused_even_where_it_has_a_committee(self, world, actor_of):
        with pytest.raises(NotPermitted):
            management_committee_register(
                actor=actor_of("owner_of_a1a_101"),
                estate=world.estates["estate_a1a"],
                members=MEMBERS,
                **term(1),
            )


class TestCommitteeEnd:
    def test_it_ends_the_committee_with_the_reason_audited(self, world, actor_of):
        committee = world.committees["a1a"]
        committee_end(actor=actor_of("community_a1a_officer"), committee=committee, reason="任期届满")
        committee.refresh_from_db()
        assert committee.status == BodyStatus.ENDED
        event = AuditEvent.objects.get()
        assert (event.action, event.reason) == ("ownerscommittee.ended", "任期届满")

    def test_an_ended_committee_cannot_end_again(self, world, actor_of):
        actor = actor_of("community_a1a_officer")
        committee = world.committees["a1a"]
        stale = OwnersCommittee.objects.get(pk=committee.pk)
        committee_end(actor=actor, committee=committee, reason="任期届满")
        with pytest.raises(Conflict):
            committee_end(actor=actor, committee=committee, reason="再次")
        with pytest.raises(Conflict):
            committee_end(actor=actor, committee=stale, reason="再次")
        assert AuditEvent.objects.count() == 1

    def test_a_committee_out_of_scope_is_not_found(self, world, actor_of):
        with pytest.raises(Http404):
            committee_end(
                actor=actor_of("district_b_officer"), committee=world.committees["a1a"], reason="越界"
            )


class TestAssembly:
    def test_an_estate_has_one_assembly(self, world, actor_of):
        actor = actor_of("community_a1a_officer")
        assembly = assembly_register(actor=actor, estate=world.estates["estate_a1a"], established_on=None)
        assert AuditEvent.objects.get().object_id == str(assembly.pk)
        with pytest.raises(Conflict):
            assembly_register(actor=actor, estate=world.estates["estate_a1a"], established_on=None)
        assert OwnersAssembly.objects.count() == 1
        assert AuditEvent.objects.count() == 1
