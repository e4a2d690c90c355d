"""A case's photos and documents over the API: the list, the upload (multipart), the download.

Mixed into `CaseViewSet`, so every action starts from the case as the caller sees it (404 outside
scope) and the attachments from `CaseAttachment.objects.visible_to(actor)`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from jiayuan.cases import services
from jiayuan.cases.attachment_files import attachment_response
from jiayuan.cases.choices import AttachmentKind
from jiayuan.cases.models import Case, CaseAttachment
from jiayuan.core.api import error_responses


class CaseAttachmentOutputSerializer(serializers.Serializer):
    """A photo or document of a case. `url` downloads it (a photo inline, a document as a file)."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=AttachmentKind.choices)
    original_name = serializers.CharField()
    size = serializers.IntegerField(help_text="In bytes, as stored (photos are re-encoded without metadata).")
    content_type = serializers.CharField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField(help_text="Where to download it, with the same credentials.")

    @extend_schema_field(serializers.URLField())
    def get_url(self, attachment: CaseAttachment) -> str:
        path = reverse("api-case-attachment", args=[attachment.case_id, attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class CaseAttachInputSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(),
        min_length=1,
        help_text="One or more files (repeat the field): photos (JPEG, PNG, WebP) or PDF, DOCX, XLSX. "
        "Recognised by content, not by name; all are stored or none.",
    )


class PassthroughRenderer(renderers.BaseRenderer):
    """Lets a client that asks for the file's type (`Accept: image/jpeg`) reach the download."""

    media_type = "*/*"
    format = "file"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode()


if TYPE_CHECKING:
    from jiayuan.core.api import ScopedViewSet as MixinBase
else:
    MixinBase = object


class CaseAttachmentsMixin(MixinBase):
    """`attachments` (GET list, POST upload) and `attachment` (GET one file) on /cases/{id}/."""

    def attachments_of(self, case: Case) -> QuerySet[CaseAttachment]:
        actor = self.actor
        return CaseAttachment.objects.visible_to(actor).filter(case=case).order_by("uploaded_at", "id")

    @extend_schema(
        methods=["GET"],
        filters=False,
        responses={200: CaseAttachmentOutputSerializer(many=True), **error_responses(401, 404)},
        description="The case's photos and documents, oldest first.",
    )
    @extend_schema(
        methods=["POST"],
        filters=False,
        request={"multipart/form-data": CaseAttachInputSerializer},
        responses={
            201: CaseAttachmentOutputSerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
        description="Attach photos and documents (multipart, field `files`, repeated). The complainant "
        "and the body the case is dispatched to may while it is open, supervising staff at any time. "
        "One bad file refuses them all (400 naming it: `file_type_not_accepted`, `file_too_large`, "
        "`too_many_files`). Photos are stored without their metadata (GPS, device).",
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser], pagination_class=None)
    def attachments(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        context = {"request": request}
        if request.method == "POST":
            serializer = CaseAttachInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            actor = self.actor
            stored = services.case_attach(actor=actor, case=case, files=serializer.validated_data["files"])
            data = CaseAttachmentOutputSerializer(stored, many=True, context=context).data
            return Response(data, status=status.HTTP_201_CREATED)
        rows = self.attachments_of(case)
        return Response(CaseAttachmentOutputSerializer(rows, many=True, context=context).data)

    @extend_schema(
        operation_id="cases_attachments_download",
        filters=False,
        parameters=[
            OpenApiParameter("attachment_pk", int, OpenApiParameter.PATH, description="The attachment's id."),
            OpenApiParameter("format", exclude=True),
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, with its own content type."
            ),
            **error_responses(401, 404),
        },
        description="Download one attachment: a photo inline, a document as a file with its original name.",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_pk>[0-9]+)",
        url_name="attachment",
        renderer_classes=[renderers.JSONRenderer, PassthroughRenderer],
    )
    def attachment(self, request: Request, pk: str, attachment_pk: str) -> HttpResponseBase:
        case = self.get_object()
        return attachment_response(get_object_or_404(self.attachments_of(case), pk=attachment_pk))
