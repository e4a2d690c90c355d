"""Core's actor mechanism knows no app: whatever source is registered says who sees what."""

from dataclasses import dataclass

import pytest

from jiayuan.core import actor as actor_module
from jiayuan.core.actor import Reach, actor_for, system_actor
from jiayuan.core.scoping import Scope


@dataclass
class Person:
    pk: int = 7
    username: str = "someone"
    is_authenticated: bool = True
    is_active: bool = True


class Source:
    system_roles = frozenset({"root"})

    def __init__(self):
        self.asked = 0

    def reach_of(self, user):
        self.asked += 1
        return Reach(
            scopes={"inspector": Scope(region_paths=("c/a/",)), "resident": Scope(estate_ids=frozenset({3}))},
            department_ids=frozenset({5}),
        )

    def permissions_of(self, role):
        return {"inspector": frozenset({"things.inspect"}), "root": frozenset({"things.all"})}.get(
            role, frozenset()
        )

    def role_label(self, role):
        return role.title()


@pytest.fixture
def source(monkeypatch):
    registered = Source()
    monkeypatch.setattr(actor_module, "_source", registered)
    return registered


def test_the_actor_is_what_the_registered_source_says(source):
    actor = actor_for(Person())
    assert actor.roles == {"inspector", "resident"}
    assert actor.scope == Scope(region_paths=("c/a/",), estate_ids=frozenset({3}))
    assert actor.department_ids == {5}
    assert actor.permissions == {"things.inspect"}
    assert actor.role_labels() == ["Inspector", "Resident"]


def test_a_permission_reaches_only_as_far_as_the_roles_granting_it(source):
    actor = actor_for(Person())
    assert actor.scope_for("things.inspect") == Scope(region_paths=("c/a/",))
    assert actor.scope_for("things.unknown").is_empty


def test_the_source_is_asked_once_per_user_object_and_never_for_an_inactive_user(source):
    person = Person()
    assert actor_for(person) is actor_for(person)
    assert source.asked == 1
    assert actor_for(Person(pk=8, is_active=False)).roles == frozenset()
    assert source.asked == 1


def test_the_system_actor_holds_the_sources_system_roles(source):
    actor = system_actor()
    assert actor.scope.everything
    assert actor.roles == {"root"}
    assert actor.has("things.all")
