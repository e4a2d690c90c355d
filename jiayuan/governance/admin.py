"""Admin of owner bodies (system administrators only; writes bypass services and the audit log)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from jiayuan.core.admin_site import PlatformAdmin, PlatformInline
from jiayuan.governance.models import (
    ManagementCommittee,
    ManagementCommitteeMember,
    OwnersAssembly,
    OwnersCommittee,
    OwnersCommitteeMember,
)


@admin.register(OwnersAssembly)
class OwnersAssemblyAdmin(PlatformAdmin):
    list_display = ("estate", "established_on", "rules_of_procedure_filed_on")
    search_fields = ("estate__name",)
    raw_id_fields = ("estate",)
    list_select_related = ("estate",)


class OwnersCommitteeMemberInline(PlatformInline):
    model = OwnersCommitteeMember
    raw_id_fields = ("owner",)
    fields = ("name", "post", "phone", "owner")


class ManagementCommitteeMemberInline(PlatformInline):
    model = ManagementCommitteeMember
    raw_id_fields = ("owner",)
    fields = ("name", "post", "affiliation", "phone", "owner")


@admin.register(OwnersCommittee)
class OwnersCommitteeAdmin(PlatformAdmin, SimpleHistoryAdmin):
    list_display = ("estate", "term_start", "term_end", "status", "filing_number")
    list_filter = ("status",)
    search_fields = ("estate__name", "filing_number")
    raw_id_fields = ("estate",)
    list_select_related = ("estate",)
    date_hierarchy = "term_end"
    inlines = [OwnersCommitteeMemberInline]


@admin.register(ManagementCommittee)
class ManagementCommitteeAdmin(PlatformAdmin):
    list_display = ("estate", "term_start", "term_end", "status")
    list_filter = ("status",)
    search_fields = ("estate__name",)
    raw_id_fields = ("estate",)
    list_select_related = ("estate",)
    date_hierarchy = "term_end"
    inlines = [ManagementCommitteeMemberInline]
