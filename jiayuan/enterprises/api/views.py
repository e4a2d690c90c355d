"""Enterprises and service contracts the caller sees; the housing bureau registers and files them."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiayuan.core import permissions
from jiayuan.core.api import ScopedViewSet, error_responses
from jiayuan.enterprises.api.serializers import (
    ContractCreateInputSerializer,
    ContractOutputSerializer,
    ContractTerminateInputSerializer,
    EnterpriseCreateInputSerializer,
    EnterpriseOutputSerializer,
    EnterpriseUpdateInputSerializer,
)
from jiayuan.enterprises.filters import ContractFilter, EnterpriseFilter
from jiayuan.enterprises.models import Enterprise, ServiceContract
from jiayuan.enterprises.selectors import contract_list, enterprise_list
from jiayuan.enterprises.services import (
    contract_create,
    contract_terminate,
    enterprise_create,
    enterprise_update,
)


@extend_schema_view(
    list=extend_schema(responses={200: EnterpriseOutputSerializer(many=True), **error_responses(400, 401)}),
    retrieve=extend_schema(responses={200: EnterpriseOutputSerializer, **error_responses(401, 404)}),
    create=extend_schema(
        request=EnterpriseCreateInputSerializer,
        responses={201: EnterpriseOutputSerializer, **error_responses(400, 401, 403, 409)},
    ),
    partial_update=extend_schema(
        request=EnterpriseUpdateInputSerializer,
        responses={200: EnterpriseOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
    ),
)
class EnterpriseViewSet(ScopedViewSet):
    """Property service enterprises in the caller's scope; `?search=` matches the name or the USCC."""

    filterset_class = EnterpriseFilter
    output_serializer = EnterpriseOutputSerializer
    required_permissions = {
        "create": permissions.ENTERPRISES_CHANGE,
        "partial_update": permissions.ENTERPRISES_CHANGE,
    }

    def get_queryset(self) -> QuerySet[Enterprise]:
        return enterprise_list(actor=self.actor)

    def list(self, request: Request) -> Response:
        return self.paginated(EnterpriseOutputSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(EnterpriseOutputSerializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        data = self.validated(EnterpriseCreateInputSerializer)
        enterprise = enterprise_create(actor=self.actor, **data)
        return self.output(enterprise, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        enterprise = self.get_object()
        data = self.validated(EnterpriseUpdateInputSerializer, partial=True)
        enterprise_update(actor=self.actor, enterprise=enterprise, reason=data.pop("reason", ""), **data)
        return self.output(enterprise)


@extend_schema_view(
    list=extend_schema(responses={200: ContractOutputSerializer(many=True), **error_responses(400, 401)}),
    retrieve=extend_schema(responses={200: ContractOutputSerializer, **error_responses(401, 404)}),
    create=extend_schema(
        request=ContractCreateInputSerializer,
        responses={201: ContractOutputSerializer, **error_responses(400, 401, 403, 409)},
        description="File a service contract. An estate has at most one contract in force on any day: "
        "an overlap is refused with 409 and the code `contract_overlap`.",
    ),
    terminate=extend_schema(
        request=ContractTerminateInputSerializer,
        responses={200: ContractOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
        description="End an active contract early; it stays on record, in force up to and including `on`.",
    ),
)
class ContractViewSet(ScopedViewSet):
    """Service contracts of the estates in the caller's scope (and all of one's own enterprise)."""

    filterset_class = ContractFilter
    output_serializer = ContractOutputSerializer
    required_permissions = {
        "create": permissions.CONTRACTS_CHANGE,
        "terminate": permissions.CONTRACTS_CHANGE,
    }

    def get_queryset(self) -> QuerySet[ServiceContract]:
        return contract_list(actor=self.actor)

    def list(self, request: Request) -> Response:
        return self.paginated(ContractOutputSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ContractOutputSerializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        data = self.validated(ContractCreateInputSerializer)
        contract = contract_create(
            actor=self.actor, enterprise=data.pop("enterprise"), estate=data.pop("estate"), **data
        )
        return self.output(contract, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def terminate(self, request: Request, pk: str) -> Response:
        contract = self.get_object()
        data = self.validated(ContractTerminateInputSerializer)
        contract_terminate(actor=self.actor, contract=contract, on=data["on"], reason=data["reason"])
        return self.output(contract)
