"""Pages to import the baseline ledger of estates and to download its template."""

from __future__ import annotations

from typing import Any

from django.utils.translation import ngettext

from jiayuan.core import permissions
from jiayuan.core.xlsx import ImportPage, ImportResult, TemplateDownload
from jiayuan.estates.imports import ESTATE_LEDGER, estate_import, estate_template


class EstateImportView(ImportPage):
    required_permission = permissions.ESTATES_IMPORT
    template_name = "estates/import.html"
    spec = ESTATE_LEDGER
    template_url_name = "estates_import:template"
    success_url_name = "estates:list"

    def run(self, file: Any) -> ImportResult:
        return estate_import(actor=self.actor, file=file)

    def success_message(self, result: ImportResult) -> str:
        return ngettext(
            "Imported %(count)d estate from %(file)s.",
            "Imported %(count)d estates from %(file)s.",
            result.created,
        ) % {"count": result.created, "file": result.file_name}


class EstateTemplateView(TemplateDownload):
    required_permission = permissions.ESTATES_IMPORT
    file_name = "小区摸底台账模板.xlsx"
    ascii_name = "estate-ledger-template.xlsx"

    def build(self) -> bytes:
        return estate_template(actor=self.actor)
