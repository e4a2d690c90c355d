"""The work-queue mechanism: providers registered once, items sorted most urgent first."""

import datetime as dt

from jiayuan.core import queues
from jiayuan.core.queues import QueueItem, Urgency, previous_visit_from, queue_for, sort_key

NOW = dt.datetime(2026, 3, 16, 2, 0, tzinfo=dt.UTC)


def item(title, urgency=Urgency.TO_DO, deadline=None, weight=0):
    return QueueItem(kind="test", title=title, urgency=urgency, deadline=deadline, weight=weight)


def test_overdue_comes_before_due_soon_before_the_rest_then_by_deadline():
    items = [
        item("info", Urgency.INFO),
        item("to do, no deadline"),
        item("to do, later", deadline=NOW + dt.timedelta(days=3)),
        item("to do, a day", deadline=(NOW + dt.timedelta(days=1)).date()),
        item("due soon", Urgency.DUE_SOON, NOW + dt.timedelta(hours=5)),
        item("overdue, recent", Urgency.OVERDUE, NOW - dt.timedelta(hours=1)),
        item("overdue, oldest", Urgency.OVERDUE, NOW - dt.timedelta(days=9)),
        item("overdue, light", Urgency.OVERDUE, weight=1),
        item("overdue, heavy", Urgency.OVERDUE, weight=7),
    ]
    assert [i.title for i in sorted(items, key=sort_key)] == [
        "overdue, oldest",
        "overdue, recent",
        "overdue, heavy",
        "overdue, light",
        "due soon",
        "to do, a day",
        "to do, later",
        "to do, no deadline",
        "info",
    ]


def test_a_provider_registered_twice_is_asked_once(monkeypatch):
    monkeypatch.setattr(queues, "_providers", [])
    asked = []

    def provider(request):
        asked.append(request.actor)
        return [item("b", Urgency.INFO), item("a", Urgency.OVERDUE)]

    queues.register_queue(provider)
    queues.register_queue(provider)
    result = queue_for("someone", now=NOW, today=NOW.date())
    assert asked == ["someone"]
    assert [i.title for i in result] == ["a", "b"]


def test_the_previous_visit_is_read_back_only_when_it_is_a_moment_with_a_zone():
    key = queues.PREVIOUS_VISIT_SESSION_KEY
    assert previous_visit_from({key: NOW.isoformat()}) == NOW
    assert previous_visit_from({key: "2026-03-16T10:00:00"}) is None
    assert previous_visit_from({key: "yesterday"}) is None
    assert previous_visit_from({key: 5}) is None
    assert previous_visit_from({}) is None
