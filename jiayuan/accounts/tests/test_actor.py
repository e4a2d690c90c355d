"""The Actor: roles give permissions, memberships give reach, and a permission reaches only as far
as the memberships whose role grants it."""

import pytest
from django.http import Http404

from jiayuan.accounts.choices import OrganisationKind, Role
from jiayuan.accounts.models import Membership, Organisation, User
from jiayuan.accounts.roles import ROLE_PERMISSIONS
from jiayuan.core import permissions
from jiayuan.core.actor import Actor, actor_for, system_actor
from jiayuan.core.exceptions import NotPermitted
from jiayuan.core.scoping import Scope
from jiayuan.core.services import require_in_scope, require_region_in_scope
from jiayuan.testing.world import EXPECTED_ESTATES

pytestmark = pytest.mark.django_db

PERSONA_ROLES = {
    "city_admin": Role.CITY_ADMIN,
    "district_a_officer": Role.DISTRICT_OFFICER,
    "district_b_officer": Role.DISTRICT_OFFICER,
    "subdistrict_a1_officer": Role.SUBDISTRICT_OFFICER,
    "community_a1a_officer": Role.COMMUNITY_OFFICER,
    "police_a_officer": Role.DEPARTMENT_OFFICER,
    "enterprise_x_staff": Role.ENTERPRISE_STAFF,
    "committee_a1a_member": Role.COMMITTEE_MEMBER,
    "owner_of_a1a_101": Role.OWNER,
    "auditor": Role.AUDITOR,
    "system_admin": Role.SYSTEM_ADMIN,
}


@pytest.fixture
def dual_officer(world):
    """Subdistrict officer of A1 and, at the same time, community officer of B1a."""
    user = User.objects.create_user(username="dual_officer", password="x")
    subdistrict_office = world.users["subdistrict_a1_officer"].memberships.get().organisation
    community_b1a = Organisation.objects.create(
        kind=OrganisationKind.COMMUNITY_COMMITTEE, name="阅海社区居委会", region=world.regions["com_b1a"]
    )
    Membership.objects.create(user=user, organisation=subdistrict_office, role=Role.SUBDISTRICT_OFFICER)
    Membership.objects.create(user=user, organisation=community_b1a, role=Role.COMMUNITY_OFFICER)
    return actor_for(user)


def test_every_persona_of_the_world_is_covered_here():
    assert set(PERSONA_ROLES) == set(EXPECTED_ESTATES)


def test_every_role_has_an_entry_in_the_permission_table():
    assert set(ROLE_PERMISSIONS) == set(Role.values)


@pytest.mark.parametrize("persona", sorted(PERSONA_ROLES))
def test_each_persona_acts_in_its_role_with_that_roles_permissions(world, actor_of, persona):
    actor = actor_of(persona)
    assert actor.roles == {PERSONA_ROLES[persona]}
    assert actor.permissions == ROLE_PERMISSIONS[PERSONA_ROLES[persona]]


def test_require_refuses_a_permission_the_roles_do_not_grant(world, actor_of):
    actor = actor_of("enterprise_x_staff")
    with pytest.raises(NotPermitted) as refused:
        actor.require(permissions.ESTATES_CHANGE)
    assert refused.value.status == 403
    assert refused.value.details == {"permission": permissions.ESTATES_CHANGE}
    actor_of("district_a_officer").require(permissions.ESTATES_CHANGE)


def test_the_actor_is_computed_once_per_user_object(world, django_assert_num_queries):
    user = world.users["district_a_officer"]
    first = actor_for(user)
    with django_assert_num_queries(0):
        assert actor_for(user) is first


def test_an_anonymous_user_has_no_roles_and_sees_nothing():
    from django.contrib.auth.models import AnonymousUser

    actor = actor_for(AnonymousUser())
    assert actor.roles == frozenset()
    assert actor.scope.is_empty
    assert actor.permissions == frozenset()


def test_a_deactivated_user_keeps_no_role_and_no_permission(world):
    user = world.users["city_admin"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    actor = actor_for(user)
    assert actor.roles == frozenset()
    assert actor.permissions == frozenset()
    assert actor.scope.is_empty


def test_an_inactive_membership_gives_no_role(world):
    user = world.users["community_a1a_officer"]
    Membership.objects.filter(user=user).update(active=False)
    assert actor_for(user).roles == frozenset()


def test_the_system_actor_sees_everything_and_may_do_everything():
    actor = system_actor()
    assert actor.scope.everything
    assert actor.has(permissions.ADMIN_SITE)
    assert actor.scope_for(permissions.ESTATES_CHANGE) is actor.scope


def test_can_see_is_the_scope_applied_to_one_object(world, actor_of):
    officer = actor_of("district_b_officer")
    assert officer.can_see(world.estates["estate_b1a"])
    assert not officer.can_see(world.estates["estate_a1a"])


class TestPermissionsDoNotTravelBetweenMemberships:
    def test_the_dual_officer_sees_the_union(self, world, dual_officer):
        for key in ("estate_a1a", "estate_a1b", "estate_b1a"):
            assert dual_officer.can_see(world.estates[key])
        assert not dual_officer.can_see(world.estates["estate_a2a"])

    def test_a_permission_both_roles_grant_reaches_both(self, world, dual_officer):
        scope = dual_officer.scope_for(permissions.ESTATES_CHANGE)
        assert scope is dual_officer.scope

    def test_a_permission_of_one_role_reaches_only_that_memberships_region(self, world, dual_officer):
        personal = dual_officer.scope_for(permissions.VIEW_PERSONAL_DATA)
        assert personal.region_paths == (world.regions["com_b1a"].path,)
        contracts = dual_officer.scope_for(permissions.CONTRACTS_CHANGE)
        assert contracts.region_paths == (world.regions["sub_a1"].path,)

    def test_a_permission_no_role_grants_reaches_nowhere(self, world, dual_officer):
        assert dual_officer.scope_for(permissions.ADMIN_SITE).is_empty

    def test_acting_on_a_visible_object_outside_the_permissions_reach_is_not_permitted(
        self, world, dual_officer
    ):
        owner_a1a = world.owners["a1a_101"]
        owner_b1a = world.owners["b1a_101"]
        require_in_scope(dual_officer, owner_b1a, permission=permissions.VIEW_PERSONAL_DATA)
        with pytest.raises(NotPermitted):
            require_in_scope(dual_officer, owner_a1a, permission=permissions.VIEW_PERSONAL_DATA)
        with pytest.raises(NotPermitted):
            require_in_scope(
                dual_officer, world.estates["estate_b1a"], permission=permissions.CONTRACTS_CHANGE
            )

    def test_an_invisible_object_is_still_not_found(self, world, dual_officer):
        with pytest.raises(Http404):
            require_in_scope(dual_officer, world.estates["estate_a2a"], permission=permissions.ESTATES_CHANGE)

    def test_a_region_outside_the_permissions_reach_is_not_permitted(self, world, dual_officer):
        require_region_in_scope(
            dual_officer, world.regions["com_a1b"].path, permission=permissions.ESTATES_CHANGE
        )
        with pytest.raises(NotPermitted):
            require_region_in_scope(
                dual_officer, world.regions["com_a1b"].path, permission=permissions.VIEW_PERSONAL_DATA
            )
        with pytest.raises(Http404):
            require_region_in_scope(dual_officer, world.regions["com_a2a"].path)

    def test_a_hand_built_actor_keeps_its_given_scope(self, world):
        scope = Scope(region_paths=(world.regions["district_a"].path,))
        actor = Actor(user=None, scope=scope, roles=frozenset({Role.DISTRICT_OFFICER, Role.AUDITOR}))
        assert actor.scope_for(permissions.ESTATES_CHANGE) is scope
