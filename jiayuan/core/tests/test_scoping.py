"""The Scope value: what a path prefix covers, how scopes add up. (Where a user's scope comes from:
jiayuan/accounts/tests/test_reach.py.)"""

from jiayuan.core.scoping import Scope, collapse_paths


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


class TestUnion:
    def test_it_adds_up_paths_enterprises_and_estates_collapsing_subtrees(self):
        union = Scope.union(
            Scope(region_paths=("c/a/",), estate_ids=frozenset({1})),
            Scope(region_paths=("c/a/1/", "c/b/"), enterprise_ids=frozenset({2})),
        )
        assert union == Scope(
            region_paths=("c/a/", "c/b/"), enterprise_ids=frozenset({2}), estate_ids=frozenset({1})
        )

    def test_everything_wins_and_nothing_is_empty(self):
        assert Scope.union(Scope(region_paths=("c/",)), Scope(everything=True)) == Scope(everything=True)
        assert Scope.union().is_empty
