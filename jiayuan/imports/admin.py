"""Admin of import jobs: read-only (system administrators only). A job is the record of an upload
and its outcome, written by the page and the worker only."""

from django.contrib import admin

from jiayuan.core.admin_site import ReadOnlyAdmin
from jiayuan.imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "kind", "file_name", "state", "rows_read", "error_count")
    list_filter = ("state", "kind")
    search_fields = ("file_name", "user__username")
    date_hierarchy = "created_at"
    exclude = ("file",)
