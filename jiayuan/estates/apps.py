from django.apps import AppConfig


class EstatesConfig(AppConfig):
    name = "jiayuan.estates"
    label = "estates"

    def ready(self) -> None:
        from jiayuan.estates.imports import ESTATE_IMPORT
        from jiayuan.imports.registry import register_import_kind

        # Large uploads of the import page run in the worker (jiayuan/imports).
        register_import_kind(ESTATE_IMPORT)
