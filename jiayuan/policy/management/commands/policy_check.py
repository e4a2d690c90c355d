from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiayuan.policy.loader import PresetError, load_preset, preset_names


class Command(BaseCommand):
    help = "Validate a policy preset (a name such as 'yinchuan', or a path to a TOML file)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("preset", nargs="?", help="preset name or path; all shipped presets if omitted")

    def handle(self, *args: Any, **options: Any) -> None:
        names = [options["preset"]] if options["preset"] else preset_names()
        failed = False
        for name in names:
            try:
                preset = load_preset(name)
            except PresetError as error:
                failed = True
                self.stderr.write(str(error))
                continue
            data = preset.data
            self.stdout.write(
                f"{preset.source}: ok ({data.meta.key} {data.meta.name}: {len(data.categories)} categories, "
                f"{len(data.departments)} departments, {len(data.responsibilities)} responsibility lines)"
            )
        if failed:
            raise CommandError("policy preset check failed")
