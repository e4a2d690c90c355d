"""The base of every API endpoint: bearer tokens, pagination, JSON errors, scoped viewsets."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from jiayuan.core.actor import Actor, actor_for
from jiayuan.core.exceptions import DomainError

ERROR_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    415: "unsupported_media_type",
    429: "throttled",
}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    if details:
        body["error"]["details"] = details
    return body


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error is JSON: {"error": {"code", "message", "details"?}}."""
    if isinstance(exc, DomainError):
        details = exc.details
        if exc.field:
            details = {exc.field: [str(exc.message)], **(details or {})}
        return Response(error_body(exc.code, str(exc.message), details), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = ERROR_CODES.get(response.status_code, "error")
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(code, _("The request has invalid fields."), response.data)
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        response.data = error_body(
            getattr(exc, "default_code", code) if code == "error" else code, str(detail)
        )
    return response


def request_actor(request: Request) -> Actor:
    return actor_for(request.user)


class ScopedViewSet(viewsets.GenericViewSet):
    """Base of every API viewset: `get_queryset` must start from a selector given `self.actor`,
    so out of scope is 404 like missing."""

    @property
    def actor(self) -> Actor:
        return request_actor(self.request)
