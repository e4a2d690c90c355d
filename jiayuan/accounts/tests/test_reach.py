"""A user's scope is the union of the reach of their active memberships, and nothing more.

Accounts resolves it (jiayuan/accounts/reach.py) and registers it with core's actor mechanism."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiayuan.accounts.choices import OrganisationKind, Role
from jiayuan.accounts.models import Membership, Organisation, User
from jiayuan.accounts.reach import scope_for_user
from jiayuan.accounts.services import membership_grant
from jiayuan.core.actor import system_actor
from jiayuan.core.scoping import Scope
from jiayuan.estates.models import Estate
from jiayuan.testing import api as api_testing
from jiayuan.testing.world import EXPECTED_ESTATES

pytestmark = pytest.mark.django_db

drf_api = api_testing.drf_api


def org_of(world, username):
    return world.users[username].memberships.get().organisation


def new_user(username="dual_officer"):
    return User.objects.create_user(username=username, password="x")


def estates_seen(world, scope):
    visible = set(Estate.objects.filter(Estate.scope_filter(scope)).values_list("pk", flat=True))
    return {key for key, estate in world.estates.items() if estate.pk in visible}


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


def grant_district_b(world, user):
    organisation = org_of(world, "district_b_officer")
    membership_grant(actor=system_actor(), user=user, organisation=organisation, role=Role.DISTRICT_OFFICER)


class TestTheReachIsCachedAcrossRequests:
    """The actor's reach is resolved once per user and access version, not on every request."""

    @staticmethod
    def membership_queries(client, url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return response, sum("accounts_membership" in query["sql"] for query in queries.captured_queries)

    def test_a_second_request_of_the_same_session_reads_no_membership(self, client, world):
        client.force_login(world.users["district_a_officer"])
        url = reverse("estates:detail", args=[world.estates["estate_a1a"].pk])
        first, read = self.membership_queries(client, url)
        assert first.status_code == 200 and read == 1
        second, read = self.membership_queries(client, url)
        assert second.status_code == 200 and read == 0

    def test_a_second_request_with_the_same_token_reads_no_membership(self, drf_api, world):
        client = drf_api("district_a_officer")
        assert self.membership_queries(client, "/api/v1/estates/")[1] == 1
        response, read = self.membership_queries(client, "/api/v1/estates/")
        assert response.status_code == 200 and read == 0

    def test_a_membership_granted_takes_effect_on_the_next_request(self, client, world):
        user = world.users["district_a_officer"]
        client.force_login(user)
        url = reverse("estates:detail", args=[world.estates["estate_b1a"].pk])
        assert client.get(url).status_code == 404
        membership_grant(
            actor=system_actor(),
            user=user,
            organisation=org_of(world, "district_b_officer"),
            role=Role.DISTRICT_OFFICER,
        )
        assert client.get(url).status_code == 200

    def test_a_membership_granted_reaches_a_token_on_its_next_request(self, drf_api, world):
        user = world.users["district_a_officer"]
        client = drf_api("district_a_officer")
        url = f"/api/v1/estates/{world.estates['estate_b1a'].pk}/"
        assert client.get(url).status_code == 404
        membership_grant(
            actor=system_actor(),
            user=user,
            organisation=org_of(world, "district_b_officer"),
            role=Role.DISTRICT_OFFICER,
        )
        assert client.get(url).status_code == 200

    def test_a_deactivated_user_loses_access_at_once(self, client, drf_api, world):
        user = world.users["district_a_officer"]
        client.force_login(user)
        api = drf_api("district_a_officer")
        url = reverse("estates:detail", args=[world.estates["estate_a1a"].pk])
        assert client.get(url).status_code == 200
        assert api.get("/api/v1/estates/").status_code == 200
        User.objects.filter(pk=user.pk).update(is_active=False)
        assert client.get(url).status_code == 302  # to the login page
        assert api.get("/api/v1/estates/").status_code == 401

    def test_the_version_is_bumped_in_the_granting_transaction(self, world):
        user = world.users["district_a_officer"]
        before = user.access_version
        membership_grant(
            actor=system_actor(),
            user=user,
            organisation=org_of(world, "district_b_officer"),
            role=Role.DISTRICT_OFFICER,
        )
        assert User.objects.get(pk=user.pk).access_version == user.access_version == before + 1
