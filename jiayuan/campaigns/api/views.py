"""Campaigns over the API: the ones the caller sees, with the counts of their cases; launching one.

A campaign's cases are the case ledger filtered by it: `/api/v1/cases/?campaign=<id>`.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from jiayuan.campaigns import services
from jiayuan.campaigns.api.serializers import CampaignCreateInputSerializer, CampaignOutputSerializer
from jiayuan.campaigns.models import Campaign
from jiayuan.campaigns.selectors import campaign_list
from jiayuan.core import permissions
from jiayuan.core.api import ScopedViewSet, error_responses


@extend_schema_view(
    list=extend_schema(responses={200: CampaignOutputSerializer(many=True), **error_responses(401)}),
    retrieve=extend_schema(responses={200: CampaignOutputSerializer, **error_responses(401, 404)}),
    create=extend_schema(
        request=CampaignCreateInputSerializer,
        responses={201: CampaignOutputSerializer, **error_responses(400, 401, 403)},
        description="Launch a campaign over a region you administer.",
    ),
)
class CampaignViewSet(ScopedViewSet):
    """Campaigns (专项行动) of the caller's regions and of the regions above them, newest first."""

    output_serializer = CampaignOutputSerializer
    required_permissions = {"create": permissions.CAMPAIGNS_MANAGE}

    def get_queryset(self) -> QuerySet[Campaign]:
        return campaign_list(actor=self.actor)

    def list(self, request: Request) -> Response:
        return self.paginated(CampaignOutputSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(CampaignOutputSerializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        data = self.validated(CampaignCreateInputSerializer)
        campaign = services.campaign_create(actor=self.actor, **data)
        return self.output(campaign, status.HTTP_201_CREATED)
