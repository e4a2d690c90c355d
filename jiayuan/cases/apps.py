from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jiayuan.cases"
    label = "cases"
