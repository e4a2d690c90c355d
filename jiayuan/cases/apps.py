from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jiayuan.cases"
    label = "cases"

    def ready(self) -> None:
        from jiayuan.cases.ledger_xlsx import CASE_LEDGER_IMPORT
        from jiayuan.imports.registry import register_import_kind

        # Large uploads of the import page run in the worker (jiayuan/imports).
        register_import_kind(CASE_LEDGER_IMPORT)

        # What each role must do with cases, first on the home page (jiayuan/core/queues.py).
        from jiayuan.cases.queues import case_queue
        from jiayuan.core.queues import register_queue

        register_queue(case_queue)
