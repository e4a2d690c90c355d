from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jiayuan.notifications"
    label = "notifications"

    def ready(self) -> None:
        from jiayuan.notifications import checks  # noqa: F401  (registers the deployment check)
