"""Admin of campaigns: read-only (system administrators only); campaigns are run from their pages."""

from django.contrib import admin

from jiayuan.campaigns.models import Campaign
from jiayuan.core.admin_site import ReadOnlyAdmin


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("name", "region", "starts_on", "ends_on", "basis")
    list_filter = ("region__level",)
    search_fields = ("name", "region__name", "basis")
    raw_id_fields = ("region", "created_by")
    readonly_fields = ("created_at",)
    list_select_related = ("region",)
    date_hierarchy = "starts_on"
