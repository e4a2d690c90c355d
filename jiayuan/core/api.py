"""The base of every API endpoint: JSON errors, the actor, scoped viewsets and scoped references.

Every error under /api/ has one shape, {"error": {"code", "message", "details"?}}: the DRF exception
handler below, the catch-all `api_not_found` for unknown paths (whatever DEBUG says) and
`api_server_error` (handler500) all produce it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
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
    500: "server_error",
}

# What each error status means, for the OpenAPI document.
ERROR_DESCRIPTIONS = {
    400: "Invalid request: `details` names the fields and what is wrong with them.",
    401: "No valid token: send `Authorization: Bearer <token>` (POST /api/v1/auth/token/).",
    403: "Your roles do not allow this act.",
    404: "No such object within your jurisdiction (out of scope and missing look the same).",
    409: "The act collides with the current state (a duplicate, an overlapping contract ...).",
    429: "Too many requests, or locked out after repeated failed logins.",
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
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: handler500 answers (JSON under /api/)
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body("invalid", _("The request has invalid fields."), response.data)
    elif isinstance(exc, exceptions.APIException):
        code = getattr(exc.detail, "code", None) or ERROR_CODES.get(response.status_code, "error")
        wait = getattr(exc, "wait", None) if isinstance(exc, exceptions.Throttled) else None
        details = {"wait": wait} if wait else None
        response.data = error_body(str(code), str(exc.detail), details)
    return response


class ApiErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. `not_found`.")
    message = serializers.CharField(help_text="A sentence for people, in the request's language.")
    details = serializers.JSONField(required=False, help_text="Per-field messages, or more about the error.")


class ApiErrorSerializer(serializers.Serializer):
    """The shape of every error response."""

    error = ApiErrorBodySerializer()


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """The error responses of an operation, for `extend_schema(responses=...)`."""
    return {
        code: OpenApiResponse(ApiErrorSerializer, description=ERROR_DESCRIPTIONS[code]) for code in statuses
    }


class NamedRefSerializer(serializers.Serializer):
    """A reference to another object: its id and name."""

    id = serializers.IntegerField()
    name = serializers.CharField()


def request_actor(request: Request | HttpRequest) -> Actor:
    return actor_for(request.user)


class ActorHasPermission(permissions.BasePermission):
    """Checks `view.required_permissions[view.action]` against the actor's roles before any parsing,
    so a forbidden write is a 403 whatever its body. The service checks it again."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        required: dict[str, str] = getattr(view, "required_permissions", {})
        permission = required.get(getattr(view, "action", None) or "")
        if permission is not None:
            request_actor(request).require(permission)
        return True


class ScopedViewSet(viewsets.GenericViewSet):
    """Base of every API viewset: `get_queryset` must start from a selector given `self.actor`,
    so out of scope is 404 like missing.

    Writes validate an input serializer (`self.validated`), call the service, and answer with the
    `output_serializer` (`self.output`); `required_permissions` maps an action to the permission it
    needs.
    """

    permission_classes = [permissions.IsAuthenticated, ActorHasPermission]
    required_permissions: ClassVar[dict[str, str]] = {}
    output_serializer: ClassVar[type[serializers.Serializer]]

    @property
    def actor(self) -> Actor:
        return request_actor(self.request)

    def validated(
        self, serializer_class: type[serializers.Serializer], *, partial: bool = False
    ) -> dict[str, Any]:
        serializer = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def output(self, obj: Model, status_code: int = status.HTTP_200_OK) -> Response:
        """The object after a write, read again through the selector (so with its annotations)."""
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(
            self.output_serializer(fresh, context=self.get_serializer_context()).data, status=status_code
        )

    def paginated(
        self,
        serializer_class: type[serializers.Serializer],
        context_for: Callable[[list[Any]], dict[str, Any]] | None = None,
    ) -> Response:
        """The filtered, paginated list of `get_queryset()`, serialized with `serializer_class`.

        `context_for(rows)` may add serializer context computed for the whole page at once.
        """
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(queryset if page is None else page)
        context = {**self.get_serializer_context(), **(context_for(rows) if context_for else {})}
        data = serializer_class(rows, many=True, context=context).data
        return Response(data) if page is None else self.get_paginated_response(data)


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A reference by id, in a request body, to an object the actor sees.

    An id outside the actor's scope is refused exactly like a missing one. `queryset` is the base
    (e.g. only communities); the actor's scope narrows it per request.
    """

    def get_queryset(self) -> QuerySet[Model]:
        queryset: Any = super().get_queryset()
        return queryset.visible_to(request_actor(self.context["request"]))


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any address under /api/ that names no endpoint: a JSON 404, with DEBUG on or off."""
    details = None
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "api-not-found":
            details = {
                "hint": _("Addresses of this API end with a slash: %(path)s") % {"path": request.path + "/"}
            }
    body = error_body("not_found", _("There is no API endpoint at this address."), details)
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})


def api_server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a JSON error under /api/, the site's error page elsewhere."""
    if request.path_info.startswith("/api/"):
        body = error_body("server_error", _("Something went wrong on our side. The error has been logged."))
        return JsonResponse(body, status=500, json_dumps_params={"ensure_ascii": False})
    return defaults.server_error(request)
