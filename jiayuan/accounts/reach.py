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


def membership_reach(membership: Membership) -> Scope:
    """What one membership reaches, by its role and the organisation it is held in."""
    org, role = membership.organisation, membership.role
    if role == Role.SYSTEM_ADMIN:
        return Scope(everything=True)
    if role in REGIONAL_ROLES and org.region_id:
        return Scope(region_paths=(org.region.path,))
    if role == Role.ENTERPRISE_STAFF and org.enterprise_id:
        return Scope(enterprise_ids=frozenset({org.enterprise_id}))
    if role in ESTATE_ROLES and org.estate_id:
        return Scope(estate_ids=frozenset({org.estate_id}))
    return Scope()


def resolve_reach(user: Any) -> Reach:
    """The reach of a user's active memberships, per role, and their departments (one query)."""
    by_role: dict[str, list[Scope]] = {}
    departments: set[int] = set()
    memberships = Membership.objects.filter(user=user, active=True).select_related("organisation__region")
    for membership in memberships:
        by_role.setdefault(membership.role, []).append(membership_reach(membership))
        if membership.role == Role.DEPARTMENT_OFFICER and membership.organisation.department_id:
            departments.add(membership.organisation.department_id)
    scopes = {role: Scope.union(*reaches) for role, reaches in by_role.items()}
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
