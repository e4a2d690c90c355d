"""Pages to import the baseline ledger of estates and to download its template."""

from __future__ import annotations

from jiayuan.core import permissions
from jiayuan.core.xlsx import TemplateDownload
from jiayuan.estates.imports import ESTATE_LEDGER, estate_template
from jiayuan.imports.views import BackgroundImportPage


class EstateImportView(BackgroundImportPage):
    required_permission = permissions.ESTATES_IMPORT
    template_name = "estates/import.html"
    spec = ESTATE_LEDGER
    template_url_name = "estates_import:template"
    success_url_name = "estates:list"
    import_kind_name = "estates"


class EstateTemplateView(TemplateDownload):
    required_permission = permissions.ESTATES_IMPORT
    file_name = "小区摸底台账模板.xlsx"
    ascii_name = "estate-ledger-template.xlsx"

    def build(self) -> bytes:
        return estate_template(actor=self.actor)
