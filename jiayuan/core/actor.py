"""The Actor: who is acting, in which roles, with which reach. Services and selectors take one.

Core does not know where roles and reach come from: the app that owns memberships registers an
`ActorSource` once (`register_actor_source`, from its AppConfig.ready), which resolves a user into a
`Reach` and says what each role may do. `actor_for(user)` is the one way to get a user's Actor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model

from jiayuan.core.exceptions import NotPermitted
from jiayuan.core.scoping import Scope


@dataclass(frozen=True)
class Reach:
    """What a user's memberships give them: each role held, with where that role reaches (the union
    of the memberships held in it), and the departments they work for as a department officer."""

    scopes: Mapping[str, Scope] = field(default_factory=dict)
    department_ids: frozenset[int] = frozenset()

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.scopes)

    def scope(self, roles: Iterable[str] | None = None) -> Scope:
        """The union of the reach of the given roles (all roles held if None)."""
        held = self.scopes if roles is None else {r: self.scopes[r] for r in roles if r in self.scopes}
        return Scope.union(*held.values())


class ActorSource(Protocol):
    """What the app owning memberships registers with core (see `register_actor_source`)."""

    # The roles of the platform itself (`system_actor`): they see everything.
    system_roles: frozenset[str]

    def reach_of(self, user: Any) -> Reach:
        """The reach of an authenticated, active user."""
        ...

    def permissions_of(self, role: str) -> frozenset[str]:
        """What a role may do: permission names (`jiayuan.core.permissions`)."""
        ...

    def role_label(self, role: str) -> str:
        """The role's name as people read it ("" for a role it does not know)."""
        ...


_source: ActorSource | None = None


def register_actor_source(source: ActorSource) -> None:
    """Called once, from the AppConfig.ready of the app that owns memberships (accounts)."""
    global _source
    _source = source


def actor_source() -> ActorSource:
    if _source is None:
        raise ImproperlyConfigured(
            "No app registered an ActorSource (jiayuan.core.actor.register_actor_source)"
        )
    return _source


@dataclass(frozen=True)
class ClientPrincipal:
    """Stands in for a user when a machine or a body acts (an Open311 client, a QR intake desk):
    named in the timeline and the audit log."""

    username: str
    pk: None = None
    is_authenticated: bool = False
    is_active: bool = False


@dataclass
class Actor:
    user: Any
    scope: Scope
    roles: frozenset[str]
    # Where each role held reaches (from the memberships); None for an Actor built by hand.
    scopes_by_role: Mapping[str, Scope] | None = None
    # The departments the actor works for as a department officer (cases referred to them).
    department_ids: frozenset[int] = frozenset()

    @cached_property
    def permissions(self) -> frozenset[str]:
        source = actor_source()
        granted: set[str] = set()
        for role in self.roles:
            granted |= source.permissions_of(role)
        return frozenset(granted)

    @property
    def username(self) -> str:
        return str(getattr(self.user, "username", "") or "")

    def has(self, permission: str) -> bool:
        return permission in self.permissions

    def require(self, permission: str) -> None:
        if not self.has(permission):
            raise NotPermitted(permission)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def role_labels(self) -> list[str]:
        source = actor_source()
        return sorted(label for role in self.roles if (label := source.role_label(role)))

    def scope_for(self, permission: str) -> Scope:
        """Where the actor holds `permission`: the reach of the memberships whose role grants it.

        Permissions do not travel between memberships: a subdistrict officer of A1 who is also the
        community officer of B1a sees both, but may read owners' personal data (a community
        officer's permission) only in B1a. No query: the reach of each role came with the Actor.
        """
        source = actor_source()
        granting = frozenset(role for role in self.roles if permission in source.permissions_of(role))
        if granting == self.roles:
            return self.scope
        if not granting:
            return Scope()
        if self.scopes_by_role is None:
            # An Actor built by hand (no memberships to resolve): its scope is all we know.
            return self.scope
        return Reach(scopes=self.scopes_by_role).scope(granting)

    def can_see(self, obj: Model, *, permission: str | None = None) -> bool:
        """Whether `obj` is in the actor's scope (or, given a permission, where they hold it)."""
        scope = self.scope if permission is None else self.scope_for(permission)
        model: Any = type(obj)
        return bool(model._default_manager.filter(model.scope_filter(scope), pk=obj.pk).exists())


def actor_for(user: Any) -> Actor:
    """The Actor of a user, computed once per user object (so once per request).

    The registered source may cache the reach across requests (accounts does, per user and version).
    """
    cached = getattr(user, "_jiayuan_actor", None)
    if cached is not None:
        return cached
    reach = Reach()
    # A deactivated user keeps their memberships on record but acts in none of them.
    if getattr(user, "is_authenticated", False) and getattr(user, "is_active", False):
        reach = actor_source().reach_of(user)
    actor = Actor(
        user=user,
        scope=reach.scope(),
        roles=reach.roles,
        scopes_by_role=reach.scopes,
        department_ids=reach.department_ids,
    )
    if getattr(user, "pk", None) is not None:
        user._jiayuan_actor = actor
    return actor


def system_actor() -> Actor:
    """The platform itself, for commands and jobs that act with no user (seed, periodic jobs)."""
    return Actor(user=None, scope=Scope(everything=True), roles=actor_source().system_roles)
