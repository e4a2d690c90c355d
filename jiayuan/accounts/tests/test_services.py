"""Users and memberships: a role is held in the kind of organisation it belongs to."""

import pytest
from knox.models import AuthToken

from jiayuan.accounts.choices import ROLE_ORGANISATION_KINDS, OrganisationKind, Role
from jiayuan.accounts.models import Membership, Organisation, User
from jiayuan.accounts.services import api_token_issue, membership_grant, user_create
from jiayuan.audit.models import AuditEvent
from jiayuan.core.actor import actor_for
from jiayuan.core.exceptions import DomainError, NotPermitted

pytestmark = pytest.mark.django_db


def org_of(world, username):
    return world.users[username].memberships.get().organisation


@pytest.fixture
def newcomer(db):
    return User.objects.create_user(username="newcomer", password="x")


def test_every_role_names_the_organisations_it_may_be_held_in():
    assert set(ROLE_ORGANISATION_KINDS) == set(Role.values)
    assert all(ROLE_ORGANISATION_KINDS[role] for role in Role.values)


class TestMembershipGrant:
    def test_it_grants_a_fitting_role_with_an_audit_event(self, world, actor_of, newcomer):
        bureau = org_of(world, "district_a_officer")
        membership = membership_grant(
            actor=actor_of("system_admin"), user=newcomer, organisation=bureau, role=Role.DISTRICT_OFFICER
        )
        assert membership.active
        event = AuditEvent.objects.get()
        assert (event.action, event.data) == (
            "membership.granted",
            {"user": "newcomer", "organisation": bureau.pk, "role": Role.DISTRICT_OFFICER},
        )
        assert actor_for(User.objects.get(pk=newcomer.pk)).can_see(world.estates["estate_a2a"])

    @pytest.mark.parametrize(
        ("role", "holder"),
        [
            (Role.OWNER, "district_a_officer"),  # an owner role in a housing bureau
            (Role.DISTRICT_OFFICER, "enterprise_x_staff"),  # a bureau role in an enterprise
            (Role.ENTERPRISE_STAFF, "committee_a1a_member"),
            (Role.SYSTEM_ADMIN, "city_admin"),
            (Role.COMMUNITY_OFFICER, "subdistrict_a1_officer"),
        ],
    )
    def test_it_refuses_a_role_in_the_wrong_kind_of_organisation(
        self, world, actor_of, newcomer, role, holder
    ):
        with pytest.raises(DomainError) as refused:
            membership_grant(
                actor=actor_of("system_admin"), user=newcomer, organisation=org_of(world, holder), role=role
            )
        assert refused.value.field == "role"
        assert not Membership.objects.filter(user=newcomer).exists()
        assert not AuditEvent.objects.exists()

    def test_it_refuses_an_unknown_role(self, world, actor_of, newcomer):
        with pytest.raises(DomainError):
            membership_grant(
                actor=actor_of("system_admin"),
                user=newcomer,
                organisation=org_of(world, "city_admin"),
                role="emperor",
            )

    @pytest.mark.parametrize("persona", ["city_admin", "district_a_officer", "auditor", "enterprise_x_staff"])
    def test_only_a_system_administrator_grants_memberships(self, world, actor_of, newcomer, persona):
        with pytest.raises(NotPermitted):
            membership_grant(
                actor=actor_of(persona),
                user=newcomer,
                organisation=org_of(world, "district_a_officer"),
                role=Role.DISTRICT_OFFICER,
            )
        assert not Membership.objects.filter(user=newcomer).exists()

    def test_granting_again_reactivates_a_lapsed_membership(self, world, actor_of):
        user = world.users["district_b_officer"]
        Membership.objects.filter(user=user).update(active=False)
        membership_grant(
            actor=actor_of("system_admin"),
            user=user,
            organisation=org_of(world, "district_b_officer"),
            role=Role.DISTRICT_OFFICER,
        )
        assert Membership.objects.filter(user=user).get().active
        user.__dict__.pop("_jiayuan_actor", None)
        assert actor_for(user).can_see(world.estates["estate_b1a"])

    def test_an_owner_role_is_held_in_an_owners_assembly(self, world, actor_of, newcomer):
        assembly = Organisation.objects.create(
            kind=OrganisationKind.OWNERS_ASSEMBLY,
            name="丽景湾业主大会",
            region=world.regions["com_a1b"],
            estate=world.estates["estate_a1b"],
        )
        membership_grant(
            actor=actor_of("system_admin"), user=newcomer, organisation=assembly, role=Role.OWNER
        )
        actor = actor_for(User.objects.get(pk=newcomer.pk))
        assert actor.scope.estate_ids == {world.estates["estate_a1b"].pk}


class TestUserCreate:
    def test_it_creates_a_user_with_a_hashed_password_and_an_audit_event(self, world, actor_of):
        user = user_create(
            actor=actor_of("system_admin"),
            username="zhang.wei",
            password="Long-enough-pass-42",
            display_name="张伟",
        )
        assert user.check_password("Long-enough-pass-42")
        assert user.password != "Long-enough-pass-42"
        assert AuditEvent.objects.get().action == "user.created"

    def test_a_weak_password_is_refused_on_the_password_field(self, world, actor_of):
        with pytest.raises(DomainError) as refused:
            user_create(actor=actor_of("system_admin"), username="zhang.wei", password="123")
        assert refused.value.field == "password"
        assert not User.objects.filter(username="zhang.wei").exists()

    def test_only_a_system_administrator_creates_users(self, world, actor_of):
        with pytest.raises(NotPermitted):
            user_create(actor=actor_of("city_admin"), username="zhang.wei", password="Long-enough-pass-42")


class TestApiToken:
    def test_each_issue_is_a_new_token_and_audited_by_its_key(self, world):
        user = world.users["district_a_officer"]
        first = api_token_issue(user=user)
        second = api_token_issue(user=user)
        assert first.token != second.token
        assert AuthToken.objects.filter(user=user).count() == 2
        events = AuditEvent.objects.filter(action="api_token.issued").order_by("id")
        assert [(e.actor, e.data["key"]) for e in events] == [(user, first.key), (user, second.key)]
        assert all(first.token not in str(e.data) for e in events)


class TestAdminWrites:
    """The writes the Django admin routes through services: checked, audited."""

    def test_a_role_is_changed_suspended_and_revoked_with_events(self, world, actor_of, newcomer):
        from jiayuan.accounts.services import membership_revoke, membership_update

        admin = actor_of("system_admin")
        bureau = org_of(world, "district_a_officer")
        membership = membership_grant(
            actor=admin, user=newcomer, organisation=bureau, role=Role.DISTRICT_OFFICER
        )
        membership_update(actor=admin, membership=membership, role=Role.AUDITOR, active=False)
        with pytest.raises(DomainError):
            membership_update(actor=admin, membership=membership, role=Role.OWNER)
        membership_revoke(actor=admin, membership=membership)
        assert not Membership.objects.filter(pk=membership.pk).exists()
        events = list(AuditEvent.objects.order_by("id").values_list("action", "data"))
        assert events[1] == (
            "membership.changed",
            {"role": ["district_officer", "auditor"], "active": ["True", "False"]},
        )
        assert events[2][0] == "membership.revoked"

    def test_only_the_platform_administrator_writes_users_and_roles(self, world, actor_of, newcomer):
        from jiayuan.accounts.services import membership_revoke, user_delete, user_update

        officer = actor_of("city_admin")
        with pytest.raises(NotPermitted):
            user_update(actor=officer, user=newcomer, display_name="x")
        with pytest.raises(NotPermitted):
            user_delete(actor=officer, user=newcomer)
        with pytest.raises(NotPermitted):
            membership_revoke(actor=officer, membership=world.users["district_a_officer"].memberships.get())
        assert not AuditEvent.objects.exists()

    def test_a_password_is_set_without_recording_it(self, actor_of, newcomer):
        from jiayuan.accounts.services import user_set_password

        user_set_password(actor=actor_of("system_admin"), user=newcomer, password="a-long-pass-5521")
        newcomer.refresh_from_db()
        assert newcomer.check_password("a-long-pass-5521")
        event = AuditEvent.objects.get()
        assert (event.action, event.data) == ("user.password_set", {"usable": True})
        with pytest.raises(DomainError):
            user_set_password(actor=actor_of("system_admin"), user=newcomer, password="1")

    def test_a_user_who_never_acted_is_deleted_with_an_event(self, actor_of, newcomer):
        from jiayuan.accounts.services import user_delete

        pk = newcomer.pk
        user_delete(actor=actor_of("system_admin"), user=newcomer)
        assert not User.objects.filter(pk=pk).exists()
        assert AuditEvent.objects.get().object_id == str(pk)

    def test_revoking_an_api_token_is_audited_without_the_secret(self, actor_of, newcomer):
        from jiayuan.accounts.services import api_token_revoke

        issued = api_token_issue(user=newcomer)
        api_token_revoke(actor=actor_of("system_admin"), token=AuthToken.objects.get(user=newcomer))
        assert not AuthToken.objects.filter(user=newcomer).exists()
        event = AuditEvent.objects.get(action="api_token.revoked")
        assert event.data == {"key": issued.key}
        assert issued.token not in str(event.data) and issued.token not in event.object_repr
