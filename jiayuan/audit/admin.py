"""The audit log in the admin: read-only, like everywhere (events are append-only, 等保 2.0).

Nothing done in the admin itself writes an audit event (admin writes bypass the services); Django's
own admin LogEntry records those edits.
"""

from django.contrib import admin

from jiayuan.audit.models import AuditEvent
from jiayuan.core.admin_site import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_username", "action", "object_type", "object_id", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("actor_username", "action", "object_id", "object_repr", "reason")
    date_hierarchy = "at"
    readonly_fields = (
        "at",
        "actor",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "reason",
        "data",
        "digest",
    )
    raw_id_fields = ("actor",)
