"""Who sees what: a user's active memberships resolved into their reach, registered with core.

Every membership grants one of three kinds of reach:
- a region subtree (housing bureau, subdistrict, community, department, auditor),
- an enterprise (its staff see the estates it serves today, which the enterprises app resolves),
- an estate (owners' committee members and owners).
`system_admin` sees everything. A user's `Scope` is the union of their memberships' reach; a
permission reaches only as far as the memberships whose role grants it (`Actor.scope_for`).

The resolved reach is cached (Django's cache) under the user's id and `User.access_version`, which
every service that changes a user's memberships bumps in the same transaction: the next request of
any session or token of that user resolves it afresh, in every process, since the version comes
with the user row each request loads anyway. A deactivated user acts in no membership at all
(`actor_for` checks `is_active` before asking for the reach).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache

from jiayuan.accounts.choices import ESTATE_ROLES, REGIONAL_ROLES, Role
from jiayuan.accounts.models import Membership
from jiayuan.accounts.roles import ROLE_PERMISSIONS
from jiayuan.core.actor import Reach
from jiayuan.core.scoping import Scope

# How long a resolved reach is kept: a bound for changes that bump no version (an organisation
# moved to another region by a system administrator); membership changes take effect at once.
DEFAULT_CACHE_SECONDS = 600


def resolve_reach(user: Any) -> Reach:
    """The reach of a user's active memberships, per role, and their departments (one query)."""
    paths: dict[str, set[str]] = {}
    enterprises: dict[str, set[int]] = {}
    estates: dict[str, set[int]] = {}
    everything: set[str] = set()
    departments: set[int] = set()
    memberships = Membership.objects.filter(user=user, active=True).select_related("organisation__region")
    for membership in memberships:
        org, role = membership.organisation, membership.role
        paths.setdefault(role, set())
        if role == Role.SYSTEM_ADMIN:
            everything.add(role)
        elif role in REGIONAL_ROLES and org.region_id:
            paths[role].add(org.region.path)
        elif role == Role.ENTERPRISE_STAFF and org.enterprise_id:
            enterprises.setdefault(role, set()).add(org.enterprise_id)
        elif role in ESTATE_ROLES and org.estate_id:
            estates.setdefault(role, set()).add(org.estate_id)
        if role == Role.DEPARTMENT_OFFICER and org.department_id:
            departments.add(org.department_id)
    scopes = {
        role: Scope(everything=True)
        if role in everything
        else Scope.union(
            Scope(
                region_paths=tuple(sorted(role_paths)),
                enterprise_ids=frozenset(enterprises.get(role, ())),
                estate_ids=frozenset(estates.get(role, ())),
            )
        )
        for role, role_paths in paths.items()
    }
    return Reach(scopes=scopes, department_ids=frozenset(departments))


def cache_key(user: Any) -> str:
    return f"jiayuan:reach:{user.pk}:{getattr(user, 'access_version', 0)}"


def reach_of(user: Any) -> Reach:
    """The reach of a user, from the cache when their memberships have not changed since."""
    key = cache_key(user)
    reach = cache.get(key)
    if reach is None:
        reach = resolve_reach(user)
        cache.set(key, reach, getattr(settings, "JIAYUAN_REACH_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))
    return reach


def scope_for_user(user: Any, roles: Any = None) -> Scope:
    """The Scope of a user (narrowed to memberships held in `roles` if given); for tests and tools."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    return resolve_reach(user).scope(roles)


class MembershipSource:
    """Registered with core (`register_actor_source`) by `AccountsConfig.ready`."""

    system_roles = frozenset({Role.SYSTEM_ADMIN.value})

    def reach_of(self, user: Any) -> Reach:
        return reach_of(user)

    def permissions_of(self, role: str) -> frozenset[str]:
        return ROLE_PERMISSIONS.get(role, frozenset())

    def role_label(self, role: str) -> str:
        return str(Role(role).label) if role in Role.values else ""
