"""A user's scope is the union of the reach of their active memberships, and nothing more."""

import pytest

from jiayuan.accounts.choices import OrganisationKind, Role
from jiayuan.accounts.models import Membership, Organisation, User
from jiayuan.core.scoping import Scope, collapse_paths, scope_for_user
from jiayuan.core.testing import EXPECTED_ESTATES
from jiayuan.estates.models import Estate

pytestmark = pytest.mark.django_db


def org_of(world, username):
    return world.users[username].memberships.get().organisation


def new_user(username="dual_officer"):
    return User.objects.create_user(username=username, password="x")


def estates_seen(world, scope):
    visible = set(Estate.objects.filter(Estate.scope_filter(scope)).values_list("pk", flat=True))
    return {key for key, estate in world.estates.items() if estate.pk in visible}


class TestScopeValue:
    def test_a_path_is_covered_by_an_ancestor_prefix_only(self):
        scope = Scope(region_paths=("640100000000/640104000000/",))
        assert scope.covers_path("640100000000/640104000000/640104001000/")
        assert scope.covers_path("640100000000/640104000000/")
        assert not scope.covers_path("640100000000/")
        assert not scope.covers_path("640100000000/640106000000/")

    def test_everything_covers_every_path(self):
        assert Scope(everything=True).covers_path("anything/")

    def test_an_empty_scope_is_empty_and_covers_nothing(self):
        assert Scope().is_empty
        assert not Scope().covers_path("640100000000/")
        assert not Scope(estate_ids=frozenset({1})).is_empty
        assert not Scope(enterprise_ids=frozenset({1})).is_empty
        assert not Scope(everything=True).is_empty


class TestCollapsePaths:
    def test_it_drops_subtrees_covered_by_an_ancestor(self):
        paths = {"c/", "c/a/", "c/a/1/", "c/b/1/"}
        assert collapse_paths(paths) == {"c/"}

    def test_it_keeps_disjoint_subtrees(self):
        paths = {"c/a/", "c/b/1/", "c/a/2/"}
        assert collapse_paths(paths) == {"c/a/", "c/b/1/"}

    def test_it_does_not_treat_a_shared_code_prefix_as_an_ancestor(self):
        # Paths end in "/", so "c/a1/" is not under "c/a/".
        assert collapse_paths({"c/a/", "c/a1/"}) == {"c/a/", "c/a1/"}

    def test_it_keeps_duplicates_once_and_the_empty_set_empty(self):
        assert collapse_paths({"c/a/"}) == {"c/a/"}
        assert collapse_paths(set()) == set()


class TestScopeForUser:
    def test_a_regional_role_reaches_its_organisations_subtree(self, world):
        scope = scope_for_user(world.users["district_a_officer"])
        assert scope.region_paths == (world.regions["district_a"].path,)
        assert not scope.enterprise_ids and not scope.estate_ids and not scope.everything

    def test_enterprise_staff_reach_their_enterprise(self, world):
        scope = scope_for_user(world.users["enterprise_x_staff"])
        assert scope.enterprise_ids == {world.enterprises["enterprise_x"].pk}
        assert not scope.region_paths and not scope.estate_ids

    @pytest.mark.parametrize("persona", ["committee_a1a_member", "owner_of_a1a_101"])
    def test_estate_roles_reach_their_estate(self, world, persona):
        scope = scope_for_user(world.users[persona])
        assert scope.estate_ids == {world.estates["estate_a1a"].pk}
        assert not scope.region_paths and not scope.enterprise_ids

    def test_system_admin_sees_everything(self, world):
        assert scope_for_user(world.users["system_admin"]) == Scope(everything=True)

    def test_several_memberships_add_up(self, world):
        user = new_user()
        Membership.objects.create(
            user=user, organisation=org_of(world, "subdistrict_a1_officer"), role=Role.SUBDISTRICT_OFFICER
        )
        community_b1a = Organisation.objects.create(
            kind=OrganisationKind.COMMUNITY_COMMITTEE, name="阅海社区居委会", region=world.regions["com_b1a"]
        )
        Membership.objects.create(user=user, organisation=community_b1a, role=Role.COMMUNITY_OFFICER)
        scope = scope_for_user(user)
        assert set(scope.region_paths) == {world.regions["sub_a1"].path, world.regions["com_b1a"].path}
        assert estates_seen(world, scope) == {"estate_a1a", "estate_a1b", "estate_b1a"}

    def test_memberships_of_different_kinds_add_up(self, world):
        user = new_user()
        Membership.objects.create(
            user=user, organisation=org_of(world, "enterprise_x_staff"), role=Role.ENTERPRISE_STAFF
        )
        Membership.objects.create(
            user=user, organisation=org_of(world, "community_a1a_officer"), role=Role.COMMUNITY_OFFICER
        )
        assert estates_seen(world, scope_for_user(user)) == {"estate_a1a", "estate_b1a"}

    def test_a_subtree_inside_another_is_collapsed(self, world):
        user = new_user()
        Membership.objects.create(
            user=user, organisation=org_of(world, "district_a_officer"), role=Role.DISTRICT_OFFICER
        )
        Membership.objects.create(
            user=user, organisation=org_of(world, "community_a1a_officer"), role=Role.COMMUNITY_OFFICER
        )
        assert scope_for_user(user).region_paths == (world.regions["district_a"].path,)

    def test_an_inactive_membership_grants_nothing(self, world):
        user = world.users["district_a_officer"]
        Membership.objects.filter(user=user).update(active=False)
        assert scope_for_user(user).is_empty

    def test_only_the_active_membership_of_two_counts(self, world):
        user = new_user()
        Membership.objects.create(
            user=user,
            organisation=org_of(world, "district_a_officer"),
            role=Role.DISTRICT_OFFICER,
            active=False,
        )
        Membership.objects.create(
            user=user, organisation=org_of(world, "district_b_officer"), role=Role.DISTRICT_OFFICER
        )
        assert estates_seen(world, scope_for_user(user)) == EXPECTED_ESTATES["district_b_officer"]

    def test_a_user_with_no_membership_sees_nothing(self, world):
        scope = scope_for_user(new_user())
        assert scope.is_empty
        assert estates_seen(world, scope) == set()

    def test_a_deactivated_user_sees_nothing(self, world):
        user = world.users["city_admin"]
        user.is_active = False
        user.save(update_fields=["is_active"])
        assert scope_for_user(user).is_empty

    def test_an_anonymous_user_sees_nothing(self):
        from django.contrib.auth.models import AnonymousUser

        assert scope_for_user(AnonymousUser()).is_empty

    def test_an_inactive_system_admin_membership_does_not_open_everything(self, world):
        user = world.users["system_admin"]
        Membership.objects.filter(user=user).update(active=False)
        assert not scope_for_user(user).everything

    def test_it_can_be_narrowed_to_the_memberships_in_some_roles(self, world):
        user = new_user()
        Membership.objects.create(
            user=user, organisation=org_of(world, "subdistrict_a1_officer"), role=Role.SUBDISTRICT_OFFICER
        )
        Membership.objects.create(
            user=user, organisation=org_of(world, "district_b_officer"), role=Role.DISTRICT_OFFICER
        )
        narrowed = scope_for_user(user, roles={Role.DISTRICT_OFFICER})
        assert narrowed.region_paths == (world.regions["district_b"].path,)
        assert scope_for_user(user, roles=set()).is_empty

    def test_it_costs_one_query(self, world, django_assert_num_queries):
        user = world.users["enterprise_x_staff"]
        with django_assert_num_queries(1):
            scope_for_user(user)
