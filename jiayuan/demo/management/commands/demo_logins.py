"""`manage.py demo_logins`: print the demo logins (who sits where) and the address to open."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from jiayuan.demo.logins import describe_logins, format_table


class Command(BaseCommand):
    help = "Print the demo logins seeded by `manage.py seed`, with the address of the site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo-password", default="", help="the password given to seed (printed, checked)"
        )
        parser.add_argument(
            "--url",
            default=None,
            help="the address to print; default SITE_URL, which `make run` sets to the address it serves",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["demo_password"]
        lines = describe_logins(password or None)
        rows = [["用户名 username", "角色", "role", "所在机构 organisation", "辖区 where"]]
        for line in lines:
            name = line.username if line.present else f"{line.username} (missing)"
            rows.append([name, line.role_zh, line.role_en, line.organisation, line.where])
        self.stdout.write("")
        self.stdout.write(f"Jiayuan 家园 demo city: open {options['url'] or settings.SITE_URL}")
        if password:
            self.stdout.write(f"Every demo login's password: {password}")
        self.stdout.write("")
        self.stdout.write(format_table(rows))
        if any(line.password_ok is False for line in lines):
            self.stdout.write(
                self.style.WARNING(
                    "Some demo logins have another password: the database was seeded with a different one."
                )
            )
        if not any(line.present for line in lines):
            self.stdout.write(self.style.WARNING("No demo logins yet: run `manage.py seed` first."))
        self.stdout.write("")
