from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jiayuan.notifications"
    label = "notifications"
