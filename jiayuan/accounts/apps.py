from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jiayuan.accounts"
    label = "accounts"
