"""Admin of enterprises, project managers and contracts: read-only (system administrators only).

They are written through their services (pages, API, import), which check and audit every write.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from jiayuan.core.admin_site import ReadOnlyAdmin
from jiayuan.enterprises.models import Enterprise, ProjectManager, ServiceContract


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("name", "uscc", "registered_region", "legal_representative", "phone")
    search_fields = ("name", "uscc")
    raw_id_fields = ("registered_region",)
    list_select_related = ("registered_region",)


@admin.register(ProjectManager)
class ProjectManagerAdmin(ReadOnlyAdmin):
    list_display = ("name", "enterprise", "phone", "certificate_number")
    search_fields = ("name", "enterprise__name", "certificate_number")
    raw_id_fields = ("enterprise",)
    list_select_related = ("enterprise",)


@admin.register(ServiceContract)
class ServiceContractAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("estate", "enterprise", "kind", "start_date", "end_date", "status", "service_grade")
    list_filter = ("status", "kind", "service_grade")
    search_fields = ("estate__name", "enterprise__name", "enterprise__uscc", "filing_number")
    raw_id_fields = ("enterprise", "estate", "project_manager")
    list_select_related = ("estate", "enterprise")
    date_hierarchy = "start_date"
