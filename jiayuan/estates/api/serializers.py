"""Input and output of the estate endpoints, one serializer per operation.

No owners here: owners' personal data is not in the API.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiayuan.core.api import NamedRefSerializer, ScopedPrimaryKeyField
from jiayuan.estates.choices import EstateType, ManagementMode
from jiayuan.estates.models import Estate
from jiayuan.regions.choices import Level
from jiayuan.regions.models import Region


class EstateOutputSerializer(serializers.Serializer):
    """An estate as `estates.selectors.estate_list` returns it (today's enterprise annotated)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    region = serializers.IntegerField(source="community_id", help_text="The community the estate belongs to.")
    region_name = serializers.CharField(source="community.name")
    management_mode = serializers.ChoiceField(choices=ManagementMode.choices)
    estate_type = serializers.ChoiceField(choices=EstateType.choices)
    year_built = serializers.IntegerField(allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    unit_count = serializers.IntegerField()
    total_exclusive_area = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="Square metres, as a decimal string."
    )
    current_enterprise = serializers.SerializerMethodField(
        help_text="The enterprise serving the estate under a contract in force today, if any."
    )
    updated_at = serializers.DateTimeField()

    @extend_schema_field(NamedRefSerializer(allow_null=True))
    def get_current_enterprise(self, estate: Estate) -> dict[str, Any] | None:
        enterprise_id = getattr(estate, "enterprise_id_now", None)
        if enterprise_id is None:
            return None
        return {"id": enterprise_id, "name": getattr(estate, "enterprise_name_now", "")}


class EstateFieldsSerializer(serializers.Serializer):
    """The fields of an estate a housing authority fills in (community apart)."""

    name = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=200)
    management_mode = serializers.ChoiceField(choices=ManagementMode.choices)
    estate_type = serializers.ChoiceField(choices=EstateType.choices)
    year_built = serializers.IntegerField(min_value=1900, max_value=2100, required=False, allow_null=True)
    latitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        required=False,
        allow_null=True,
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        required=False,
        allow_null=True,
    )
    unit_count = serializers.IntegerField(min_value=0, required=False)
    total_exclusive_area = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal(0), required=False
    )


class EstateCreateInputSerializer(EstateFieldsSerializer):
    region = ScopedPrimaryKeyField(
        queryset=Region.objects.filter(level=Level.COMMUNITY),
        help_text="The community (in your jurisdiction) the estate belongs to.",
        error_messages={"does_not_exist": _("No community with id {pk_value} in your jurisdiction.")},
    )


class EstateUpdateInputSerializer(EstateFieldsSerializer):
    """Any subset of the estate's fields (PATCH); the community cannot change."""

    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="Kept in the audit log."
    )
