"""Two people at once, for real: concurrent filers get distinct numbers, concurrent transitions one winner.

Runs on PostgreSQL only (SQLite serialises writers, and its test database is not shared between
threads); CI runs the suite on both.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from jiayuan.cases.models import Case, CaseEvent
from jiayuan.cases.services import case_accept, case_file, case_reject
from jiayuan.cases.tests.factories import ENTERPRISE_CATEGORY
from jiayuan.core.actor import system_actor
from jiayuan.core.exceptions import Conflict

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections"),
]


def run_together(jobs: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:  # the test inspects what each thread got
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def file_one(estate: Any) -> Case:
    return case_file(
        actor=system_actor(),
        estate=estate,
        category=ENTERPRISE_CATEGORY,
        description="并发登记",
        source="api",
        confirm_not_duplicate=True,
    )


def test_concurrent_filers_get_distinct_consecutive_numbers(world):
    estate = world.estate_a1a
    results = run_together([lambda: [file_one(estate) for _ in range(3)] for _ in range(4)])
    assert not [r for r in results if isinstance(r, Exception)], results
    serials = sorted(Case.objects.values_list("number_serial", flat=True))
    assert serials == list(range(1, 13))


def test_of_two_concurrent_transitions_one_wins_and_the_other_changes_nothing(world):
    case = file_one(world.estate_a1a)
    actor = system_actor()
    results = run_together(
        [
            lambda: case_accept(actor=actor, case=Case.objects.get(pk=case.pk), version=1),
            lambda: case_reject(actor=actor, case=Case.objects.get(pk=case.pk), version=1, reason="重复"),
        ]
    )
    conflicts = [r for r in results if isinstance(r, Conflict)]
    winners = [r for r in results if isinstance(r, Case)]
    assert (len(conflicts), len(winners)) == (1, 1), results
    case.refresh_from_db()
    assert case.version == 2 and case.state == winners[0].state
    assert CaseEvent.objects.filter(case=case).exclude(transition="file").count() == 1
