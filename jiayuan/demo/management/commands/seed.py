"""`manage.py seed`: load the deterministic demo city (Yinchuan) into an empty database.

A loader, not a use case: it writes the models directly with bulk_create (COPY on PostgreSQL for
the big tables), bypassing the services, in one transaction, and records one audit event
`demo.seeded` with the counts. The same --seed and --today give the same data (see
`jiayuan.demo.digest.city_digest`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jiayuan.demo.loader import SeedReport, seed_city
from jiayuan.demo.plan import SCALES
from jiayuan.policy.loader import PresetError, load_preset
from jiayuan.regions.models import Region

PLACES = {"yinchuan"}  # presets whose city has place names here; others borrow Yinchuan's


class Command(BaseCommand):
    help = "Load the demo city (Yinchuan): regions, estates, units, owners, enterprises and demo logins."

    report: SeedReport | None = None

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--preset",
            default=None,
            help="policy preset whose department catalogue is used (default: JIAYUAN_POLICY_PRESET)",
        )
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed, the same city")
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="anchor date (YYYY-MM-DD) all dates are computed from; default: today",
        )
        parser.add_argument("--demo-password", required=True, help="password of every demo login")
        parser.add_argument(
            "--cases",
            type=int,
            default=None,
            help="how many cases to file through the services (default: the scale's number)",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if the database already has regions"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Region.objects.exists():
            self.stdout.write("The database already has data: not seeding (--if-empty).")
            return
        name = options["preset"] or settings.JIAYUAN_POLICY_PRESET
        try:
            preset = load_preset(name)
        except PresetError as error:
            raise CommandError(str(error)) from error
        if preset.name not in PLACES:
            self.stdout.write(f"No place names for preset {preset.name!r}: using Yinchuan's.")
        scale = SCALES[options["scale"]]
        if options["cases"] is not None:
            if options["cases"] < 0:
                raise CommandError("--cases must be 0 or more.")
            scale = dataclasses.replace(scale, cases=options["cases"])
        today = options["today"] or timezone.localdate()
        seed = options["seed"]
        self.stdout.write(
            f"Seeding the demo city, {scale.name} scale (preset {preset.name}, seed {seed}, today {today})"
        )
        try:
            self.report = seed_city(
                preset=preset,
                scale=scale,
                seed=seed,
                today=today,
                password=options["demo_password"],
                progress=self.stdout.write if options["verbosity"] >= 1 else None,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{key} {value:,}" for key, value in self.report.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded in {self.report.total_seconds:.1f} s: {counts}."))
