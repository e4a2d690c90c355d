"""Output of the region endpoints (regions are read-only in the API)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiayuan.regions.choices import Level
from jiayuan.regions.models import Region


class RegionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)


class RegionOutputSerializer(serializers.Serializer):
    """A region with its chain of ancestors from the city down to its parent.

    The ancestors come from `context["ancestors"]` (by code), resolved for a whole page at once.
    """

    id = serializers.IntegerField()
    code = serializers.CharField(help_text="The administrative division code (12 digits).")
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    # DRF pops declared fields off the class, so this does not clash with Field.parent at run time.
    parent = serializers.IntegerField(source="parent_id", allow_null=True)  # type: ignore[assignment]
    ancestors = serializers.SerializerMethodField()

    @extend_schema_field(RegionRefSerializer(many=True))
    def get_ancestors(self, region: Region) -> Any:
        by_code: dict[str, Region] = self.context["ancestors"]
        chain = [by_code[code] for code in region.ancestor_codes() if code in by_code]
        return RegionRefSerializer(chain, many=True).data
