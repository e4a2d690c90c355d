"""Input and output of the campaign endpoints."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiayuan.campaigns.models import Campaign
from jiayuan.core.api import NamedRefSerializer, ScopedPrimaryKeyField
from jiayuan.regions.models import Region


class CampaignOutputSerializer(serializers.Serializer):
    """A campaign (专项行动) with the counts of its cases the caller sees."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    region = NamedRefSerializer(help_text="The region whose body runs it; it covers the estates under it.")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    basis = serializers.CharField(help_text="The document and clause that launch it.")
    description = serializers.CharField()
    status = serializers.SerializerMethodField(help_text="`upcoming`, `active` or `ended`, today.")
    open_count = serializers.IntegerField(help_text="Its cases not yet closed out or rejected.")
    overdue_count = serializers.IntegerField()
    closed_count = serializers.IntegerField(help_text="Its cases closed out (销号).")

    @extend_schema_field(serializers.ChoiceField(choices=["upcoming", "active", "ended"]))
    def get_status(self, campaign: Campaign) -> str:
        today = timezone.localdate()
        if campaign.starts_on > today:
            return "upcoming"
        return "ended" if campaign.ends_on < today else "active"


class CampaignCreateInputSerializer(serializers.Serializer):
    region = ScopedPrimaryKeyField(
        queryset=Region.objects.all(),
        help_text="The city, district or subdistrict you administer (city admin, district or subdistrict "
        "officer); another is 403.",
    )
    name = serializers.CharField(max_length=120)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    basis = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
