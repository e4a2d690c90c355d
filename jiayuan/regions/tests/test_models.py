"""Regions form a tree addressed by path: a subtree is one prefix match."""

import pytest
from django.db.models import Q

from jiayuan.core.scoping import Scope
from jiayuan.regions.models import Department, Region

pytestmark = pytest.mark.django_db


def test_a_path_is_the_chain_of_codes_from_the_city(world):
    community = world.regions["com_a1a"]
    assert community.path == "640100000000/640104000000/640104001000/640104001001/"
    assert community.ancestor_codes() == ["640100000000", "640104000000", "640104001000"]


def test_ancestors_run_from_the_city_down_in_one_query(world, django_assert_num_queries):
    community = world.regions["com_a1a"]
    with django_assert_num_queries(1):
        ancestors = community.ancestors()
    assert ancestors == [world.regions["city"], world.regions["district_a"], world.regions["sub_a1"]]
    assert world.regions["city"].ancestors() == []


def test_a_region_scope_sees_its_subtree_and_not_its_parent_or_siblings(world):
    scope = Scope(region_paths=(world.regions["sub_a1"].path,))
    names = set(Region.objects.filter(Region.scope_filter(scope)).values_list("name", flat=True))
    assert names == {"凤凰北街街道", "银古社区", "丽景社区"}


def test_departments_of_the_regions_above_serve_the_subtree(world):
    city_fire = Department.objects.create(kind="fire", name="市消防支队", region=world.regions["city"])
    scope = Scope(region_paths=(world.regions["com_a1a"].path,))
    seen = set(Department.objects.filter(Department.scope_filter(scope)))
    assert seen == {city_fire, world.departments["police_a"]}


def test_everything_is_no_filter_at_all():
    assert Region.scope_filter(Scope(everything=True)) == Q()
    assert Department.scope_filter(Scope(everything=True)) == Q()
