from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiayuan.core"
    label = "core"
