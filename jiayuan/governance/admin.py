"""Admin of owner bodies: read-only (system administrators only); their pages and API write them."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from jiayuan.core.admin_site import PlatformInline, ReadOnlyAdmin
from jiayuan.governance.models import (
    ManagementCommittee,
    ManagementCommitteeMember,
    OwnersAssembly,
    OwnersCommittee,
    OwnersCommitteeMember,
)


@admin.register(OwnersAssembly)
class OwnersAssemblyAdmin(ReadOnlyAdmin):
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
class OwnersCommitteeAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("estate", "term_start", "term_end", "status", "filing_number")
    list_filter = ("status",)
    search_fields = ("estate__name", "filing_number")
    raw_id_fields = ("estate",)
    list_select_related = ("estate",)
    date_hierarchy = "term_end"
    inlines = [OwnersCommitteeMemberInline]


@admin.register(ManagementCommittee)
class ManagementCommitteeAdmin(ReadOnlyAdmin):
    list_display = ("estate", "term_start", "term_end", "status")
    list_filter = ("status",)
    search_fields = ("estate__name",)
    raw_id_fields = ("estate",)
    list_select_related = ("estate",)
    date_hierarchy = "term_end"
    inlines = [ManagementCommitteeMemberInline]
