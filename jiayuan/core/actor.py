"""The Actor: who is acting, in which roles, with which reach. Services and selectors take one."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Model

from jiayuan.core.exceptions import NotPermitted
from jiayuan.core.scoping import Scope, scope_for_user


@dataclass
class Actor:
    user: Any
    scope: Scope
    roles: frozenset[str]

    @cached_property
    def permissions(self) -> frozenset[str]:
        from jiayuan.core.permissions import ROLE_PERMISSIONS

        granted: set[str] = set()
        for role in self.roles:
            granted |= ROLE_PERMISSIONS.get(role, frozenset())
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

    @cached_property
    def _scopes_by_permission(self) -> dict[str, Scope]:
        return {}

    def scope_for(self, permission: str) -> Scope:
        """Where the actor holds `permission`: the reach of the memberships whose role grants it.

        Permissions do not travel between memberships: a subdistrict officer of A1 who is also the
        community officer of B1a sees both, but may read owners' personal data (a community
        officer's permission) only in B1a.
        """
        from jiayuan.core.permissions import ROLE_PERMISSIONS

        granting = frozenset(role for role in self.roles if permission in ROLE_PERMISSIONS.get(role, ()))
        if granting == self.roles:
            return self.scope
        if not granting:
            return Scope()
        if getattr(self.user, "pk", None) is None:
            # An Actor built by hand (no memberships to resolve): its scope is all we know.
            return self.scope
        cache = self._scopes_by_permission
        if permission not in cache:
            cache[permission] = scope_for_user(self.user, roles=granting)
        return cache[permission]

    @cached_property
    def department_ids(self) -> frozenset[int]:
        """The departments the actor works for as a department officer (cases referred to them)."""
        if getattr(self.user, "pk", None) is None:
            return frozenset()
        from jiayuan.accounts.choices import Role
        from jiayuan.accounts.models import Membership

        rows = Membership.objects.filter(
            user=self.user, active=True, role=Role.DEPARTMENT_OFFICER, organisation__department__isnull=False
        ).values_list("organisation__department_id", flat=True)
        return frozenset(rows)

    def can_see(self, obj: Model, *, permission: str | None = None) -> bool:
        """Whether `obj` is in the actor's scope (or, given a permission, where they hold it)."""
        scope = self.scope if permission is None else self.scope_for(permission)
        model: Any = type(obj)
        return bool(model._default_manager.filter(model.scope_filter(scope), pk=obj.pk).exists())


def actor_for(user: Any) -> Actor:
    """The Actor of a user, computed once per user object (so once per request)."""
    cached = getattr(user, "_jiayuan_actor", None)
    if cached is not None:
        return cached
    from jiayuan.accounts.models import Membership

    roles: frozenset[str] = frozenset()
    # A deactivated user keeps their memberships on record but acts in none of them.
    if getattr(user, "is_authenticated", False) and getattr(user, "is_active", False):
        roles = frozenset(Membership.objects.filter(user=user, active=True).values_list("role", flat=True))
    actor = Actor(user=user, scope=scope_for_user(user), roles=roles)
    if getattr(user, "pk", None) is not None:
        user._jiayuan_actor = actor
    return actor


def system_actor() -> Actor:
    """The platform itself, for commands and jobs that act with no user (seed, periodic jobs)."""
    from jiayuan.accounts.choices import Role

    return Actor(user=None, scope=Scope(everything=True), roles=frozenset({Role.SYSTEM_ADMIN}))
