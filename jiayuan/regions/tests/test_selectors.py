"""Region reads: each persona browses the tree from the top of its own jurisdiction."""

import pytest

from jiayuan.estates.selectors import region_children, region_roots
from jiayuan.regions.selectors import (
    department_list,
    region_breadcrumbs,
    region_list,
)
from jiayuan.testing.world import estate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "roots"),
    [
        ("city_admin", ["city"]),
        ("district_a_officer", ["district_a"]),
        ("subdistrict_a1_officer", ["sub_a1"]),
        ("community_a1a_officer", ["com_a1a"]),
        ("enterprise_x_staff", ["com_a1a", "com_b1a"]),
        ("owner_of_a1a_101", ["com_a1a"]),
    ],
)
def test_the_browser_starts_at_the_top_of_what_the_persona_sees(world, actor_of, persona, roots):
    assert list(region_roots(actor=actor_of(persona))) == [world.regions[key] for key in roots]


def test_children_are_counted_and_scoped(world, actor_of):
    children = list(
        region_children(actor=actor_of("subdistrict_a1_officer"), region=world.regions["district_a"])
    )
    assert children == [world.regions["sub_a1"]]
    district_a = region_children(actor=actor_of("district_a_officer"), region=world.regions["district_a"])
    sub_a1 = district_a.get(pk=world.regions["sub_a1"].pk)
    assert (sub_a1.child_count, sub_a1.subtree_estates) == (2, 2)
    communities = region_children(actor=actor_of("district_a_officer"), region=world.regions["sub_a1"])
    assert [(c.code, c.subtree_estates) for c in communities] == [
        (world.regions["com_a1a"].code, 1),
        (world.regions["com_a1b"].code, 1),
    ]


def test_the_estate_counts_are_only_of_estates_the_actor_sees(world, actor_of):
    estate("未服务小区", world.regions["com_a1a"])
    roots = {r.pk: r for r in region_roots(actor=actor_of("enterprise_x_staff"))}
    assert roots[world.regions["com_a1a"].pk].subtree_estates == 1
    [district_a] = region_roots(actor=actor_of("district_a_officer"))
    assert (district_a.child_count, district_a.subtree_estates) == (2, 4)


def test_breadcrumbs_open_only_the_visible_ancestors(world, actor_of):
    crumbs = region_breadcrumbs(actor=actor_of("subdistrict_a1_officer"), region=world.regions["com_a1a"])
    assert [(region, visible) for region, visible in crumbs] == [
        (world.regions["city"], False),
        (world.regions["district_a"], False),
        (world.regions["sub_a1"], True),
    ]


def test_region_list_filters_by_level_and_parent(world, actor_of):
    actor = actor_of("district_a_officer")
    assert {r.name for r in region_list(actor=actor, level="community")} == {
        "银古社区",
        "丽景社区",
        "文化社区",
    }
    assert list(region_list(actor=actor, parent_id=world.regions["sub_a2"].pk)) == [world.regions["com_a2a"]]
    assert not region_list(actor=actor, parent_id=world.regions["district_b"].pk).exists()


def test_departments_of_the_jurisdiction_and_above_are_listed(world, actor_of):
    assert [d.name for d in department_list(actor=actor_of("subdistrict_a1_officer"))] == ["兴庆区公安分局"]
    assert not department_list(actor=actor_of("enterprise_x_staff")).exists()
