from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "jiayuan.imports"
    label = "imports"
