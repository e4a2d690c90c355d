"""The audit log, its checkpoints and verifications in the admin: read-only, like everywhere (等保 2.0).

Writes in the admin go through the services, which record their own audit events (docs/audit.md).
"""

from django.contrib import admin

from jiayuan.audit.models import AuditCheckpoint, AuditEvent, AuditVerification
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


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ("at", "event_id", "count", "key_id")
    date_hierarchy = "at"


@admin.register(AuditVerification)
class AuditVerificationAdmin(ReadOnlyAdmin):
    list_display = ("at", "ok", "rows_checked", "checkpoints_checked", "first_broken_id", "problem")
    list_filter = ("ok", "problem")
    date_hierarchy = "at"
