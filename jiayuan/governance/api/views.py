"""Owners' committees and management committees the caller sees; owners' committees are registered,
their filing and term end recorded, and their office ended through `governance.services`."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiayuan.core import permissions
from jiayuan.core.api import ScopedViewSet, error_responses
from jiayuan.governance.api.serializers import (
    CommitteeEndInputSerializer,
    ManagementCommitteeOutputSerializer,
    OwnersCommitteeCreateInputSerializer,
    OwnersCommitteeOutputSerializer,
    OwnersCommitteeUpdateInputSerializer,
)
from jiayuan.governance.filters import OwnersCommitteeFilter
from jiayuan.governance.models import ManagementCommittee, OwnersCommittee
from jiayuan.governance.selectors import management_committee_list, owners_committee_list
from jiayuan.governance.services import committee_end, owners_committee_register, owners_committee_update


@extend_schema_view(
    list=extend_schema(
        responses={200: OwnersCommitteeOutputSerializer(many=True), **error_responses(400, 401)}
    ),
    retrieve=extend_schema(responses={200: OwnersCommitteeOutputSerializer, **error_responses(401, 404)}),
    create=extend_schema(
        request=OwnersCommitteeCreateInputSerializer,
        responses={201: OwnersCommitteeOutputSerializer, **error_responses(400, 401, 403, 409)},
        description="Register an estate's elected owners' committee with its members and term (and its "
        "filing, if already filed). An estate has at most one active owners' committee (409).",
    ),
    partial_update=extend_schema(
        request=OwnersCommitteeUpdateInputSerializer,
        responses={200: OwnersCommitteeOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
        description="Record the filing (备案) or change the term end of an active committee.",
    ),
    end=extend_schema(
        request=CommitteeEndInputSerializer,
        responses={200: OwnersCommitteeOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
        description="The committee leaves office; it stays on record as ended.",
    ),
)
class OwnersCommitteeViewSet(ScopedViewSet):
    """Owners' committees of the estates in the caller's scope; `?ending_soon=true` lists the terms
    ending within the policy's warning period."""

    filterset_class = OwnersCommitteeFilter
    output_serializer = OwnersCommitteeOutputSerializer
    required_permissions = {
        "create": permissions.GOVERNANCE_CHANGE,
        "partial_update": permissions.GOVERNANCE_CHANGE,
        "end": permissions.GOVERNANCE_CHANGE,
    }

    def get_queryset(self) -> QuerySet[OwnersCommittee]:
        return owners_committee_list(actor=self.actor)

    def list(self, request: Request) -> Response:
        return self.paginated(OwnersCommitteeOutputSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(OwnersCommitteeOutputSerializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        data = self.validated(OwnersCommitteeCreateInputSerializer)
        committee = owners_committee_register(actor=self.actor, estate=data.pop("estate"), **data)
        return self.output(committee, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        committee = self.get_object()
        data = self.validated(OwnersCommitteeUpdateInputSerializer, partial=True)
        committee = owners_committee_update(
            actor=self.actor, committee=committee, reason=data.pop("reason", ""), **data
        )
        return self.output(committee)

    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        committee = self.get_object()
        data = self.validated(CommitteeEndInputSerializer)
        committee_end(actor=self.actor, committee=committee, reason=data["reason"])
        return self.output(committee)


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
