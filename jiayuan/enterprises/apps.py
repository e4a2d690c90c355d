from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "jiayuan.enterprises"
    label = "enterprises"
