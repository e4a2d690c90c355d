"""The region browser: starts at the actor's topmost regions; the rest of the tree is a 404."""

import pytest
from django.urls import reverse

from jiayuan.testing.world import EXPECTED_ESTATES

pytestmark = pytest.mark.django_db

ROOTS = {
    "city_admin": {"city"},
    "auditor": {"city"},
    "system_admin": {"city"},
    "district_a_officer": {"district_a"},
    "district_b_officer": {"district_b"},
    "subdistrict_a1_officer": {"sub_a1"},
    "community_a1a_officer": {"com_a1a"},
    "police_a_officer": {"district_a"},
    "enterprise_x_staff": {"com_a1a", "com_b1a"},
    "committee_a1a_member": {"com_a1a"},
    "owner_of_a1a_101": {"com_a1a"},
}


def log_in(client, world, persona):
    client.force_login(world.users[persona])
    return client


def keys(world, regions):
    pks = {region.pk for region in regions}
    return {key for key, region in world.regions.items() if region.pk in pks}


@pytest.mark.parametrize("persona", sorted(EXPECTED_ESTATES))
def test_the_browser_starts_at_the_topmost_visible_regions(client, world, persona):
    response = log_in(client, world, persona).get(reverse("regions:browse"))
    assert response.status_code == 200
    assert keys(world, response.context["regions"]) == ROOTS[persona]


def test_roots_count_their_children_and_the_estates_below(client, world):
    response = log_in(client, world, "district_a_officer").get(reverse("regions:browse"))
    [district] = response.context["regions"]
    assert district.child_count == 2
    assert district.subtree_estates == 3


def test_a_district_lists_its_subdistricts_with_counts(client, world):
    log_in(client, world, "city_admin")
    response = client.get(reverse("regions:detail", args=[world.regions["district_a"].pk]))
    children = {region.name: region for region in response.context["children"]}
    assert set(children) == {"凤凰北街街道", "解放西街街道"}
    assert children["凤凰北街街道"].child_count == 2
    assert children["凤凰北街街道"].subtree_estates == 2


def test_a_community_lists_its_estates(client, world):
    log_in(client, world, "community_a1a_officer")
    response = client.get(reverse("regions:detail", args=[world.regions["com_a1a"].pk]))
    assert [estate.name for estate in response.context["estates_page"]] == ["银古花园"]


def test_breadcrumbs_link_only_to_visible_ancestors(client, world):
    log_in(client, world, "subdistrict_a1_officer")
    response = client.get(reverse("regions:detail", args=[world.regions["com_a1a"].pk]))
    crumbs = [(region.name, visible) for region, visible in response.context["breadcrumbs"]]
    assert crumbs == [("银川市", False), ("兴庆区", False), ("凤凰北街街道", True)]
    content = response.content.decode()
    assert reverse("regions:detail", args=[world.regions["sub_a1"].pk]) in content
    assert reverse("regions:detail", args=[world.regions["district_a"].pk]) not in content


@pytest.mark.parametrize(
    ("persona", "region", "status"),
    [
        ("district_a_officer", "district_b", 404),
        ("district_a_officer", "com_b1a", 404),
        ("district_a_officer", "city", 404),
        ("district_a_officer", "com_a2a", 200),
        ("community_a1a_officer", "com_a1b", 404),
        ("owner_of_a1a_101", "sub_a1", 404),
        ("owner_of_a1a_101", "com_a1a", 200),
        ("enterprise_x_staff", "com_b1a", 200),
        ("enterprise_x_staff", "com_a1b", 404),
    ],
)
def test_regions_outside_the_scope_are_not_found(client, world, persona, region, status):
    response = log_in(client, world, persona).get(reverse("regions:detail", args=[world.regions[region].pk]))
    assert response.status_code == status
