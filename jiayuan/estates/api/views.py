"""Estates the caller sees; housing authorities register and correct them."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from jiayuan.core import permissions
from jiayuan.core.api import ScopedViewSet, error_responses
from jiayuan.estates.api.serializers import (
    EstateCreateInputSerializer,
    EstateOutputSerializer,
    EstateUpdateInputSerializer,
)
from jiayuan.estates.filters import EstateFilter
from jiayuan.estates.models import Estate
from jiayuan.estates.selectors import estate_list
from jiayuan.estates.services import estate_create, estate_update


@extend_schema_view(
    list=extend_schema(responses={200: EstateOutputSerializer(many=True), **error_responses(400, 401)}),
    retrieve=extend_schema(responses={200: EstateOutputSerializer, **error_responses(401, 404)}),
    create=extend_schema(
        request=EstateCreateInputSerializer,
        responses={201: EstateOutputSerializer, **error_responses(400, 401, 403, 409)},
    ),
    partial_update=extend_schema(
        request=EstateUpdateInputSerializer,
        responses={200: EstateOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
    ),
)
class EstateViewSet(ScopedViewSet):
    """Estates in the caller's scope, with the enterprise serving each today."""

    filterset_class = EstateFilter
    output_serializer = EstateOutputSerializer
    required_permissions = {
        "create": permissions.ESTATES_CHANGE,
        "partial_update": permissions.ESTATES_CHANGE,
    }

    def get_queryset(self) -> QuerySet[Estate]:
        return estate_list(actor=self.actor)

    def list(self, request: Request) -> Response:
        return self.paginated(EstateOutputSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(EstateOutputSerializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        data = self.validated(EstateCreateInputSerializer)
        estate = estate_create(actor=self.actor, community=data.pop("region"), **data)
        return self.output(estate, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        estate = self.get_object()
        data = self.validated(EstateUpdateInputSerializer, partial=True)
        estate = estate_update(actor=self.actor, estate=estate, reason=data.pop("reason", ""), **data)
        return self.output(estate)
