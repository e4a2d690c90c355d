"""`manage.py audit verify` and `manage.py audit checkpoint` (docs/audit.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiayuan.audit.services import checkpoint_create, verification_run


class Command(BaseCommand):
    help = "Verify the audit chain and its signed checkpoints, or sign a checkpoint of its head."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Walk the whole chain; exit 1 at the first broken event.")
        verify.add_argument(
            "--all", action="store_true", help="List every problem found, not only the first."
        )
        sub.add_parser("checkpoint", help="Sign the chain's head now (the hourly job does the same).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "checkpoint":
            checkpoint = checkpoint_create()
            self.stdout.write(
                f"Checkpoint {checkpoint.pk}: event {checkpoint.event_id}, {checkpoint.count} events, "
                f"digest {checkpoint.event_digest}, key {checkpoint.key_id}, "
                f"signature {checkpoint.signature}."
            )
            return
        result, report = verification_run()
        summary = (
            f"{report.rows} events up to event {report.last_id or 0} and "
            f"{report.checkpoints} checkpoints checked in {result.seconds:.1f} s"
        )
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {summary}."))
            return
        for problem in report.problems if options["all"] else report.problems[:1]:
            self.stderr.write(f"Broken at event {problem.event_id} ({problem.kind}): {problem.detail}.")
        raise CommandError(f"Audit chain broken at event {result.first_broken_id}: {summary}.")
