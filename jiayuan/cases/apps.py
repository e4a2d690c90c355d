from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jiayuan.cases"
    label = "cases"

    def ready(self) -> None:
        from jiayuan.cases.ledger_xlsx import CASE_LEDGER_IMPORT
        from jiayuan.imports.registry import register_import_kind

        # Large uploads of the import page run in the worker (jiayuan/imports).
        register_import_kind(CASE_LEDGER_IMPORT)
