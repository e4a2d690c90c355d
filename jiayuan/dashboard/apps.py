from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "jiayuan.dashboard"
    label = "dashboard"

    def ready(self) -> None:
        # The main navigation lists the sections of the apps below (dashboard/navigation.py).
        from jiayuan.core.navigation import register_navigation
        from jiayuan.dashboard.navigation import NAV

        register_navigation(NAV)
