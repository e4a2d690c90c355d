"""Pages to import the list of property service enterprises and to download its template."""

from __future__ import annotations

from typing import Any

from django.utils.translation import ngettext

from jiayuan.core import permissions
from jiayuan.core.xlsx import ImportPage, ImportResult, TemplateDownload
from jiayuan.enterprises.imports import ENTERPRISE_LIST, enterprise_import, enterprise_template


class EnterpriseImportView(ImportPage):
    required_permission = permissions.ENTERPRISES_IMPORT
    template_name = "enterprises/import.html"
    spec = ENTERPRISE_LIST
    template_url_name = "enterprises_import:template"
    success_url_name = "enterprises:list"

    def run(self, file: Any) -> ImportResult:
        return enterprise_import(actor=self.actor, file=file)

    def success_message(self, result: ImportResult) -> str:
        return ngettext(
            "Imported %(count)d enterprise from %(file)s.",
            "Imported %(count)d enterprises from %(file)s.",
            result.created,
        ) % {"count": result.created, "file": result.file_name}


class EnterpriseTemplateView(TemplateDownload):
    required_permission = permissions.ENTERPRISES_IMPORT
    file_name = "物业服务企业名录模板.xlsx"
    ascii_name = "enterprise-list-template.xlsx"

    def build(self) -> bytes:
        return enterprise_template(actor=self.actor)
