from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiayuan.core"
    label = "core"

    def ready(self) -> None:
        # Register the periodic jobs with Huey: config/periodic.py is their one list.
        import config.periodic  # noqa: F401
        from jiayuan.core.text import refuse_control_characters_in_every_text_field

        refuse_control_characters_in_every_text_field()
