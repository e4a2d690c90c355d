from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class PolicyConfig(AppConfig):
    name = "jiayuan.policy"
    label = "policy"

    def ready(self) -> None:
        from jiayuan.policy.loader import PresetError, active_preset

        try:
            active_preset()
        except PresetError as error:
            raise ImproperlyConfigured(f"The policy preset does not load:\n{error}") from error
