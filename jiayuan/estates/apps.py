from django.apps import AppConfig


class EstatesConfig(AppConfig):
    name = "jiayuan.estates"
    label = "estates"
