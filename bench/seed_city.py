"""Benchmark: load the city-scale demo (2,500 estates, 1,000,000 units) into PostgreSQL.

    .venv/bin/python bench/seed_city.py [--database-url URL] [--seed N] [--no-digest]

Drops and recreates the database named in the URL (default: jiayuan_bench on 127.0.0.1), migrates
it, runs `manage.py seed --scale city`, and reports rows per table, seconds (total and per phase)
and peak memory (maxrss of this process), on screen and in bench/reports/seed_city.md. The digest
of the city (jiayuan.demo.digest) is timed too, unless --no-digest: it reads every row back.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "bench" / "reports" / "seed_city.md"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jiayuan_bench"
PASSWORD = "bench-only-password-2026"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-digest", action="store_true", help="skip timing the digest of the city")
    parser.add_argument("--report", type=Path, default=REPORT, help="where to write the report (markdown)")
    return parser.parse_args()


def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def recreate_database(url: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit("The benchmark runs on PostgreSQL: give a postgres:// URL.")
    with psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    ) as conn:
        name = sql.Identifier(config["NAME"])
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def timed(seconds: dict[str, float], name: str, action: Any) -> Any:
    started = time.perf_counter()
    result = action()
    seconds[name] = time.perf_counter() - started
    print(f"{name}: {seconds[name]:.1f} s", flush=True)
    return result


def main() -> None:
    args = parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # As in production: no query log kept in memory. The key only signs nothing here.
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-key-signs-nothing")
    sys.path.insert(0, str(ROOT))
    started_at = dt.datetime.now(ZoneInfo("Asia/Shanghai"))  # the zone the anchor date is taken in
    load = os.getloadavg()
    seconds: dict[str, float] = {}
    timed(seconds, "create database", lambda: recreate_database(args.database_url))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from jiayuan.demo.management.commands.seed import Command as SeedCommand

    timed(seconds, "migrate", lambda: call_command("migrate", verbosity=0))
    rss_before = maxrss_mib()
    command = SeedCommand()
    timed(
        seconds,
        "seed (manage.py seed --scale city)",
        lambda: call_command(
            command, "--scale", "city", "--seed", str(args.seed), "--demo-password", PASSWORD, verbosity=1
        ),
    )
    rss_seed = maxrss_mib()
    report = command.report
    assert report is not None
    digest = ""
    if not args.no_digest:
        from jiayuan.demo.digest import city_digest

        digest = timed(seconds, "digest (city_digest, not part of the seed)", city_digest)
    rss_digest = maxrss_mib()
    rows = table_rows()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    lines = render(
        args=args,
        started_at=started_at,
        load=load,
        pg_version=pg_version,
        seconds=seconds,
        phases=report.seconds,
        rss=(rss_before, rss_seed, rss_digest),
        rows=rows,
        digest=digest,
        today=report.today,
    )
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def table_rows() -> list[tuple[str, int, int]]:
    """(table, rows, bytes on disk with indexes) for every table the seed writes."""
    from django.db import connection

    from jiayuan.demo.digest import SECTIONS

    result = []
    with connection.cursor() as cursor:
        for _, model, _ in SECTIONS:
            table = model._meta.db_table
            cursor.execute(f'SELECT count(*), pg_total_relation_size(%s) FROM "{table}"', [table])
            count, size = cursor.fetchone()
            result.append((table, int(count), int(size)))
    return result


def render(
    *,
    args: argparse.Namespace,
    started_at: dt.datetime,
    load: tuple[float, float, float],
    pg_version: str,
    seconds: dict[str, float],
    phases: dict[str, float],
    rss: tuple[float, float, float],
    rows: list[tuple[str, int, int]],
    digest: str,
    today: dt.date,
) -> list[str]:
    total = sum(seconds.values())
    lines = [
        "# Seeding the city-scale demo",
        "",
        f"Run by `bench/seed_city.py --seed {args.seed}` on {started_at:%Y-%m-%d %H:%M %Z} "
        f"(anchor date {today}). Regenerate: `make bench` or `.venv/bin/python bench/seed_city.py`.",
        "",
        "| machine | |",
        "|---|---|",
        f"| cores | {os.cpu_count()} |",
        f"| memory | {memory_gib():.1f} GiB |",
        f"| load average at start (1, 5, 15 min) | {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} |",
        f"| system | {platform.system()} {platform.release()} ({platform.machine()}) |",
        f"| Python | {platform.python_version()} |",
        f"| PostgreSQL | {pg_version} (same machine) |",
        "",
        "## Time",
        "",
        "| step | seconds |",
        "|---|---:|",
    ]
    for name, value in seconds.items():
        lines.append(f"| {name} | {value:.1f} |")
        if name.startswith("seed"):
            lines.extend(
                f"| &nbsp;&nbsp;{phase} | {phase_seconds:.1f} |" for phase, phase_seconds in phases.items()
            )
    lines += [
        f"| **total** | **{total:.1f}** ({total / 60:.1f} min) |",
        "",
        "## Peak memory (maxrss of the benchmark process)",
        "",
        f"- after migrate: {rss[0]:.0f} MiB",
        f"- after the seed: {rss[1]:.0f} MiB",
        f"- after the digest: {rss[2]:.0f} MiB",
        "",
        "## Rows",
        "",
        "| table | rows | on disk (with indexes) |",
        "|---|---:|---:|",
    ]
    lines.extend(f"| {table} | {count:,} | {size / 1024 / 1024:,.1f} MiB |" for table, count, size in rows)
    if digest:
        lines += ["", f"Digest of the city (seed {args.seed}, anchor {today}): `{digest}`"]
    return lines


if __name__ == "__main__":
    main()
