from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "jiayuan.dashboard"
    label = "dashboard"
