"""The scoping mechanism: what a user may see, as a `Scope`, and how every read is narrowed to it.

A scope has three kinds of reach:
- region subtrees (by path prefix),
- enterprises (their staff see the estates they serve today),
- estates (owners' committee members and owners).
or everything. Core does not know where a user's scope comes from, nor which estates an enterprise
serves: apps register their part once, from their AppConfig.ready:
- the app owning memberships (accounts) resolves a user into a `Reach` (`jiayuan.core.actor`),
- the app owning service contracts (enterprises) says which estates an enterprise serves
  (`register_served_estates`).

Each scoped model declares how it reaches an estate or a region by subclassing `ScopedModel`
(or overriding `scope_filter`); `Model.objects.visible_to(actor)` is the only way a user-facing
read starts. What is outside the scope is filtered out, so asking for it by id gives 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self

from django.core.exceptions import ImproperlyConfigured
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

    @classmethod
    def union(cls, *scopes: Scope) -> Scope:
        """What any of the scopes reaches (nothing for none)."""
        if any(scope.everything for scope in scopes):
            return cls(everything=True)
        return cls(
            region_paths=tuple(sorted(collapse_paths({p for scope in scopes for p in scope.region_paths}))),
            enterprise_ids=frozenset().union(*(scope.enterprise_ids for scope in scopes)),
            estate_ids=frozenset().union(*(scope.estate_ids for scope in scopes)),
        )


def join(lookup: str, name: str) -> str:
    return f"{lookup}__{name}" if lookup else name


def region_subtree_q(scope: Scope, path_lookup: str) -> Q:
    """Rows whose region path lies under one of the scope's region subtrees."""
    q = NOTHING
    for prefix in scope.region_paths:
        q |= Q(**{f"{path_lookup}__startswith": prefix})
    return q


# (enterprise ids, day) -> a subquery of estate ids: registered by the app owning service contracts.
ServedEstates = Callable[[frozenset[int], dt.date], Any]
_served_estates: ServedEstates | None = None


def register_served_estates(provider: ServedEstates) -> None:
    """Called once, from the AppConfig.ready of the app owning service contracts (enterprises)."""
    global _served_estates
    _served_estates = provider


def served_estate_ids(enterprise_ids: frozenset[int], on: dt.date | None = None) -> Any:
    """Subquery: the estates the given enterprises serve under a contract in force on a day."""
    if _served_estates is None:
        raise ImproperlyConfigured(
            "No app registered the estates an enterprise serves (register_served_estates)"
        )
    return _served_estates(frozenset(enterprise_ids), on or timezone.localdate())


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


def collapse_paths(paths: set[str]) -> set[str]:
    """Drop subtrees already covered by an ancestor, so filters stay short."""
    return {p for p in paths if not any(p != q and p.startswith(q) for q in paths)}
