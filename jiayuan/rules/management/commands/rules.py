"""`manage.py rules evaluate --preset NAME_OR_PATH --facts FILE.json [--what-if OTHER]` (docs/rules.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiayuan.policy.loader import PolicyPreset, PresetError, load_preset
from jiayuan.rules.engine import diff, evaluate
from jiayuan.rules.facts import Facts, FactsError, parse_facts

BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Evaluate a policy preset over a facts file and print the consequences as JSON; with "
        "--what-if, print what another preset would add or remove. Exit 2 on a bad facts or preset file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("evaluate", help="evaluate a preset over a facts file")
        run.add_argument("--preset", required=True, help="preset name (yinchuan ...) or path to a TOML file")
        run.add_argument("--facts", required=True, help="the facts, a JSON file (docs/rules.md)")
        run.add_argument("--what-if", dest="what_if", help="another preset: print the difference instead")

    def handle(self, *args: Any, **options: Any) -> None:
        preset = self.preset(options["preset"])
        facts = self.facts(options["facts"])
        try:
            result = evaluate(preset, facts)
            output = result.as_json()
            if options["what_if"]:
                other = evaluate(self.preset(options["what_if"]), facts)
                output = diff(result, other).as_json()
        except FactsError as error:
            raise CommandError(self.located(str(error), options["facts"]), returncode=BAD_INPUT) from error
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))

    @staticmethod
    def located(message: str, path: str) -> str:
        """The engine names the facts "facts"; name the file instead."""
        return "\n".join(
            f"{path}{line.removeprefix('facts')}" if line.startswith("facts: ") else line
            for line in message.splitlines()
        )

    def preset(self, name_or_path: str) -> PolicyPreset:
        try:
            return load_preset(name_or_path)
        except PresetError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from error

    def facts(self, path: str) -> Facts:
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such facts file", returncode=BAD_INPUT)
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: not valid JSON: {error}", returncode=BAD_INPUT) from error
        try:
            return parse_facts(data, source=path)
        except FactsError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from error
