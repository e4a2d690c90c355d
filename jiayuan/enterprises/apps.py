from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "jiayuan.enterprises"
    label = "enterprises"

    def ready(self) -> None:
        from jiayuan.core.scoping import register_served_estates
        from jiayuan.enterprises.hooks import EnterpriseLookup, estate_contracts
        from jiayuan.enterprises.imports import ENTERPRISE_IMPORT
        from jiayuan.enterprises.reach import served_estate_ids
        from jiayuan.estates.hooks import register_enterprise_lookup, register_estate_page
        from jiayuan.imports.registry import register_import_kind

        # Enterprise staff reach the estates their enterprise serves (enterprises/reach.py).
        register_served_estates(served_estate_ids)
        # The estate pages show the enterprise and contracts of an estate (enterprises/hooks.py).
        register_enterprise_lookup(EnterpriseLookup())
        register_estate_page(estate_contracts)
        # Large uploads of the import page run in the worker (jiayuan/imports).
        register_import_kind(ENTERPRISE_IMPORT)
