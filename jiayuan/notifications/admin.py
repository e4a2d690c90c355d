"""Admin of the outbox and verification codes: read-only (system administrators only).

Both are records: a message as sent, a code as issued (its hash only). Nothing here changes them.
"""

from django.contrib import admin

from jiayuan.core.admin_site import ReadOnlyAdmin
from jiayuan.notifications.models import OutboundMessage, VerificationCode


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "purpose", "status", "backend", "sent_at")
    list_filter = ("status", "purpose", "channel")
    search_fields = ("recipient", "related_type", "related_id")
    date_hierarchy = "created_at"


@admin.register(VerificationCode)
class VerificationCodeAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "phone", "purpose", "expires_at", "attempts", "used_at")
    list_filter = ("purpose",)
    search_fields = ("phone",)
    exclude = ("code_hash",)
