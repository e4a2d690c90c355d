from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "jiayuan.governance"
    label = "governance"
