"""Owners' committees and management committees the caller sees (read-only for now)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from jiayuan.core.api import ScopedViewSet, error_responses
from jiayuan.governance.api.serializers import (
    ManagementCommitteeOutputSerializer,
    OwnersCommitteeOutputSerializer,
)
from jiayuan.governance.filters import OwnersCommitteeFilter
from jiayuan.governance.models import ManagementCommittee, OwnersCommittee
from jiayuan.governance.selectors import management_committee_list, owners_committee_list


@extend_schema_view(
    list=extend_schema(
        responses={200: OwnersCommitteeOutputSerializer(many=True), **error_responses(400, 401)}
    ),
    retrieve=extend_schema(responses={200: OwnersCommitteeOutputSerializer, **error_responses(401, 404)}),
)
class OwnersCommitteeViewSet(ScopedViewSet):
    """Owners' committees of the estates in the caller's scope; `?ending_soon=true` lists the terms
    ending within the policy's warning period."""

    filterset_class = OwnersCommitteeFilter
    output_serializer = OwnersCommitteeOutputSerializer

    def get_queryset(self) -> QuerySet[OwnersCommittee]:
        return owners_committee_list(actor=self.actor)

    def list(self, request: Request) -> Response:
        return self.paginated(OwnersCommitteeOutputSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(OwnersCommitteeOutputSerializer(self.get_object()).data)


@extend_schema_view(
    list=extend_schema(
        responses={200: ManagementCommitteeOutputSerializer(many=True), **error_responses(401)}
    ),
    retrieve=extend_schema(responses={200: ManagementCommitteeOutputSerializer, **error_responses(401, 404)}),
)
class ManagementCommitteeViewSet(ScopedViewSet):
    """Management committees (物管会) of the estates in the caller's scope."""

    output_serializer = ManagementCommitteeOutputSerializer

    def get_queryset(self) -> QuerySet[ManagementCommittee]:
        return management_committee_list(actor=self.actor)

    def list(self, request: Request) -> Response:
        return self.paginated(ManagementCommitteeOutputSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ManagementCommitteeOutputSerializer(self.get_object()).data)
