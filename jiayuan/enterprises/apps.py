from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "jiayuan.enterprises"
    label = "enterprises"

    def ready(self) -> None:
        # Enterprise staff reach the estates their enterprise serves (enterprises/reach.py).
        from jiayuan.core.scoping import register_served_estates
        from jiayuan.enterprises.reach import served_estate_ids

        register_served_estates(served_estate_ids)
