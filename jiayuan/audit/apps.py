from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jiayuan.audit"
    label = "audit"

    def ready(self) -> None:
        import jiayuan.audit.checks  # noqa: F401  (registers the deployment check of the audit key)
