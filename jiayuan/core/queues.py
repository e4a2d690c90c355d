"""Work queues: what needs an actor now, contributed by each app, shown first on the home page.

Core knows no app's work. Each app writes a provider (in its own `queues.py`): a function that takes
a `QueueRequest` and returns `QueueItem`s for the roles it serves, and registers it once from its
AppConfig.ready (`register_queue`). `queue_for` asks every provider and sorts the items, most urgent
first: overdue before due soon before what is merely to do before what is for information, then
by deadline (the earliest first; none last). A provider must cost a fixed number of queries,
whatever the number of items (aggregates, one list with a limit), and return nothing for an actor
it does not concern. See docs/queues.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

# Where the login view keeps the moment of the user's previous login (an ISO timestamp), for
# providers that say what changed since the last visit (the login itself overwrites `last_login`).
PREVIOUS_VISIT_SESSION_KEY = "jiayuan.previous_visit"


class Urgency(IntEnum):
    """The rank of an item in the queue: lower comes first."""

    OVERDUE = 0
    DUE_SOON = 1
    TO_DO = 2
    INFO = 3


@dataclass(frozen=True)
class QueueItem:
    """One line of a queue: a count of things (linking to the list already filtered) or one object.

    `kind` is a stable code (`cases.overdue`), for tests and styling, never shown. `title` and
    `detail` are translated text. `count` is None for an item that stands for one object.
    `deadline` is the earliest deadline of what the item stands for (an aware datetime or a date).
    `url` is where to act ("" if there is no page); `post` makes the link a button that POSTs there
    (an action that writes). `group` names the list the item belongs to ("My complaints"); `button`
    shows the item as a prominent button (a thing to start, not a thing waiting).
    """

    kind: str
    title: str
    url: str = ""
    urgency: Urgency = Urgency.TO_DO
    count: int | None = None
    deadline: dt.datetime | dt.date | None = None
    detail: str = ""
    action: str = ""
    group: str = ""
    post: bool = False
    button: bool = False
    weight: int = 0  # among items of equal urgency and deadline, the heavier first (a larger count)

    @property
    def is_overdue(self) -> bool:
        return self.urgency == Urgency.OVERDUE

    @property
    def is_due_soon(self) -> bool:
        return self.urgency == Urgency.DUE_SOON

    @property
    def deadline_is_date(self) -> bool:
        """A calendar day (a term's end), shown without a time; else a moment."""
        return self.deadline is not None and not isinstance(self.deadline, dt.datetime)


@dataclass(frozen=True)
class QueueRequest:
    """What a provider is asked with: who, when, and when they were here before (None if unknown)."""

    actor: Any
    now: dt.datetime
    today: dt.date
    previous_visit: dt.datetime | None = None


QueueProvider = Callable[[QueueRequest], Iterable[QueueItem]]

_providers: list[QueueProvider] = []


def register_queue(provider: QueueProvider) -> None:
    """Add an app's provider (called once, from its AppConfig.ready; a second call changes nothing)."""
    if provider not in _providers:
        _providers.append(provider)


def providers() -> tuple[QueueProvider, ...]:
    return tuple(_providers)


def sort_key(item: QueueItem) -> tuple[int, int, float, int, str]:
    """Urgency, then items with a deadline before those without, then the deadline, then the
    heavier first, then the title."""
    deadline = item.deadline
    if deadline is None:
        return (int(item.urgency), 1, 0.0, -item.weight, item.title)
    if isinstance(deadline, dt.datetime):
        stamp = deadline.timestamp()
    else:
        stamp = dt.datetime.combine(deadline, dt.time.min, tzinfo=dt.UTC).timestamp()
    return (int(item.urgency), 0, stamp, -item.weight, item.title)


def queue_for(
    actor: Any, *, now: dt.datetime, today: dt.date, previous_visit: dt.datetime | None = None
) -> list[QueueItem]:
    """Every registered provider's items for the actor, most urgent first."""
    request = QueueRequest(actor=actor, now=now, today=today, previous_visit=previous_visit)
    items = [item for provider in _providers for item in provider(request)]
    return sorted(items, key=sort_key)


def previous_visit_from(session: Any) -> dt.datetime | None:
    """The previous login the login view kept in the session, or None (none kept, or unreadable)."""
    value = session.get(PREVIOUS_VISIT_SESSION_KEY) if session is not None else None
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
