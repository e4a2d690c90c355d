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

    def can_see(self, obj: Model) -> bool:
        model: Any = type(obj)
        return bool(model._default_manager.filter(model.scope_filter(self.scope), pk=obj.pk).exists())


def actor_for(user: Any) -> Actor:
    """The Actor of a user, computed once per user object (so once per request)."""
    cached = getattr(user, "_jiayuan_actor", None)
    if cached is not None:
        return cached
    from jiayuan.accounts.models import Membership

    roles: frozenset[str] = frozenset()
    if getattr(user, "is_authenticated", False):
        roles = frozenset(Membership.objects.filter(user=user, active=True).values_list("role", flat=True))
    actor = Actor(user=user, scope=scope_for_user(user), roles=roles)
    if getattr(user, "pk", None) is not None:
        user._jiayuan_actor = actor
    return actor


def system_actor() -> Actor:
    """The platform itself, for commands and jobs that act with no user (seed, periodic jobs)."""
    from jiayuan.accounts.choices import Role

    return Actor(user=None, scope=Scope(everything=True), roles=frozenset({Role.SYSTEM_ADMIN}))
