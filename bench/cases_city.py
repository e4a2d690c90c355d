"""Benchmark: filing cases and reading the ledger on the city seed plus 2M cases, each against its floor.

    .venv/bin/python bench/cases_city.py [--database-url URL] [--cases N] [--reseed] [--reload-cases]

On PostgreSQL (default database: jiayuan_bench on 127.0.0.1, created if missing):

1. migrates; seeds the `city` scale (`manage.py seed --scale city`) unless the database already
   holds the city (`--reseed` drops and recreates the database first); bulk-loads `--cases` cases
   (default 2,000,000) with COPY unless that many are there already (`--reload-cases` empties the
   case tables first), each with its filing event and, once closed out or rejected, its closing
   event; then ANALYZE;
2. in-process (Django's test client): each ledger page's SQL queries, one filing's; filing through
   the API one request after another for `--inprocess-seconds`, then as long through a bare view
   writing the same three rows (bench_urls.py, mounted by bench_settings.py only);
3. starts a real server (gunicorn, DEBUG off) and files cases from `--file-clients` concurrent
   clients for `--file-seconds` through `POST /api/v1/cases/` as `demo_subdistrict` with a bearer
   token, then as long through the bare view: cases per second, latency p50/p95;
4. logs `demo_subdistrict` in through the login page and times the ledger page `GET /cases/` and
   the API list `GET /api/v1/cases/` under a set of filters (pages 2 and 50 by cursor), each right
   before its floor: the hand-written SQL returning the same page (floor.py), run as often;
5. EXPLAIN ANALYZEs the ledger's queries on cases for the subdistrict's scope;

and writes everything to bench/reports/cases_city.md: app against floor, median, p95 and ratio.
Not a timed test: figures depend on the machine; the report says which.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from seed_city import PASSWORD, ROOT, memory_gib, recreate_database

REPORT = ROOT / "bench" / "reports" / "cases_city.md"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jiayuan_bench"
USER = "demo_subdistrict"
UTC = dt.UTC

# The ledger filters timed (query strings of /cases/ and /api/v1/cases/), as a subdistrict
# officer uses them: everything, what is open, what is overdue, one category (a frequent and a rare
# one), one channel, a quarter, and paging on.
OPEN = "state=submitted&state=accepted&state=dispatched&state=in_progress&state=rectified&state=verified"


def ledger_filters(today: dt.date) -> list[tuple[str, str]]:
    quarter_end = today.replace(day=1) - dt.timedelta(days=1)
    quarter_start = (quarter_end - dt.timedelta(days=80)).replace(day=1)
    return [
        ("no filter", ""),
        ("open (six states)", OPEN),
        ("overdue", "overdue=true"),
        ("category, frequent (everyday_repairs)", "category=everyday_repairs"),
        ("category, rare (np_leak_personal_info)", "category=np_leak_personal_info"),
        ("source 12345 hotline", "source=hotline_12345"),
        (
            f"filed {quarter_start:%Y-%m-%d} to {quarter_end:%Y-%m-%d}",
            f"filed_after={quarter_start:%Y-%m-%d}&filed_before={quarter_end:%Y-%m-%d}",
        ),
        ("open + category everyday_repairs", f"{OPEN}&category=everyday_repairs"),
        ("page 2", "#page=2"),
        ("page 50", "#page=50"),
    ]


def resolve_pages(
    filters: list[tuple[str, str]], estate_ids: list[int]
) -> tuple[list[tuple[str, str]], list[tuple[str, str, Any]]]:
    """The filters as the app is asked (pages by cursor: the position of the last row of the page
    before, as the "next" link of that page carries it) and as the floor's SQL runs them."""
    from django.utils import timezone
    from floor import position

    from jiayuan.core.pagination import Cursor

    app, floor = [], []
    for name, query in filters:
        if not query.startswith("#page="):
            app.append((name, query))
            floor.append((name, query, None))
            continue
        after = position("", estate_ids, timezone.now(), int(query.removeprefix("#page=")))
        assert after is not None, f"{name}: not that many cases in the scope"
        app.append((name, f"cursor={Cursor(after[0], after[1]).encode()}"))
        floor.append((name, "", after))
    return app, floor


def bare_queries(floor: list[tuple[str, str, Any]]) -> list[tuple[str, str]]:
    """The floor's filters as the bare views take them: the query string, and a page's start as
    `after_at` and `after_id` (what a cursor carries)."""
    from urllib.parse import urlencode

    queries = []
    for name, query, after in floor:
        if after is not None:
            extra = urlencode({"after_at": after[0].isoformat(), "after_id": after[1]})
            query = f"{query}&{extra}" if query else extra
        queries.append((name, query))
    return queries


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_URL,
        help="PostgreSQL (default: $BENCH_DATABASE_URL, else $DATABASE_URL, else jiayuan_bench on 127.0.0.1)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed of the city and of the cases")
    parser.add_argument("--cases", type=int, default=2_000_000, help="cases to have in the database")
    parser.add_argument("--reseed", action="store_true", help="drop and recreate the database, seed again")
    parser.add_argument("--reload-cases", action="store_true", help="empty the case tables and load again")
    parser.add_argument("--file-seconds", type=float, default=30.0, help="how long to file cases")
    parser.add_argument("--file-clients", type=int, default=8, help="concurrent filing clients")
    parser.add_argument(
        "--ask-first",
        action="store_true",
        help="file over HTTP without the duplicate confirmation first (a 409, then again with it)",
    )
    parser.add_argument(
        "--inprocess-seconds", type=float, default=15.0, help="how long to file in-process (app, then floor)"
    )
    parser.add_argument("--requests", type=int, default=25, help="requests per ledger filter")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: 2 x cores)")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--no-http", action="store_true", help="load only: no server, no timings")
    parser.add_argument("--report", type=Path, default=REPORT, help="where to write the report (markdown)")
    return parser.parse_args()


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(value: float) -> str:
    return f"{value * 1000:,.0f}"


def ms1(value: float) -> str:
    return f"{value * 1000:,.1f}"


def filing_section(ctx: dict[str, Any]) -> list[str]:
    """Filing through the API against the bare view writing the same three rows: in-process and
    over HTTP with concurrent clients."""
    lines: list[str] = []
    inproc, filing, bare = ctx.get("inprocess"), ctx.get("filing"), ctx.get("filing_bare")
    if not (inproc or filing):
        return lines
    lines += [
        "",
        "## Filing: the API against a bare view",
        "",
        "The floor is a bare Django view (`bench/bench_urls.py`, mounted by the benchmark only) writing the "
        "same three rows in one transaction: the case, its timeline entry and an audit event; no "
        "authentication, scope, validation, duplicate check, number counter, audit chain or text message. "
        "The API does all of that: every filing here texts the complainant (queued in the outbox; the "
        "worker delivers, not the request).",
        "",
        "A second floor, **the app's statements**, is a bare view running the SQL statements the "
        "app's filing runs (the token, the estate in scope, the duplicate check, the year's counter, the "
        "case, its timeline entry, the audit chain's lock and head, the audit event, the follow link, "
        "the text's outbox row), hand-written, with none of the app's Python around them: what the "
        "database needs for the work a filing must do.",
        "",
        "| | API | bare view (3 rows) | the app's statements | API / bare view | "
        "API / the app's statements |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    same = ctx.get("filing_statements")
    if inproc:
        app, flo, st = inproc["app"], inproc["bare"], inproc.get("statements")
        lines += [
            f"| in-process, one after another: cases per second | **{app['rate']:.1f}** | "
            f"{flo['rate']:.1f} | {st['rate']:.1f} | **{app['rate'] / flo['rate']:.0%}** | "
            f"**{app['rate'] / st['rate']:.0%}** |",
            f"| in-process: latency p50 / p95 ms | {ms1(percentile(app['latencies'], 50))} / "
            f"{ms1(percentile(app['latencies'], 95))} | {ms1(percentile(flo['latencies'], 50))} / "
            f"{ms1(percentile(flo['latencies'], 95))} | {ms1(percentile(st['latencies'], 50))} / "
            f"{ms1(percentile(st['latencies'], 95))} | | |",
        ]
    if filing and bare and same:
        lines += [
            f"| over HTTP, {filing['clients']} clients, {ctx.get('workers', '?')} gunicorn workers: "
            f"cases per second | **{filing['rate']:.1f}** | {bare['rate']:.1f} | {same['rate']:.1f} | "
            f"**{filing['rate'] / bare['rate']:.0%}** | **{filing['rate'] / same['rate']:.0%}** |",
            f"| over HTTP: latency p50 / p95 ms | {ms(filing['p50'])} / {ms(filing['p95'])} | "
            f"{ms(bare['p50'])} / {ms(bare['p95'])} | {ms(same['p50'])} / {ms(same['p95'])} | | |",
            f"| over HTTP: cases filed (requests; 409: suspected duplicates, sent again confirmed) | "
            f"{filing['created']:,} ({filing['requests']:,}; {filing['duplicates']:,}) | "
            f"{bare['created']:,} | {same['created']:,} | | |",
        ]
    if ctx.get("plans"):
        count, elapsed, sql = ctx["plans"]["filing"]
        lines += [
            "",
            f"One filing in-process, logged in with a session on PostgreSQL, took {count} SQL statements "
            "(the test `jiayuan/cases/tests/test_filing_queries.py` pins 10 with a bearer token, 11 on "
            "PostgreSQL with the audit chain's lock; the actor's reach comes from the cache) and "
            f"{ms1(elapsed)} ms, {ms1(sql)} ms of it in the database.",
        ]
    return lines


# --- database -------------------------------------------------------------------------------------


def ensure_database(url: str, reseed: bool) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit("The benchmark runs on PostgreSQL: give a postgres:// URL.")
    if reseed:
        recreate_database(url)
        return
    with psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
    if not exists:
        recreate_database(url)


def city_seeded() -> bool:
    from jiayuan.accounts.models import User
    from jiayuan.estates.models import Estate

    return Estate.objects.exists() and User.objects.filter(username=USER).exists()


def table_sizes(tables: list[str]) -> list[tuple[str, int, int, int]]:
    """(table, rows, bytes of the table, bytes of its indexes)."""
    from django.db import connection

    result = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f'SELECT count(*), pg_table_size(%s), pg_indexes_size(%s) FROM "{table}"', [table, table]
            )
            rows, size, index_size = cursor.fetchone()
            result.append((table, int(rows), int(size), int(index_size)))
    return result


# --- the cases ------------------------------------------------------------------------------------

# Sources: most complaints come by the 12345 hotline and the owners' QR code.
SOURCES = {
    "hotline_12345": 40,
    "qr_code": 22,
    "community_patrol": 14,
    "inspection": 7,
    "random_check": 4,
    "media": 1,
    "mailbox": 4,
    "api": 8,
}
# Share of the cases per category group; everyday complaints are most of them.
GROUPS = {
    "everyday": 62,
    "non_performance": 8,
    "public_order": 7,
    "owners_interests": 3,
    "prices": 4,
    "self_governance": 4,
    "safety_duties": 3,
    "nine_prohibitions": 2,
    "illegal_business": 2,
    "committee_misconduct": 2,
    "department_matters": 2,
    "developer": 1,
}
# Within the everyday group, the usual suspects first.
EVERYDAY = {
    "everyday_repairs": 16,
    "everyday_cleaning": 12,
    "everyday_parking": 11,
    "everyday_elevator": 9,
    "everyday_noise": 8,
    "everyday_garbage_collection": 8,
    "everyday_heating": 7,
    "everyday_water_supply": 5,
    "everyday_pets": 4,
    "everyday_greening": 4,
    "everyday_security": 4,
    "everyday_renovation_waste": 3,
    "everyday_fee_query": 3,
    "everyday_power_supply": 2,
    "everyday_gas_supply": 1,
    "everyday_telecom": 1,
    "everyday_other": 2,
}
URGENCIES = {"normal": 86, "urgent": 6, "low": 8}
OUTCOMES = {"fixed": 80, "unfounded": 8, "duplicate": 4, "outside_remit": 4, "withdrawn": 4}
HANDLERS = {"enterprise": 62, "community": 14, "subdistrict": 9, "department": 10, "district_housing": 5}
RATINGS = {5: 48, 4: 26, 3: 12, 2: 7, 1: 7}
# Hour of day (local) a case comes in: office hours, a peak in the evening, little at night.
HOURS = [1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 13, 12, 9, 10, 12, 12, 11, 9, 9, 10, 9, 6, 3, 2]
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁"
    "邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉志鹏海燕玲"
PHRASES = [
    "业主反映{name}问题，多次联系物业未解决，请尽快处理。",
    "{name}：问题已持续一周以上，影响居民正常生活。",
    "关于{name}的投诉，涉及多户居民，希望社区督促整改。",
    "{name}，物业答复处理但至今没有进展。",
    "居民来电反映{name}，要求限期整改并答复。",
]
MEASURES = "已安排人员现场处置，问题已整改完毕，并对相关人员进行了教育。"
EVIDENCE = "整改前后照片及业主确认记录已存档。"


def weighted(rng: random.Random, table: dict[Any, float], k: int) -> list[Any]:
    return rng.choices(list(table), weights=list(table.values()), k=k)


class CaseLoader:
    """Generates `n` cases (and their events) and writes them with COPY, in one transaction.

    Deterministic for a given seed and `now`. Cases are spread over the estates by size (units),
    over the past two years with a growing volume, and numbered per (local) year in filing order
    after the serials already taken.
    """

    def __init__(self, n: int, seed: int, now: dt.datetime) -> None:
        from jiayuan.policy.loader import active_preset

        self.n = n
        self.rng = random.Random(seed * 7919 + 17)
        self.now = now
        self.preset = active_preset()
        self.prefix = self.preset.data.cases.numbering.prefix
        self.seconds: dict[str, float] = {}

    # -- the city ------------------------------------------------------------------------------

    def read_city(self) -> None:
        from jiayuan.enterprises.models import ServiceContract
        from jiayuan.estates.models import Estate
        from jiayuan.regions.models import Department, Region

        region_ids = dict(Region.objects.values_list("code", "id"))
        estates = list(Estate.objects.order_by("pk").values_list("pk", "unit_count", "community__path"))
        self.estate_ids = [pk for pk, _, _ in estates]
        self.estate_weights = [max(units, 20) for _, units, _ in estates]
        self.estate_regions: dict[int, tuple[int, int, int]] = {}
        for pk, _, path in estates:
            codes = path.strip("/").split("/")  # city / district / subdistrict / community
            self.estate_regions[pk] = (region_ids[codes[-1]], region_ids[codes[-2]], region_ids[codes[1]])
        today = self.now.date()
        self.estate_enterprise: dict[int, int] = {}
        for estate_id, enterprise_id, start, end in ServiceContract.objects.order_by(
            "start_date"
        ).values_list("estate_id", "enterprise_id", "start_date", "end_date"):
            if start <= today and (end is None or end >= today):
                self.estate_enterprise[estate_id] = enterprise_id
        self.district_departments: dict[int, list[int]] = {}
        for pk, region_id in Department.objects.values_list("pk", "region_id"):
            self.district_departments.setdefault(region_id, []).append(pk)
        self.city_departments = [pk for ids in self.district_departments.values() for pk in ids]
        categories = self.preset.categories
        by_group: dict[str, list[str]] = {}
        for code, category in categories.items():
            by_group.setdefault(category.group, []).append(code)
        self.category_weights: dict[str, float] = {}
        for group, codes in by_group.items():
            share = GROUPS.get(group, 1)
            if group == "everyday":
                total = sum(EVERYDAY.get(code, 1) for code in codes)
                for code in codes:
                    self.category_weights[code] = share * EVERYDAY.get(code, 1) / total
            else:
                for code in codes:
                    self.category_weights[code] = share / len(codes)
        self.category_names = {code: c.name for code, c in categories.items()}

    # -- deadlines from the preset (as the filing service computes them) -------------------------

    def deadline_offsets(self) -> None:
        from jiayuan.cases.deadlines import accept_due, rectify_due

        self.lines: dict[tuple[str, str], Any] = {}
        self.offsets: dict[tuple[str, str, int], tuple[dt.timedelta, dt.timedelta]] = {}
        for category in self.category_weights:
            for urgency in URGENCIES:
                line = self.preset.deadline_for(category, urgency)
                self.lines[(category, urgency)] = line
                for weekday in range(7):  # working days depend on the weekday of filing only
                    start = dt.datetime(2024, 1, 1, 10, tzinfo=UTC) + dt.timedelta(days=weekday)
                    self.offsets[(category, urgency, weekday)] = (
                        accept_due(line, start) - start,
                        rectify_due(line, start) - start,
                    )

    # -- generation -------------------------------------------------------------------------------

    def filing_times(self) -> list[float]:
        """Epoch seconds over the past two years, volume growing by 60 % over the period."""
        rng, n = self.rng, self.n
        end = self.now.timestamp() - 3600
        days = 730
        growth = 0.6
        hours = list(range(24))
        hour_of = rng.choices(hours, weights=HOURS, k=n)
        times = []
        local_midnight = (end // 86400) * 86400 - 8 * 3600  # Asia/Shanghai is UTC+8, no DST
        for i in range(n):
            u = rng.random()
            # inverse of the CDF of a density growing linearly by `growth` over [0, 1]
            t = (-1 + math.sqrt(1 + growth * (2 + growth) * u)) / growth
            day = min(days - 1, int(t * days))
            ts = local_midnight - (days - 1 - day) * 86400 + hour_of[i] * 3600 + rng.random() * 3600
            times.append(ts if ts <= end else ts - 86400)  # later today than now: the day before
        times.sort()
        return times

    def rows(self) -> Any:
        """Yields (case row, list of event rows) in filing order."""
        rng, n, now = self.rng, self.n, self.now
        started = time.perf_counter()
        times = self.filing_times()
        estates = rng.choices(self.estate_ids, weights=self.estate_weights, k=n)
        categories = weighted(rng, self.category_weights, n)
        sources = weighted(rng, SOURCES, n)
        urgencies = weighted(rng, URGENCIES, n)
        self.seconds["generate (times, estates, categories)"] = time.perf_counter() - started
        serials = dict(self.serials)
        now_ts = now.timestamp()
        event_data: dict[tuple[str, str, str], str] = {}
        source_names = {"hotline_12345": "12345热线", "qr_code": "业主扫码", "api": "接口"}
        for i in range(n):
            ts = times[i]
            created = dt.datetime.fromtimestamp(ts, UTC)
            local = dt.datetime.fromtimestamp(ts + 8 * 3600, UTC)
            year = local.year
            serial = serials.get(year, 0) + 1
            serials[year] = serial
            estate, category, source, urgency = estates[i], categories[i], sources[i], urgencies[i]
            accept_off, rectify_off = self.offsets[(category, urgency, local.weekday())]
            accept_due_at, deadline = created + accept_off, created + rectify_off
            age_days = (now_ts - ts) / 86400
            state, outcome, handled = self.state_for(age_days, created + accept_off, deadline)
            closed_at = None
            updated = created + dt.timedelta(hours=rng.uniform(0.2, 20))
            if state in ("closed_out", "rejected"):
                span = min(age_days * 0.9, rectify_off.total_seconds() / 86400 * rng.uniform(0.3, 1.6) + 1)
                closed_at = created + dt.timedelta(days=rng.uniform(0.05, max(0.06, span)))
                updated = (
                    closed_at if state == "closed_out" else created + dt.timedelta(hours=rng.uniform(1, 20))
                )
                if state == "rejected":
                    closed_at = None
            elif state != "submitted":
                updated = min(now, created + dt.timedelta(days=rng.uniform(0.1, max(0.2, min(age_days, 15)))))
            handler_kind, h_enterprise, h_department, h_region = "", None, None, None
            if handled:
                handler_kind = rng.choices(list(HANDLERS), weights=list(HANDLERS.values()))[0]
                community, subdistrict, district = self.estate_regions[estate]
                if handler_kind == "enterprise":
                    h_enterprise = self.estate_enterprise.get(estate)
                    if h_enterprise is None:
                        handler_kind = "community"
                if handler_kind == "department":
                    departments = self.district_departments.get(district) or self.city_departments
                    h_department = rng.choice(departments)
                if handler_kind == "community":
                    h_region = community
                elif handler_kind == "subdistrict":
                    h_region = subdistrict
                elif handler_kind == "district_housing":
                    h_region = district
            rating = None
            if (
                state == "closed_out"
                and source in ("qr_code", "hotline_12345", "api")
                and rng.random() < 0.45
            ):
                rating = rng.choices(list(RATINGS), weights=list(RATINGS.values()))[0]
            resident = source in ("hotline_12345", "qr_code", "mailbox", "api", "media")
            name = (
                rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
            )
            phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}" if resident else ""
            fixed = state in ("rectified", "verified") or outcome == "fixed"
            overdue_now = (state == "submitted" and accept_due_at.timestamp() < now_ts) or (
                state in ("accepted", "dispatched", "in_progress") and deadline.timestamp() < now_ts
            )
            number = f"{self.prefix}-{year}-{serial:06d}"
            description = rng.choice(PHRASES).format(name=self.category_names[category])
            line = self.lines[(category, urgency)]
            case = [
                number,
                year,
                serial,
                estate,
                category,
                description,
                source,
                name if resident else "",
                phone,
                urgency,
                state,
                outcome,
                handler_kind,
                h_enterprise,
                h_department,
                h_region,
                (name if handled and rng.random() < 0.7 else ""),
                MEASURES if fixed else "",
                EVIDENCE if fixed else "",
                accept_due_at,
                deadline,
                (1 if overdue_now and rng.random() < 0.5 else 0),
                (1 if state == "closed_out" and rng.random() < 0.02 else 0),
                rating,
                1
                + {
                    "submitted": 0,
                    "rejected": 1,
                    "accepted": 1,
                    "dispatched": 2,
                    "in_progress": 3,
                    "rectified": 4,
                    "verified": 5,
                    "closed_out": 5 if outcome == "fixed" else 3,
                }[state]
                + (rating is not None),
                created,
                updated,
                closed_at,
            ]
            # The filing event's data as the service writes it (JSON by hand: 2M json.dumps are slow).
            key = (category, source, urgency)
            rest = event_data.get(key)
            if rest is None:
                rest = event_data[key] = json.dumps(
                    {
                        "category": category,
                        "source": source,
                        "urgency": urgency,
                        "deadline_clause": line.clause,
                    },
                    ensure_ascii=False,
                )[1:]
            data = f'{{"number": "{number}", {rest}'
            filer = source_names.get(source, "社区工作人员")
            events = [(created, filer, "transition", "file", "", "submitted", "", data)]
            if state == "closed_out":
                events.append(
                    (
                        closed_at,
                        "街道工作人员",
                        "transition",
                        "close_out",
                        "verified" if outcome == "fixed" else "accepted",
                        "closed_out",
                        "" if outcome == "fixed" else "经核实",
                        f'{{"outcome": "{outcome}"}}',
                    )
                )
            elif state == "rejected":
                events.append(
                    (
                        updated,
                        "社区工作人员",
                        "transition",
                        "reject",
                        "submitted",
                        "rejected",
                        "不属于物业管理范围",
                        "{}",
                    )
                )
            yield case, events

    def state_for(
        self, age_days: float, accept_due_at: dt.datetime, deadline: dt.datetime
    ) -> tuple[str, str, bool]:
        """(state, outcome, dispatched to a handler) for a case filed `age_days` ago.

        Old cases are nearly all closed out (some rejected); a few old ones are stuck open and
        overdue; the recent weeks hold the open work, spread over the workflow.
        """
        rng = self.rng
        u = rng.random()
        if age_days > 45:
            if u < 0.04:
                return "rejected", "", False
            if u < 0.985:
                outcome = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
                return "closed_out", outcome, outcome == "fixed" or rng.random() < 0.5
            state = rng.choices(
                ["accepted", "dispatched", "in_progress", "rectified", "verified"], [10, 25, 45, 12, 8]
            )[0]
            return state, "", state != "accepted"
        if age_days > 7:
            if u < 0.04:
                return "rejected", "", False
            if u < 0.80:
                outcome = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
                return "closed_out", outcome, outcome == "fixed" or rng.random() < 0.5
            state = rng.choices(
                ["accepted", "dispatched", "in_progress", "rectified", "verified"], [8, 22, 45, 15, 10]
            )[0]
            return state, "", state != "accepted"
        if u < 0.03:
            return "rejected", "", False
        if u < 0.15:
            outcome = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
            return "closed_out", outcome, outcome == "fixed" or rng.random() < 0.5
        if age_days < 1.5 and u < 0.35:
            return "submitted", "", False
        state = rng.choices(
            ["submitted", "accepted", "dispatched", "in_progress", "rectified", "verified"],
            [4, 10, 30, 35, 14, 7],
        )[0]
        return state, "", state not in ("submitted", "accepted")

    # -- writing ----------------------------------------------------------------------------------

    CASE_COLUMNS = [
        "number", "number_year", "number_serial", "estate_id", "category", "description", "source",
        "complainant_name", "complainant_phone", "urgency", "state", "outcome", "handler_kind",
        "handler_enterprise_id", "handler_department_id", "handler_region_id", "responsible_person",
        "measures", "evidence", "accept_due_at", "deadline", "escalation_level", "reopen_count",
        "rating", "version", "created_at", "updated_at", "closed_at",
    ]  # fmt: skip
    EVENT_COLUMNS = [
        "case_id",
        "at",
        "actor_name",
        "kind",
        "transition",
        "from_state",
        "to_state",
        "reason",
        "data",
    ]

    def load(self) -> dict[str, int]:
        """Writes the cases and events with COPY, plain indexes dropped meanwhile and rebuilt after."""
        from django.db import connection, transaction
        from django.db.models import Max

        from jiayuan.cases.models import Case, CaseEvent

        self.read_city()
        self.deadline_offsets()
        # The serials taken already, per year (read before the COPY: the connection is busy then).
        self.serials = dict(
            Case.objects.order_by()
            .values("number_year")
            .annotate(m=Max("number_serial"))
            .values_list("number_year", "m")
        )
        # Columns the generator does not fill get their model default (all blank or null today).
        extra_case = [
            f for f in Case._meta.concrete_fields if f.column not in self.CASE_COLUMNS and f.column != "id"
        ]
        extra_event = [
            f
            for f in CaseEvent._meta.concrete_fields
            if f.column not in self.EVENT_COLUMNS and f.column != "id"
        ]
        case_tail = [f.get_default() for f in extra_case]
        event_tail = [f.get_default() for f in extra_event]
        case_cols = ["id", *self.CASE_COLUMNS, *(f.column for f in extra_case)]
        event_cols = [*self.EVENT_COLUMNS, *(f.column for f in extra_event)]
        tables = [Case._meta.db_table, CaseEvent._meta.db_table]
        counts = {"cases": 0, "events": 0}
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
            dropped = []
            for table in tables:
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                    "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                    [table, table],
                )
                dropped += cursor.fetchall()
            for name, _ in dropped:
                cursor.execute(f'DROP INDEX "{name}"')
            # Foreign keys of the two tables: dropped too, and added back after (one check of all rows,
            # instead of one lookup per row).
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
                [tables],
            )
            foreign_keys = cursor.fetchall()
            for table, name, _ in foreign_keys:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {tables[0]}")
            next_id = cursor.fetchone()[0] + 1
            started = time.perf_counter()
            raw = cursor.cursor  # psycopg's cursor, for COPY
            # One COPY at a time on a connection: the events wait in a temporary file (COPY text).
            spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed after its COPY)
            tail = "\t".join(copy_text(v) for v in event_tail)
            with raw.copy(f"COPY {tables[0]} ({', '.join(case_cols)}) FROM STDIN") as copy:
                for case, events in self.rows():
                    copy.write_row([next_id, *case, *case_tail])
                    for event in events:
                        fields = "\t".join(copy_text(v) for v in (next_id, *event))
                        spool.write(f"{fields}\t{tail}\n" if tail else f"{fields}\n")
                        counts["events"] += 1
                    next_id += 1
                    counts["cases"] += 1
                    if counts["cases"] % 250_000 == 0:
                        print(f"  {counts['cases']:,} cases written", flush=True)
            self.seconds["COPY cases (with generating them)"] = time.perf_counter() - started
            started = time.perf_counter()
            spool.seek(0)
            with raw.copy(f"COPY {tables[1]} ({', '.join(event_cols)}) FROM STDIN") as copy:
                while chunk := spool.read(1 << 20):
                    copy.write(chunk.encode())
            spool.close()
            self.seconds["COPY events"] = time.perf_counter() - started
            started = time.perf_counter()
            for _, definition in dropped:
                cursor.execute(definition)
            self.seconds[f"rebuild {len(dropped)} indexes"] = time.perf_counter() - started
            started = time.perf_counter()
            for table, name, definition in foreign_keys:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            self.seconds[f"add back {len(foreign_keys)} foreign keys (checks every row)"] = (
                time.perf_counter() - started
            )
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{tables[0]}', 'id'), "
                f"(SELECT max(id) FROM {tables[0]}))"
            )
        return counts


def copy_text(value: Any) -> str:
    """One field in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def load_cases(args: argparse.Namespace, seconds: dict[str, float]) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from jiayuan.cases.models import Case

    if args.reload_cases:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE cases_caseattachment, cases_caseevent, cases_case")
    have = Case.objects.count()
    if have >= args.cases:
        print(f"{have:,} cases already loaded (>= {args.cases:,}): not loading (--reload-cases to redo)")
        return {"loaded": 0, "had": have}
    loader = CaseLoader(args.cases - have, args.seed, timezone.now())
    started = time.perf_counter()
    counts = loader.load()
    seconds["load cases (COPY)"] = time.perf_counter() - started
    print(
        f"load cases: {seconds['load cases (COPY)']:.1f} s "
        f"({counts['cases']:,} cases, {counts['events']:,} events)"
    )
    for name, value in loader.seconds.items():
        print(f"  {name}: {value:.1f} s")
    return {"loaded": counts["cases"], "events": counts["events"], "had": have, "phases": loader.seconds}


# --- the server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving config.wsgi with DEBUG off, as in production (no static files needed)."""

    def __init__(self, url: str, port: int, workers: int) -> None:
        self.port = port
        self.workers = workers
        self.base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECRET_KEY": os.environ["SECRET_KEY"],
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
        }
        # The server's output (django.request logs a line per 409) goes to a file, shown on failure.
        self.log = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "config.wsgi:application",
                "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "sync",
                "--timeout", "120", "--log-level", "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait(self) -> None:
        import httpx

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                print(self.log.read()[-5000:])
                sys.exit("gunicorn exited (installed with the dev dependencies: make install)")
            try:
                if httpx.get(f"{self.base}/accounts/login/", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        sys.exit("the server did not answer within 60 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.seek(0)
        errors = [line for line in self.log.read().splitlines() if "Conflict:" not in line]
        if any("Error" in line or "Traceback" in line for line in errors):
            print("The server logged errors:\n" + "\n".join(errors[-40:]))
        self.log.close()


def cookie_header(response: Any, jar: dict[str, str]) -> str:
    """Keeps the cookies a response sets. With DEBUG off they are `Secure`, which a client keeps
    off plain HTTP; the benchmark talks HTTP to 127.0.0.1, so it sends them itself."""
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def login(base: str) -> dict[str, str]:
    """Logs in through the login page (CSRF token from the form and cookie); returns the headers."""
    import httpx

    jar: dict[str, str] = {}
    with httpx.Client(base_url=base, timeout=30) as client:
        page = client.get("/accounts/login/")
        cookies = cookie_header(page, jar)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, "no CSRF token on the login page"
        answer = client.post(
            "/accounts/login/",
            data={"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
            headers={"Cookie": cookies, "Referer": f"{base}/accounts/login/"},
        )
        assert answer.status_code == 302, f"login failed: {answer.status_code}"
        cookies = cookie_header(answer, jar)
        assert "sessionid" in jar, "no session cookie after the login"
    return {"Cookie": cookies}


def api_token(base: str) -> dict[str, str]:
    import httpx

    answer = httpx.post(
        f"{base}/api/v1/auth/token/", json={"username": USER, "password": PASSWORD}, timeout=30
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def bench_filing(
    base: str, headers: dict[str, str], args: argparse.Namespace, path: str = "/api/v1/cases/"
) -> dict[str, Any]:
    """Clients file cases for `--file-seconds` at the subdistrict's estates, everyday categories
    weighted as in the load. A 409 `duplicate_suspected` is filed again with the confirmation, as
    the hotline desk would after checking. `path` is the API's, or the bare view's (the floor)."""
    import httpx

    from jiayuan.accounts.models import User
    from jiayuan.core.actor import actor_for
    from jiayuan.estates.models import Estate

    actor = actor_for(User.objects.get(username=USER))
    estates = list(Estate.objects.visible_to(actor).order_by("pk").values_list("pk", "unit_count"))
    codes, weights = list(EVERYDAY), list(EVERYDAY.values())
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    created = duplicates = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + args.file_seconds

    def client_loop(index: int) -> None:
        nonlocal created, duplicates
        rng = random.Random(1000 + index)
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            while time.monotonic() < stop_at:
                estate = rng.choices(estates, weights=[max(u, 20) for _, u in estates])[0][0]
                body = {
                    "estate": estate,
                    "category": rng.choices(codes, weights)[0],
                    "description": "基准测试：楼道灯不亮，请物业尽快维修。",
                    "source": "hotline_12345",
                    "complainant_name": "王先生",
                    "complainant_phone": "13800000000",
                }
                # With the confirmation from the first request (unless --ask-first): the duplicate
                # check runs and its finding goes into the timeline, but no request is spent on a 409,
                # so the API writes as many cases per request as the bare view it is compared with.
                for confirm in (False, True) if args.ask_first else (True,):
                    body["confirm_not_duplicate"] = confirm
                    started = time.perf_counter()
                    answer = client.post(path, json=body)
                    elapsed = time.perf_counter() - started
                    with lock:
                        latencies.append(elapsed)
                        statuses[answer.status_code] += 1
                        if answer.status_code == 201:
                            created += 1
                    if answer.status_code != 409:
                        break
                    with lock:
                        duplicates += 1

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(args.file_clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "estates": len(estates),
        "clients": args.file_clients,
        "seconds": wall,
        "created": created,
        "requests": len(latencies),
        "duplicates": duplicates,
        "statuses": dict(statuses),
        "rate": created / wall,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "max": max(latencies) if latencies else math.nan,
    }


def bench_reads(
    base: str, path: str, headers: dict[str, str], filters: list[tuple[str, str]], n: int
) -> list[tuple[str, list[float], int]]:
    """`n` sequential GETs per filter (after one warm-up): (filter, seconds each, bytes)."""
    import httpx

    result = []
    with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        for name, query in filters:
            url = f"{path}?{query}" if query else path
            answer = client.get(url)
            assert answer.status_code == 200, f"{url}: {answer.status_code}"
            times = []
            for _ in range(n):
                started = time.perf_counter()
                answer = client.get(url)
                times.append(time.perf_counter() - started)
                assert answer.status_code == 200, f"{url}: {answer.status_code}"
            result.append((name, times, len(answer.content)))
            print(
                f"  {path} {name}: median {ms(statistics.median(times))} ms, "
                f"p95 {ms(percentile(times, 95))} ms"
            )
    return result


# --- in-process: filing, app and floor -----------------------------------------------------------


def filing_in_process(seconds: float) -> dict[str, Any]:
    """Filing through the API (session login) and through the bare view, each for `seconds`, one
    request after another through Django's test client: no HTTP, no server, no other client."""
    from django.test import Client
    from floor import file_in_process

    from jiayuan.accounts.models import User
    from jiayuan.core.actor import actor_for
    from jiayuan.estates.models import Estate

    user = User.objects.get(username=USER)
    estates = list(Estate.objects.visible_to(actor_for(user)).order_by("pk").values_list("pk", flat=True))
    bodies = [
        {
            "estate": estate,
            "category": category,
            "description": "基准测试：楼道灯不亮，请物业尽快维修。",
            "source": "hotline_12345",
            "complainant_name": "王先生",
            "complainant_phone": "13800000000",
            "confirm_not_duplicate": True,
        }
        for estate in estates
        for category in list(EVERYDAY)[:4]
    ]
    from knox.models import AuthToken

    app_client = Client()
    app_client.force_login(user)
    file_in_process(app_client, "/api/v1/cases/", bodies[:3], 1)  # warm up
    app = file_in_process(app_client, "/api/v1/cases/", bodies, seconds)
    bare = file_in_process(Client(), "/bench/bare-file/", bodies, seconds)
    _token, key = AuthToken.objects.create(user=user)
    statements_client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    statements = file_in_process(statements_client, "/bench/bare-file-statements/", bodies, seconds)
    for name, run in (("app", app), ("bare view", bare), ("the app's statements", statements)):
        print(
            f"  in-process {name}: {run['created']:,} cases in {run['seconds']:.1f} s = {run['rate']:.1f}/s, "
            f"p50 {ms(percentile(run['latencies'], 50))} ms"
        )
    return {"app": app, "bare": bare, "statements": statements}


def delete_bare_cases() -> None:
    """The bare view's cases (year 1) and their events; its audit rows stay (append-only)."""
    from bench_urls import BARE_YEAR
    from django.db import connection

    bare = "SELECT id FROM cases_case WHERE number_year = %s"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM cases_caseevent WHERE case_id IN ({bare})", [BARE_YEAR])
        cursor.execute(f"DELETE FROM cases_casefollowlink WHERE case_id IN ({bare})", [BARE_YEAR])
        cursor.execute(
            "DELETE FROM notifications_outboundmessage WHERE related_type = 'cases.case' "
            f"AND related_id IN (SELECT id::text FROM ({bare}) AS b)",
            [BARE_YEAR],
        )
        cursor.execute("DELETE FROM cases_case WHERE number_year = %s", [BARE_YEAR])
        cursor.execute("DELETE FROM cases_casenumbercounter WHERE year = %s", [BARE_YEAR])


# --- in-process: queries and plans ------------------------------------------------------------------


def queries_and_plans(filters: list[tuple[str, str]]) -> dict[str, Any]:
    """Each ledger page once in-process: its query count and the SQL on cases; EXPLAIN ANALYZE of
    the queries of the unfiltered page and of the slowest filtered one."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jiayuan.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=USER))
    counts: dict[str, tuple[int, float]] = {}
    case_sql: dict[str, list[str]] = {}
    for name, query in filters:
        client.get(f"/cases/?{query}")  # warm
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            answer = client.get(f"/cases/?{query}")
            elapsed = time.perf_counter() - started
        assert answer.status_code == 200
        counts[name] = (len(captured.captured_queries), elapsed)
        case_sql[name] = [q["sql"] for q in captured.captured_queries if '"cases_case"' in q["sql"]]
    api = Client()
    user = User.objects.get(username=USER)
    api.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        api.get("/api/v1/cases/")
    api_count = len(captured.captured_queries)
    # One filing, in-process (a real case, like those the HTTP clients file): its queries and time.
    from jiayuan.core.actor import actor_for
    from jiayuan.estates.models import Estate

    estate = Estate.objects.visible_to(actor_for(user)).order_by("pk").first()
    assert estate is not None
    body = {
        "estate": estate.pk,
        "category": "everyday_other",
        "description": "基准测试：查询计数。",
        "source": "hotline_12345",
        "confirm_not_duplicate": True,
    }
    filing: list[tuple[int, float, float]] = []
    for _ in range(3):  # the first warms up
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            answer = api.post("/api/v1/cases/", data=json.dumps(body), content_type="application/json")
            elapsed = time.perf_counter() - started
        assert answer.status_code == 201, answer.content
        sql = sum(float(q["time"]) for q in captured.captured_queries)
        filing.append((len(captured.captured_queries), elapsed, sql))
    return {"counts": counts, "case_sql": case_sql, "api_count": api_count, "filing": filing[-1]}


def explain(sql: str) -> tuple[str, float]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        lines = [row[0] for row in cursor.fetchall()]
    total = next(
        (float(m.group(1)) for line in lines if (m := re.search(r"Execution Time: ([\d.]+)", line))), 0.0
    )
    return "\n".join(lines), total


def label_sql(sql: str) -> str:
    if sql.lstrip().upper().startswith("SELECT COUNT(*)") and "subquery" in sql.lower():
        return "count (paginator)"
    if sql.lstrip().upper().startswith("SELECT COUNT(*)"):
        return "count (paginator)"
    if "FILTER (WHERE" in sql or "COUNT(" in sql.upper():
        return "counts (ledger_counts)"
    if " LIMIT " in sql:
        return "page (ledger rows)"
    return "other"


# --- report ---------------------------------------------------------------------------------------

# What the first runs found and what changed since: kept in the report, by hand, with the figures of
# that day (machine as above, under the same load from other work).
HISTORY = [
    "## Findings of the first run (2026-11-23) and what changed",
    "",
    "The first full run, before the changes below, measured the ledger page at a median of 792 ms and a "
    "p95 of 1,215 ms over all filters (3 requests per filter), and 1.0-1.3 s unfiltered or filtered "
    "on state. EXPLAIN ANALYZE showed why: each of the page's three queries on cases read one heap page "
    "per case of the subdistrict (about 43,000 buffers for 50,000 cases, spread over the whole table "
    "since cases of one estate come in one by one), 230-300 ms each.",
    "",
    "The ledger page in that first run (3 requests per filter, no VACUUM after the load), "
    "median / p95 ms: no filter 797 / 1,020; open (six states) 1,215 / 1,309; overdue 855 / "
    "1,154; category, frequent (everyday_repairs) 578 / 664; category, rare "
    "(np_leak_personal_info) 218 / 226; source 12345 hotline 1,169 / 1,169; filed (a quarter) "
    "971 / 979; open + category everyday_repairs 797 / 798; page 2 605 / 606; page 50 767 / "
    "774.",
    "",
    "- **VACUUM after the load.** Without a visibility map no index-only scan is possible; the "
    "paginator's count went from 252 ms to 21 ms. (In production autovacuum does this after inserts.)",
    "- **Covering index `case_estate_state_cover`** (migration `cases/0004`): (estate, state) INCLUDE "
    "(category, source, created_at, accept_due_at, deadline, rating, outcome), replacing "
    "`case_estate_state`; and `ledger_counts` counts `estate_id` rather than the pk (Django refuses "
    '`Count("*", filter=...)`). The counts at the top of the ledger read the index alone: 286 ms to '
    "96 ms unfiltered, 255 to 23 ms overdue, 228 to 18 ms for a frequent category, 269 to 48 ms for a "
    "date range (in-process, EXPLAIN ANALYZE).",
    "- **No DISTINCT, and date filters as ranges** (`jiayuan/cases/filters.py`): `state` and `source` "
    "were `MultipleChoiceFilter`s with the default `distinct=True`, which made every query of the page "
    "`SELECT DISTINCT` over all columns, so no index helped (210-410 ms per query); the ledger joins no "
    "multi-valued relation, so they now say `distinct=False`. `filed` and `closed` filtered on "
    "`created_at__date`, a cast no index serves; they are now ranges from local midnight to local "
    "midnight. Ledger page, median / p95 ms, before and after: open (six states) 881 / 1,116 to "
    "235 / 256; source 12345 hotline 1,464 / 1,621 to 239 / 271; filed (a quarter) 580 / 708 to "
    "224 / 238.",
    "",
    "## The ledger at the floor and filing without waste (2026-12-04)",
    "",
    "Measured against the floors this report now prints (hand-written SQL for the ledger, a bare view "
    "for filing), the ledger page took 60-300 ms (median) against 5-20 ms of SQL, and a filing 23-28 "
    "queries. What changed:",
    "",
    "- **`IN`, not OR, for several values** (`cases/filters.py`, `InChoicesFilter`, pages and API): "
    "django-filter's `MultipleChoiceFilter` ORs one equality per value, no index condition.",
    "- **Pages by cursor** (`core/pagination.py`): keyset on `(created_at, id)`, `next`/`previous` carry "
    "the position; page 50 no longer walks 980 rows with OFFSET. The API list has no `count` any more "
    "(`counts/` has the totals); the page shows its counts query's total instead of a `COUNT(*)`.",
    "- **The scope as `estate_id IN (...)`** for the ledger page and the API list: the estates in reach "
    "resolved once per request, not a join over the regions with a path prefix in every query.",
    "- **The filter form without queries of its own**, and its selects written in Python: one template "
    "include per option (the catalogue, the estates) was most of the page's Python time.",
    "- **Filing**: the year's number from a counter row in one statement (was: `MAX(number)` + 1 in a "
    "savepoint, retried on a clash); the scope checked once (the service answers from the actor's scope "
    "in memory); the case's fields checked in memory (no query per foreign key or check constraint); "
    "the answer built from the case the service returns (no read-back through the ledger); the text "
    "message's delivery handed to the Huey worker after the commit (it ran in the request), and its "
    "outbox row written without a savepoint; the actor's reach cached per user (no membership query "
    "after the first request). 10 queries with a token (11 on PostgreSQL: the audit chain's lock), one "
    "of them the hashed follow link the complainant's text carries.",
]


def render(ctx: dict[str, Any]) -> list[str]:
    args = ctx["args"]
    load = ctx["load"]
    lines = [
        "# Filing cases and reading the ledger at city scale",
        "",
        f"Run by `bench/cases_city.py --cases {args.cases}` on {ctx['started_at']:%Y-%m-%d %H:%M %Z}. "
        "Regenerate: `make bench-cases` or `.venv/bin/python bench/cases_city.py` (see bench/README.md).",
        "",
        "| machine | |",
        "|---|---|",
        f"| cores | {os.cpu_count()} |",
        f"| memory | {memory_gib():.1f} GiB |",
        f"| load average at start (1, 5, 15 min) | {ctx['loadavg'][0]:.2f}, {ctx['loadavg'][1]:.2f}, "
        f"{ctx['loadavg'][2]:.2f} |",
        f"| system | {platform.system()} {platform.release()} ({platform.machine()}) |",
        f"| Python | {platform.python_version()} |",
        f"| PostgreSQL | {ctx['pg_version']} (same machine, default configuration) |",
        f"| server | gunicorn {ctx.get('gunicorn', '?')}, {ctx.get('workers', '?')} sync workers, DEBUG off, "
        "on the same machine as the clients |",
        f"| background queue (Huey) | {ctx.get('queue', '?')}; no worker runs: the texts stay queued |",
        "",
        "## Data",
        "",
        f"The `city` seed (2,500 estates, 1,000,000 units) plus {ctx['case_total']:,} cases. ",
    ]
    if load.get("loaded"):
        lines[-1] += (
            f"This run loaded {load['loaded']:,} cases and {load['events']:,} timeline events with COPY in "
            f"{ctx['seconds']['load cases (COPY)']:.0f} s "
            "(plain indexes and foreign keys dropped meanwhile and added back after):"
        )
        lines.append("")
        lines += ["| step | seconds |", "|---|---:|"]
        for name, value in ctx["seconds"].items():
            lines.append(f"| {name} | {value:.1f} |")
            if name == "load cases (COPY)":
                lines += [f"| &nbsp;&nbsp;{k} | {v:.1f} |" for k, v in load["phases"].items()]
    else:
        lines[-1] += "They were already loaded (this run did not load them)."
    lines += [
        "",
        "Cases are spread over the estates by their number of units, over the past two years with a "
        "volume growing by 60 %, numbered per year in filing order; 62 % are everyday complaints "
        "(repairs, cleaning, parking, lifts first), 40 % come by the 12345 hotline. Older cases are "
        "nearly all closed out (4 % rejected, 1.5 % stuck open), the last weeks hold the open work. "
        "Each case has its filing event, and its closing (or rejection) event once closed.",
        "",
        "| state | cases |",
        "|---|---:|",
    ]
    lines += [f"| {state} | {count:,} |" for state, count in ctx["states"]]
    lines += [f"| *of which overdue now* | {ctx['overdue']:,} |", ""]
    lines += ["| table | rows (before the filing below) | table | indexes |", "|---|---:|---:|---:|"]
    lines += [
        f"| {t} | {rows:,} | {size / 2**20:,.0f} MiB | {isize / 2**20:,.0f} MiB |"
        for t, rows, size, isize in ctx["sizes"]
    ]
    lines += [
        "",
        f"`{USER}` sees one subdistrict: {ctx['scope_estates']:,} estates, {ctx['scope_cases']:,} cases "
        f"({ctx['scope_open']:,} open).",
    ]
    lines += filing_section(ctx)
    for title, key, path, note, floor_note in (
        (
            "The ledger page",
            "ledger",
            "/cases/",
            "logged in through the login page (session cookie)",
            "its 20 rows with their estate and community, and the counts of the filtered cases",
        ),
        (
            "The API list",
            "api",
            "/api/v1/cases/",
            "with the bearer token",
            "its 20 rows with their estate and community",
        ),
    ):
        reads = ctx.get(key)
        if not reads:
            continue
        floor = ctx.get(f"{key}_floor", {})
        view = {name: times for name, times, _size in ctx.get(f"{key}_view", [])}
        lines += [
            "",
            f"## {title}: `GET {path}` as `{USER}`, against its floors",
            "",
            f"App: {args.requests} sequential requests per filter after one warm-up, {note}; the whole "
            "response over HTTP, server and client on one machine. Two floors, each returning the same "
            f"page ({floor_note}), the estates in reach given to them: the hand-written SQL alone, run as "
            "often on one connection in-process (**SQL**), and the same SQL behind a bare Django view "
            "on the same server, asked over HTTP as the app is (**bare view**: no login, no scope, a "
            "bare table or JSON). Pages 2 and 50 are asked by cursor (the `next` link of the page before).",
            "",
            "| filter | app median / p95 ms | SQL median / p95 ms | bare view median / p95 ms | "
            "app / SQL (p95) | app / bare view (median, p95) |" + (" queries |" if key == "ledger" else ""),
            "|---|---:|---:|---:|---:|---:|" + ("---:|" if key == "ledger" else ""),
        ]

        def row(name: str, times: list[float], sql: list[float], bare: list[float], bold: bool) -> str:
            app_m, app_p = statistics.median(times), percentile(times, 95)
            sql_m, sql_p = statistics.median(sql), percentile(sql, 95)
            view_m, view_p = statistics.median(bare), percentile(bare, 95)
            b = "**" if bold else ""
            return (
                f"| {b}{name}{b} | {b}{ms1(app_m)} / {ms1(app_p)}{b} | {ms1(sql_m)} / {ms1(sql_p)} | "
                f"{ms1(view_m)} / {ms1(view_p)} | {app_p / sql_p:.1f}x | "
                f"{b}{app_m / view_m:.1f}x, {app_p / view_p:.1f}x{b} |"
            )

        for name, times, _size in reads:
            line = row(name, times, floor.get(name) or [math.nan], view.get(name) or [math.nan], False)
            if key == "ledger":
                line += f" {ctx['plans']['counts'][name][0]} |"
            lines.append(line)
        if floor and view:
            flat = [t for _, times, _ in reads for t in times]
            all_sql = [t for times in floor.values() for t in times]
            all_view = [t for times in view.values() for t in times]
            lines.append(row("all", flat, all_sql, all_view, True) + (" |" if key == "ledger" else ""))
    plans = ctx.get("plans")
    if plans:
        lines += [
            "",
            f"The API list takes {plans['api_count']} queries (session login, unfiltered). "
            "Query counts of the "
            "ledger page come from running it once in-process (`CaptureQueriesContext`); they do not grow "
            "with the page size or the number of rows.",
        ]
        for title, sqls in ctx.get("explained", []):
            lines += ["", f"### EXPLAIN ANALYZE: {title}", ""]
            for label, sql, plan, total in sqls:
                lines += [f"{label}, {total:.1f} ms:", "", "```sql", sql, "```", "", "```", plan, "```", ""]
    lines += ["", "## What it means", "", *ctx.get("meaning", ["(see the figures above)"])]
    lines += ["", *HISTORY]
    return lines


def main() -> None:
    args = parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    # The project's settings plus the bench's URLs (the bare filing view); Huey's queue (the SMS the
    # filings send, delivered by a worker the benchmark does not run) on a Redis of its own, as a
    # site at scale runs it (README: HUEY_REDIS_URL), or else SQLite in a scratch directory.
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ.setdefault("JIAYUAN_VAR_DIR", tempfile.mkdtemp(prefix="jiayuan-bench-var-"))
    redis = start_redis() if not os.environ.get("HUEY_REDIS_URL") else None
    if redis is not None:
        os.environ["HUEY_REDIS_URL"] = redis[1]
    ctx_redis = "Redis (a server of the benchmark's own)" if os.environ.get("HUEY_REDIS_URL") else "SQLite"
    try:
        run(args, ctx_redis)
    finally:
        if redis is not None:
            redis[0].terminate()
            redis[0].wait(timeout=10)


def start_redis() -> tuple[subprocess.Popen[bytes], str] | None:
    """A throwaway redis-server on a free port for Huey's queue, if one is installed."""
    import shutil

    binary = shutil.which("redis-server")
    if binary is None:
        return None
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tempfile.gettempdir(),
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process, f"redis://127.0.0.1:{port}/0"
        time.sleep(0.1)
    process.terminate()
    return None


def run(args: argparse.Namespace, queue: str) -> None:
    os.environ["DEBUG"] = "0"  # as in production: no query log kept in memory
    os.environ.setdefault("SECRET_KEY", "bench-only-key-signs-nothing")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    from zoneinfo import ZoneInfo

    ctx: dict[str, Any] = {"args": args, "started_at": dt.datetime.now(ZoneInfo("Asia/Shanghai"))}
    ctx["queue"] = queue
    ctx["loadavg"] = os.getloadavg()
    seconds: dict[str, float] = {}
    ensure_database(args.database_url, args.reseed)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from jiayuan.accounts.models import User
    from jiayuan.cases.deadlines import overdue_q
    from jiayuan.cases.models import Case, CaseEvent
    from jiayuan.cases.workflow import OPEN_STATES
    from jiayuan.core.actor import actor_for

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seconds["migrate"] = time.perf_counter() - started
    if city_seeded():
        print("The city is seeded already: not seeding (--reseed to start again).")
    else:
        started = time.perf_counter()
        call_command(
            "seed", "--scale", "city", "--seed", str(args.seed), "--demo-password", PASSWORD, verbosity=1
        )
        seconds["seed (manage.py seed --scale city)"] = time.perf_counter() - started
    ctx["load"] = load_cases(args, seconds)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # VACUUM sets the visibility map that index-only scans need (after a bulk load autovacuum
        # would do it some time later; the figures should not depend on when it did).
        cursor.execute("VACUUM (ANALYZE) cases_case")
        cursor.execute("VACUUM (ANALYZE) cases_caseevent")
        cursor.execute("ANALYZE")
        cursor.execute("SHOW server_version")
        ctx["pg_version"] = cursor.fetchone()[0]
    seconds["VACUUM (ANALYZE) the case tables, ANALYZE"] = time.perf_counter() - started
    ctx["seconds"] = seconds
    ctx["sizes"] = table_sizes(
        [Case._meta.db_table, CaseEvent._meta.db_table, "estates_estate", "estates_unit", "audit_auditevent"]
    )
    for table, rows, size, isize in ctx["sizes"]:
        print(f"{table}: {rows:,} rows, {size / 2**20:,.0f} MiB + indexes {isize / 2**20:,.0f} MiB")
    now = timezone.now()
    ctx["states"] = list(Case.objects.order_by().values_list("state").annotate(n=Count("pk")).order_by("-n"))
    ctx["overdue"] = Case.objects.filter(overdue_q(now)).count()
    actor = actor_for(User.objects.get(username=USER))
    mine = Case.objects.visible_to(actor)
    from jiayuan.estates.models import Estate

    ctx["scope_estates"] = Estate.objects.visible_to(actor).count()
    ctx["scope_cases"] = mine.count()
    ctx["scope_open"] = mine.filter(state__in=OPEN_STATES).count()
    if args.no_http:
        return
    estate_ids = list(Estate.objects.visible_to(actor).order_by("pk").values_list("pk", flat=True))
    filters, floor_filters = resolve_pages(ledger_filters(timezone.localdate()), estate_ids)
    # The bare views (bench_urls.py) are given the estates in reach and the scope, as the SQL floor is.
    community = Estate.objects.visible_to(actor).select_related("community__parent").first().community
    os.environ["BENCH_ESTATE_IDS"] = ",".join(map(str, estate_ids))
    os.environ["BENCH_SCOPE_PATH"] = community.parent.path

    # In-process first (before filing adds cases): query counts and the SQL to explain.
    ctx["plans"] = queries_and_plans(filters)
    print(f"Filing in-process for {args.inprocess_seconds:.0f} s, the app then the bare view ...", flush=True)
    ctx["inprocess"] = filing_in_process(args.inprocess_seconds)
    delete_bare_cases()

    import gunicorn
    from floor import time_floor

    ctx["gunicorn"] = gunicorn.__version__
    workers = args.workers or 2 * (os.cpu_count() or 1)
    ctx["workers"] = workers
    server = Server(args.database_url, args.port or free_port(), workers)
    try:
        server.wait()
        token = api_token(server.base)
        print(f"Filing for {args.file_seconds:.0f} s with {args.file_clients} clients ...", flush=True)
        ctx["filing"] = filing = bench_filing(server.base, token, args)
        print(
            f"filing: {filing['created']:,} cases in {filing['seconds']:.1f} s = "
            f"{filing['rate']:.1f} cases/s, "
            f"p50 {ms(filing['p50'])} ms, p95 {ms(filing['p95'])} ms, statuses {filing['statuses']}"
        )
        ctx["filing_bare"] = bare = bench_filing(server.base, {}, args, path="/bench/bare-file/")
        print(
            f"bare filing: {bare['created']:,} cases in {bare['seconds']:.1f} s = {bare['rate']:.1f} cases/s"
        )
        ctx["filing_statements"] = same = bench_filing(
            server.base, token, args, path="/bench/bare-file-statements/"
        )
        print(f"the app's statements: {same['created']:,} cases = {same['rate']:.1f} cases/s")
        delete_bare_cases()
        session = login(server.base)
        print("Ledger page:", flush=True)
        ctx["ledger"] = bench_reads(server.base, "/cases/", session, filters, args.requests)
        print("Floor of the ledger page (its rows and counts, hand-written SQL):", flush=True)
        ctx["ledger_floor"] = time_floor(floor_filters, estate_ids, args.requests, counts=True)
        print("Bare view of the ledger page (the same SQL, a bare HTML table over HTTP):", flush=True)
        ctx["ledger_view"] = bench_reads(
            server.base, "/bench/bare-ledger/", {}, bare_queries(floor_filters), args.requests
        )
        print("API list:", flush=True)
        ctx["api"] = bench_reads(server.base, "/api/v1/cases/", token, filters, args.requests)
        print("Floor of the API list (its rows, hand-written SQL):", flush=True)
        ctx["api_floor"] = time_floor(floor_filters, estate_ids, args.requests, counts=False)
        print("Bare view of the API list (the same SQL, bare JSON over HTTP):", flush=True)
        ctx["api_view"] = bench_reads(
            server.base, "/bench/bare-cases/", {}, bare_queries(floor_filters), args.requests
        )
    finally:
        server.stop()
    ctx["case_total"] = Case.objects.count()

    # EXPLAIN ANALYZE: the unfiltered ledger and its slowest filter (by p95 over HTTP).
    slowest = max(ctx["ledger"], key=lambda r: percentile(r[1], 95))[0]
    explained = []
    for name in dict.fromkeys(["no filter", slowest]):
        sqls = []
        for sql in ctx["plans"]["case_sql"][name]:
            plan, total = explain(sql)
            sqls.append((label_sql(sql), sql, plan, total))
        explained.append((f"ledger, {name}", sqls))
        print(f"EXPLAIN ANALYZE ledger, {name}: " + ", ".join(f"{s[0]} {s[3]:.1f} ms" for s in sqls))
    ctx["explained"] = explained
    ledger_all = [t for _, times, _ in ctx["ledger"] for t in times]
    p95 = percentile(ledger_all, 95)
    ctx["meaning"] = meaning(ctx, p95)
    lines = render(ctx)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def meaning(ctx: dict[str, Any], ledger_p95: float) -> list[str]:
    """The goals (issue: the ledger at the floor, filing without waste) against this run's figures."""
    lines = []
    for key, title in (("ledger", "ledger page"), ("api", "API list")):
        reads, floor = ctx.get(key), ctx.get(f"{key}_floor")
        if not reads or not floor:
            continue
        view = {name: times for name, times, _size in ctx.get(f"{key}_view", [])}
        over_50 = [name for name, times, _ in reads if percentile(times, 95) > 0.05]
        ratios = {name: percentile(times, 95) / percentile(floor[name], 95) for name, times, _ in reads}
        over_2x = [f"{name} ({ratio:.1f}x)" for name, ratio in ratios.items() if ratio > 2]
        lines.append(
            f"- The {title} for a subdistrict officer ({ctx['scope_cases']:,} of "
            f"{ctx['case_total']:,} cases): p95 under 50 ms for {len(reads) - len(over_50)} of "
            f"{len(reads)} filters"
            + (f" (over: {', '.join(over_50)})" if over_50 else "")
            + f"; within 2x of the SQL floor at p95 for {len(reads) - len(over_2x)} of {len(reads)}"
            + (f" (over: {'; '.join(over_2x)})" if over_2x else "")
            + "."
        )
        if view:
            by_view = {name: percentile(times, 95) / percentile(view[name], 95) for name, times, _ in reads}
            over = [f"{name} ({ratio:.1f}x)" for name, ratio in by_view.items() if ratio > 2]
            lines.append(
                f"  Against the bare view over HTTP: within 2x at p95 for {len(reads) - len(over)} of "
                f"{len(reads)}" + (f" (over: {'; '.join(over)})" if over else "") + "."
            )
    inproc, filing, bare = ctx.get("inprocess"), ctx.get("filing"), ctx.get("filing_bare")
    if inproc:
        share = inproc["app"]["rate"] / inproc["bare"]["rate"]
        same = inproc["app"]["rate"] / inproc["statements"]["rate"]
        lines.append(
            f"- Filing in-process runs at {share:.0%} of the bare view's rate (goal: at least 50 %), "
            f"and at {same:.0%} of the rate of its own statements run bare."
        )
    if filing and bare:
        share = filing["rate"] / bare["rate"]
        lines.append(
            f"- Filing over HTTP with {filing['clients']} clients runs at {share:.0%} of the bare view's "
            f"rate ({filing['rate']:.0f} against {bare['rate']:.0f} cases per second; "
            f"{filing['rate'] * 86400:,.0f} a day, where Yinchuan files a few thousand)."
        )
    lines.append(
        "- Absolute figures move with the machine's load (other work ran on the same 2 cores); the app and "
        "its floor ran in the same minutes, so their ratio is the figure to read."
    )
    return lines


if __name__ == "__main__":
    main()
