from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jiayuan.audit"
    label = "audit"

    def ready(self) -> None:
        import jiayuan.audit.checks  # noqa: F401  (registers the deployment check of the audit key)
        from jiayuan.audit.queues import audit_queue
        from jiayuan.core.queues import register_queue

        # An auditor's home page: what changed since their last visit (jiayuan/core/queues.py).
        register_queue(audit_queue)
