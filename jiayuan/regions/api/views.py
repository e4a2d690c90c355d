"""Regions the caller sees: the jurisdiction tree, read-only."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from jiayuan.core.api import ScopedViewSet, error_responses
from jiayuan.regions.api.serializers import RegionOutputSerializer
from jiayuan.regions.filters import RegionFilter
from jiayuan.regions.models import Region
from jiayuan.regions.selectors import region_list


def ancestors_by_code(regions: Iterable[Region]) -> dict[str, Region]:
    """Every ancestor of the given regions, by code, in one query.

    Deliberately not scoped: the names of the administrative divisions above a region are public
    (GB/T 2260) and make its breadcrumb; the ancestors themselves stay 404 to whoever cannot see them.
    """
    codes = {code for region in regions for code in region.ancestor_codes()}
    return {region.code: region for region in Region.objects.filter(code__in=codes)} if codes else {}


@extend_schema_view(
    list=extend_schema(responses={200: RegionOutputSerializer(many=True), **error_responses(400, 401)}),
    retrieve=extend_schema(responses={200: RegionOutputSerializer, **error_responses(401, 404)}),
)
class RegionViewSet(ScopedViewSet):
    """Regions in the caller's jurisdiction (and the communities of the estates they see)."""

    filterset_class = RegionFilter

    def get_queryset(self) -> QuerySet[Region]:
        return region_list(actor=self.actor)

    def list(self, request: Request) -> Response:
        return self.paginated(RegionOutputSerializer, lambda rows: {"ancestors": ancestors_by_code(rows)})

    def retrieve(self, request: Request, pk: str) -> Response:
        region = self.get_object()
        context = {"ancestors": ancestors_by_code([region])}
        return Response(RegionOutputSerializer(region, context=context).data)
