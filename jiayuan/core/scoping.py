"""The one place that turns a user into what they may see.

Every membership grants one of three kinds of reach:
- a region subtree (housing bureau, subdistrict, community, department, auditor),
- an enterprise (its staff see the estates it serves today),
- an estate (owners' committee members and owners).
`system_admin` sees everything. A user's `Scope` is the union of their memberships' reach.

Each scoped model declares how it reaches an estate or a region by subclassing `ScopedModel`
(or overriding `scope_filter`); `Model.objects.visible_to(actor)` is the only way a user-facing
read starts. What is outside the scope is filtered out, so asking for it by id gives 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q
from django.utils import timezone

if TYPE_CHECKING:
    from jiayuan.core.actor import Actor


NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    """The reach of one user: region subtrees (by path prefix), enterprises and estates."""

    everything: bool = False
    region_paths: tuple[str, ...] = ()
    enterprise_ids: frozenset[int] = field(default_factory=frozenset)
    estate_ids: frozenset[int] = field(default_factory=frozenset)

    def covers_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(prefix) for prefix in self.region_paths)

    @property
    def covers_a_city(self) -> bool:
        """Whether the scope reaches a whole city (a region path of a single code), or everything."""
        return self.everything or any(path.count("/") == 1 for path in self.region_paths)

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.region_paths or self.enterprise_ids or self.estate_ids)


def join(lookup: str, name: str) -> str:
    return f"{lookup}__{name}" if lookup else name


def region_subtree_q(scope: Scope, path_lookup: str) -> Q:
    """Rows whose region path lies under one of the scope's region subtrees."""
    q = NOTHING
    for prefix in scope.region_paths:
        q |= Q(**{f"{path_lookup}__startswith": prefix})
    return q


def served_estate_ids(enterprise_ids: frozenset[int], on: dt.date | None = None) -> Any:
    """Subquery: the estates the given enterprises serve under a contract in force on a day."""
    from jiayuan.enterprises.models import ServiceContract

    return (
        ServiceContract.objects.in_force_on(on or timezone.localdate())
        .filter(enterprise_id__in=enterprise_ids)
        .values("estate_id")
    )


def estate_q(scope: Scope, lookup: str) -> Q:
    """Rows whose estate (reached by `lookup`; "" for Estate itself) is within the scope."""
    if scope.everything:
        return Q()
    id_in = f"{lookup}__in" if lookup else "pk__in"
    q = region_subtree_q(scope, join(lookup, "community__path"))
    if scope.estate_ids:
        q |= Q(**{id_in: scope.estate_ids})
    if scope.enterprise_ids:
        q |= Q(**{id_in: served_estate_ids(scope.enterprise_ids)})
    return q


class ScopedQuerySet(models.QuerySet):
    """A queryset that can narrow itself to what an actor may see."""

    def visible_to(self, actor: Actor) -> Self:
        return self.filter(self.model.scope_filter(actor.scope))


class ScopedModel(models.Model):
    """A model that belongs to an estate. Subclasses name the lookup to it in `scope_estate`."""

    scope_estate = "estate"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return estate_q(scope, cls.scope_estate)


def scope_for_user(user: Any, roles: Iterable[str] | None = None) -> Scope:
    """Resolve the active memberships of a user into their Scope (one query).

    `roles` narrows it to the memberships held in those roles: the reach of a permission, which is
    only as wide as the memberships whose role grants it (see `Actor.scope_for`).
    """
    from jiayuan.accounts.choices import ESTATE_ROLES, REGIONAL_ROLES, Role
    from jiayuan.accounts.models import Membership

    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    paths: set[str] = set()
    enterprises: set[int] = set()
    estates: set[int] = set()
    memberships = Membership.objects.filter(user=user, active=True).select_related("organisation__region")
    if roles is not None:
        memberships = memberships.filter(role__in=sorted(roles))
    for membership in memberships:
        org = membership.organisation
        if membership.role == Role.SYSTEM_ADMIN:
            return Scope(everything=True)
        if membership.role in REGIONAL_ROLES and org.region_id:
            paths.add(org.region.path)
        elif membership.role == Role.ENTERPRISE_STAFF and org.enterprise_id:
            enterprises.add(org.enterprise_id)
        elif membership.role in ESTATE_ROLES and org.estate_id:
            estates.add(org.estate_id)
    return Scope(
        region_paths=tuple(sorted(collapse_paths(paths))),
        enterprise_ids=frozenset(enterprises),
        estate_ids=frozenset(estates),
    )


def collapse_paths(paths: set[str]) -> set[str]:
    """Drop subtrees already covered by an ancestor, so filters stay short."""
    return {p for p in paths if not any(p != q and p.startswith(q) for q in paths)}
