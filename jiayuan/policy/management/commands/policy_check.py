from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiayuan.policy.loader import PolicyPreset, PresetError, load_preset, preset_names


class Command(BaseCommand):
    help = (
        "Validate a policy preset (a name such as 'yinchuan', or a path to a TOML file); all shipped "
        "presets if none is given. Exits non-zero if one does not load."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("preset", nargs="?", help="preset name or path; all shipped presets if omitted")
        parser.add_argument(
            "--routes",
            action="store_true",
            help="also print the responsibility list: category, region, handler, assisting bodies, clause",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        names = [options["preset"]] if options["preset"] else preset_names()
        errors = []
        for name in names:
            try:
                preset = load_preset(name)
            except PresetError as error:
                errors.append(str(error))
                continue
            data = preset.data
            rules_on = ", ".join(preset.enabled_rules()) or "none"
            self.stdout.write(
                f"{preset.source}: ok ({data.meta.key} {data.meta.name} {data.meta.version}, in force from "
                f"{data.meta.effective_date.isoformat()}: "
                f"{len(data.category_groups)} category groups, {len(data.categories)} categories, "
                f"{len(data.departments)} departments, {len(data.responsibilities)} responsibility lines, "
                f"{len(data.violations)} violation types; rules on: {rules_on})"
            )
            if options["routes"]:
                self.write_routes(preset)
        if errors:
            raise CommandError("policy preset check failed:\n" + "\n".join(errors))

    def write_routes(self, preset: PolicyPreset) -> None:
        for line in preset.data.responsibilities:
            assist = ", ".join(preset.handler_name(h) for h in line.assist)
            self.stdout.write(
                "\t".join(
                    (
                        line.category,
                        line.region or "*",
                        preset.handler_name(line.handler),
                        assist or "-",
                        line.clause,
                    )
                )
            )
