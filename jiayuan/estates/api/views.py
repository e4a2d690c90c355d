"""Estates the caller sees, and their registry (units, owners, ownerships); housing authorities and
community and subdistrict officers register and correct them through `estates.services`."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiayuan.core import permissions
from jiayuan.core.api import ScopedViewSet, error_responses
from jiayuan.estates.api.serializers import (
    EstateCreateInputSerializer,
    EstateOutputSerializer,
    EstateUpdateInputSerializer,
    OwnerOutputSerializer,
    OwnershipCreateInputSerializer,
    OwnershipEndInputSerializer,
    OwnershipOutputSerializer,
    OwnershipUpdateInputSerializer,
    OwnerUpdateInputSerializer,
    UnitCreateInputSerializer,
    UnitOutputSerializer,
    UnitUpdateInputSerializer,
)
from jiayuan.estates.filters import EstateFilter, OwnerFilter, OwnershipFilter, UnitFilter
from jiayuan.estates.models import Estate, Owner, Ownership, Unit
from jiayuan.estates.selectors import estate_list, owner_list, ownership_list, units_visible
from jiayuan.estates.services import (
    estate_create,
    estate_update,
    owner_update,
    ownership_create,
    ownership_end,
    ownership_register,
    ownership_update,
    unit_add,
    unit_update,
)


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


# --- the registry: units, owners, ownerships --------------------------------------------------------


@extend_schema_view(
    list=extend_schema(responses={200: UnitOutputSerializer(many=True), **error_responses(400, 401)}),
    retrieve=extend_schema(responses={200: UnitOutputSerializer, **error_responses(401, 404)}),
    create=extend_schema(
        request=UnitCreateInputSerializer,
        responses={201: UnitOutputSerializer, **error_responses(400, 401, 403, 409)},
        description="Record a unit; its building is found by number in the estate, or added.",
    ),
    partial_update=extend_schema(
        request=UnitUpdateInputSerializer,
        responses={200: UnitOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
    ),
)
class UnitViewSet(ScopedViewSet):
    """Units in the caller's scope, in natural order (estate, then building and number read as
    numbers: 1-101 before 1-1001); `?search=` matches unit numbers and the names of the owners the
    caller may see (shown masked)."""

    filterset_class = UnitFilter
    output_serializer = UnitOutputSerializer
    required_permissions = {
        "create": permissions.ESTATES_CHANGE,
        "partial_update": permissions.ESTATES_CHANGE,
    }

    def get_queryset(self) -> QuerySet[Unit]:
        return units_visible(self.actor)

    def list(self, request: Request) -> Response:
        return self.paginated(UnitOutputSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(UnitOutputSerializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        data = self.validated(UnitCreateInputSerializer)
        unit = unit_add(
            actor=self.actor,
            estate=data["estate"],
            building_number=data["building"],
            number=data["number"],
            exclusive_area=data["exclusive_area"],
        )
        return self.output(unit, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        unit = self.get_object()
        data = self.validated(UnitUpdateInputSerializer, partial=True)
        unit = unit_update(actor=self.actor, unit=unit, reason=data.pop("reason", ""), **data)
        return self.output(unit)


@extend_schema_view(
    list=extend_schema(responses={200: OwnerOutputSerializer(many=True), **error_responses(400, 401)}),
    retrieve=extend_schema(responses={200: OwnerOutputSerializer, **error_responses(401, 404)}),
    partial_update=extend_schema(
        request=OwnerUpdateInputSerializer,
        responses={200: OwnerOutputSerializer, **error_responses(400, 401, 403, 404)},
        description="Correct an owner's kind. Owners are added with an ownership (POST /ownerships/).",
    ),
)
class OwnerViewSet(ScopedViewSet):
    """Owners of units in the caller's scope, masked; owners and committee members list none."""

    filterset_class = OwnerFilter
    output_serializer = OwnerOutputSerializer
    required_permissions = {"partial_update": permissions.ESTATES_CHANGE}

    def get_queryset(self) -> QuerySet[Owner]:
        return owner_list(actor=self.actor)

    def list(self, request: Request) -> Response:
        return self.paginated(OwnerOutputSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(OwnerOutputSerializer(self.get_object()).data)

    def partial_update(self, request: Request, pk: str) -> Response:
        owner = self.get_object()
        data = self.validated(OwnerUpdateInputSerializer)
        owner = owner_update(actor=self.actor, owner=owner, reason=data.pop("reason", ""), **data)
        return self.output(owner)


@extend_schema_view(
    list=extend_schema(responses={200: OwnershipOutputSerializer(many=True), **error_responses(400, 401)}),
    retrieve=extend_schema(responses={200: OwnershipOutputSerializer, **error_responses(401, 404)}),
    create=extend_schema(
        request=OwnershipCreateInputSerializer,
        responses={201: OwnershipOutputSerializer, **error_responses(400, 401, 403, 409)},
        description="Record that a person (or an owner already recorded, by id) owns a unit. A person "
        "whose ID number is already on record is that owner, not a new one.",
    ),
    partial_update=extend_schema(
        request=OwnershipUpdateInputSerializer,
        responses={200: OwnershipOutputSerializer, **error_responses(400, 401, 403, 404)},
    ),
    end=extend_schema(
        request=OwnershipEndInputSerializer,
        responses={204: None, **error_responses(400, 401, 403, 404)},
        description="The owner no longer owns the unit (sold, entered by mistake): the ownership is "
        "removed; the audit log keeps who ended it and why.",
    ),
)
class OwnershipViewSet(ScopedViewSet):
    """Who owns which unit, in the caller's scope; owners shown masked."""

    filterset_class = OwnershipFilter
    output_serializer = OwnershipOutputSerializer
    required_permissions = {
        "create": permissions.ESTATES_CHANGE,
        "partial_update": permissions.ESTATES_CHANGE,
        "end": permissions.ESTATES_CHANGE,
    }

    def get_queryset(self) -> QuerySet[Ownership]:
        return ownership_list(actor=self.actor)

    def list(self, request: Request) -> Response:
        return self.paginated(OwnershipOutputSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(OwnershipOutputSerializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        data = self.validated(OwnershipCreateInputSerializer)
        unit, since = data.pop("unit"), data.pop("since", None)
        if "owner" in data:
            ownership = ownership_create(actor=self.actor, unit=unit, owner=data["owner"], since=since)
        else:
            ownership = ownership_register(actor=self.actor, unit=unit, since=since, **data)
        return self.output(ownership, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        ownership = self.get_object()
        data = self.validated(OwnershipUpdateInputSerializer)
        ownership = ownership_update(
            actor=self.actor, ownership=ownership, reason=data.pop("reason", ""), **data
        )
        return self.output(ownership)

    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        ownership = self.get_object()
        data = self.validated(OwnershipEndInputSerializer)
        ownership_end(actor=self.actor, ownership=ownership, reason=data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)
