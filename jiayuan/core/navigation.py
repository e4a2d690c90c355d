"""The main navigation: core draws it (`{% nav_items %}`), the app composing the site registers it.

Core knows no app's pages: `jiayuan.dashboard` (the home page, on top of the apps whose sections it
lists) registers the sections and which roles see each, from its AppConfig.ready.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any
    roles: frozenset[str] | None  # None: every logged-in user
    # A further test of the actor, for a section whose readers depend on more than the role.
    allowed: Callable[[Any], bool] | None = None


_items: tuple[NavItem, ...] = ()


def register_navigation(items: Iterable[NavItem]) -> None:
    """Set the sections of the main navigation, in order (called once)."""
    global _items
    _items = tuple(items)


def navigation() -> tuple[NavItem, ...]:
    return _items
