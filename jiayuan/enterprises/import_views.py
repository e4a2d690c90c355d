"""Pages to import the list of property service enterprises and to download its template."""

from __future__ import annotations

from jiayuan.core import permissions
from jiayuan.core.xlsx import TemplateDownload
from jiayuan.enterprises.imports import ENTERPRISE_LIST, enterprise_template
from jiayuan.imports.views import BackgroundImportPage


class EnterpriseImportView(BackgroundImportPage):
    required_permission = permissions.ENTERPRISES_IMPORT
    template_name = "enterprises/import.html"
    spec = ENTERPRISE_LIST
    template_url_name = "enterprises_import:template"
    success_url_name = "enterprises:list"
    import_kind_name = "enterprises"


class EnterpriseTemplateView(TemplateDownload):
    required_permission = permissions.ENTERPRISES_IMPORT
    file_name = "物业服务企业名录模板.xlsx"
    ascii_name = "enterprise-list-template.xlsx"

    def build(self) -> bytes:
        return enterprise_template(actor=self.actor)
