from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jiayuan.audit"
    label = "audit"
