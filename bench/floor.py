"""The floors the app is measured against, side by side in one run (bench/cases_city.py).

- The ledger: hand-written SQL returning the same page of 20 rows (and, for the page, the same
  counts) for the same filter, on one connection, in-process: what the database needs at least.
- Filing: a bare Django view (bench_urls.bare_file) writing the same three rows in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from typing import Any
from urllib.parse import parse_qs

PAGE = 20

COUNT_STATES = (
    "submitted",
    "accepted",
    "rejected",
    "dispatched",
    "in_progress",
    "rectified",
    "verified",
    "closed_out",
)


def local_midnight(day: str) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time.min))


def where_of(query: str, estate_ids: list[int], now: dt.datetime) -> tuple[str, list[Any]]:
    """The WHERE clause of a ledger filter's query string (the filters the benchmark times)."""

    params = parse_qs(query)
    # Literal lists, as one writes them by hand: `IN (1, 2, ...)` (an array parameter of another
    # integer type than the column's would keep PostgreSQL from the index).
    clauses, args = [f"c.estate_id IN ({', '.join(str(int(pk)) for pk in estate_ids)})"], []
    if "state" in params:
        states = sorted(params["state"])
        clauses.append(f"c.state IN ({', '.join(['%s'] * len(states))})")
        args += states
    if "category" in params:
        clauses.append("c.category = %s")
        args.append(params["category"][0])
    if "source" in params:
        sources = sorted(params["source"])
        clauses.append(f"c.source IN ({', '.join(['%s'] * len(sources))})")
        args += sources
    if params.get("overdue") == ["true"]:
        clauses.append(f"({overdue_sql()})")
        args += overdue_args(now)
    if "filed_after" in params:
        clauses.append("c.created_at >= %s")
        args.append(local_midnight(params["filed_after"][0]))
    if "filed_before" in params:
        clauses.append("c.created_at < %s")
        args.append(local_midnight(params["filed_before"][0]) + dt.timedelta(days=1))
    return " AND ".join(clauses), args


def overdue_sql() -> str:
    from jiayuan.cases.workflow import ACCEPTANCE_CLOCK, RECTIFICATION_CLOCK

    accept = ", ".join(["%s"] * len(ACCEPTANCE_CLOCK))
    rectify = ", ".join(["%s"] * len(RECTIFICATION_CLOCK))
    return f"(c.state IN ({accept}) AND c.accept_due_at < %s) OR (c.state IN ({rectify}) AND c.deadline < %s)"


def overdue_args(now: dt.datetime) -> list[Any]:
    from jiayuan.cases.workflow import ACCEPTANCE_CLOCK, RECTIFICATION_CLOCK

    return [*sorted(ACCEPTANCE_CLOCK), now, *sorted(RECTIFICATION_CLOCK), now]


def page_sql(
    query: str, estate_ids: list[int], now: dt.datetime, after: tuple[Any, int] | None
) -> tuple[str, list]:
    where, args = where_of(query, estate_ids, now)
    if after is not None:
        where += " AND c.created_at <= %s AND (c.created_at < %s OR c.id < %s)"
        args += [after[0], after[0], after[1]]
    sql = (
        "SELECT c.id, c.number, c.version, c.category, c.description, c.source, c.urgency, c.state, "
        "c.outcome, c.complainant_name, c.complainant_phone, c.handler_kind, c.accept_due_at, c.deadline, "
        "c.rating, c.escalation_level, c.created_at, c.closed_at, e.id, e.name, r.id, r.name "
        "FROM cases_case c JOIN estates_estate e ON e.id = c.estate_id "
        "JOIN regions_region r ON r.id = e.community_id "
        f"WHERE {where} ORDER BY c.created_at DESC, c.id DESC LIMIT {PAGE}"
    )
    return sql, args


def counts_sql(query: str, estate_ids: list[int], now: dt.datetime, poor: int) -> tuple[str, list]:
    where, args = where_of(query, estate_ids, now)
    states = ", ".join(f"count(*) FILTER (WHERE c.state = '{s}')" for s in COUNT_STATES)
    sql = (
        f"SELECT count(*), {states}, "
        f"count(*) FILTER (WHERE {overdue_sql()}), "
        "count(*) FILTER (WHERE c.rating <= %s), "
        "count(*) FILTER (WHERE c.state = 'closed_out' AND c.outcome = 'fixed') "
        f"FROM cases_case c WHERE {where}"
    )
    return sql, [*overdue_args(now), poor, *args]


def position(query: str, estate_ids: list[int], now: dt.datetime, page: int) -> tuple[Any, int] | None:
    """(created_at, id) of the last row of page `page - 1`: where page `page` starts."""
    from django.db import connection

    where, args = where_of(query, estate_ids, now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.created_at, c.id FROM cases_case c WHERE {where} "
            f"ORDER BY c.created_at DESC, c.id DESC OFFSET {(page - 1) * PAGE - 1} LIMIT 1",
            args,
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def time_floor(
    filters: list[tuple[str, str, tuple[Any, int] | None]], estate_ids: list[int], n: int, *, counts: bool
) -> dict[str, list[float]]:
    """Seconds per run of each filter's hand-written SQL (the page, and the counts if `counts`)."""
    from django.db import connection
    from django.utils import timezone

    from jiayuan.policy.loader import active_preset

    poor = active_preset().data.cases.poor_rating.max
    result: dict[str, list[float]] = {}
    with connection.cursor() as cursor:
        for name, query, after in filters:
            times = []
            for i in range(n + 1):
                now = timezone.now()
                page, page_args = page_sql(query, estate_ids, now, after)
                started = time.perf_counter()
                cursor.execute(page, page_args)
                rows = cursor.fetchall()
                if counts:
                    total, total_args = counts_sql(query, estate_ids, now, poor)
                    cursor.execute(total, total_args)
                    cursor.fetchone()
                if i:  # the first warms up
                    times.append(time.perf_counter() - started)
            assert len(rows) <= PAGE
            result[name] = times
            label = "floor + counts" if counts else "floor"
            print(f"  {label} {name}: median {statistics.median(times) * 1000:.1f} ms")
    return result


# --- filing -----------------------------------------------------------------------------------------


def file_in_process(client: Any, path: str, bodies: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    """POST bodies one after another for `seconds` through Django's test client (no HTTP, no
    server): cases per second and the latency."""
    latencies: list[float] = []
    stop_at = time.monotonic() + seconds
    i = 0
    started = time.perf_counter()
    while time.monotonic() < stop_at:
        body = bodies[i % len(bodies)]
        i += 1
        t0 = time.perf_counter()
        answer = client.post(path, data=json.dumps(body), content_type="application/json")
        latencies.append(time.perf_counter() - t0)
        assert answer.status_code == 201, answer.content[:500]
    wall = time.perf_counter() - started
    return {"created": len(latencies), "seconds": wall, "rate": len(latencies) / wall, "latencies": latencies}
