from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "jiayuan.regions"
    label = "regions"
