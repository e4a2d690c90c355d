"""The token exchange and the caller's own account."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from jiayuan.accounts.api.serializers import (
    MeOutputSerializer,
    RevokedOutputSerializer,
    TokenInputSerializer,
    TokenOutputSerializer,
)
from jiayuan.accounts.selectors import memberships_of
from jiayuan.accounts.services import api_token_issue, api_token_revoke, api_tokens_revoke_all
from jiayuan.core.api import error_responses, request_actor
from jiayuan.core.exceptions import DomainError


class LockedOut(DomainError):
    code = "locked_out"
    status = 429


def lockout_message(request: Request) -> str:
    cool_off = get_cool_off(request)
    if not cool_off:
        return _("Too many failed logins for this user name: ask an administrator to unlock it.")
    minutes = max(1, round(cool_off.total_seconds() / 60))
    return _("Too many failed logins for this user name: try again in %(minutes)d minutes.") % {
        "minutes": minutes
    }


class TokenObtainView(APIView):
    """Exchange a user name and password for the API token.

    The password check goes through `authenticate(request=...)`, so django-axes counts failures and
    locks the name out from this address after too many; the endpoint is also throttled ("auth").
    """

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "auth"

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenInputSerializer,
        responses={200: TokenOutputSerializer, **error_responses(400, 429)},
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The DRF request, not request._request: axes flags a lock-out on the object it is given, and
        # AxesMiddleware would replace our JSON answer by its HTML page if the flag were on the other.
        user = authenticate(request=request, **serializer.validated_data)
        if getattr(request, "axes_locked_out", False):
            raise LockedOut(lockout_message(request))
        if user is None:
            raise DomainError(_("The user name or the password is wrong."), code="invalid_credentials")
        # A token exchange is a login: the access log records it and axes resets the failure count.
        # Axes keys its access log by session and creates one if there is none; a token client keeps
        # no session, so one created for that alone is dropped again (no row, no cookie).
        had_session = request.session.session_key is not None
        user_logged_in.send(sender=type(user), request=request, user=user)
        if not had_session:
            request.session.flush()
        issued = api_token_issue(user=user)
        return Response({"token": issued.token, "expiry": issued.expiry})


class MeView(APIView):
    """The calling user and the memberships they act in."""

    @extend_schema(responses={200: MeOutputSerializer, **error_responses(401)}, tags=["auth"])
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        user = request.user
        data = {
            "id": user.pk,
            "username": user.get_username(),
            "display_name": getattr(user, "display_name", ""),
            "permissions": sorted(actor.permissions),
            "memberships": memberships_of(actor=actor),
        }
        return Response(MeOutputSerializer(data).data)


class TokenRevokeView(APIView):
    """Revoke the token this request carries (log the client out)."""

    @extend_schema(
        operation_id="auth_logout",
        request=None,
        responses={204: None, **error_responses(401)},
        tags=["auth"],
        description="The token sent with this request stops working at once.",
    )
    def post(self, request: Request) -> Response:
        if request.auth is None or not hasattr(request.auth, "token_key"):
            raise DomainError(_("Send the token to revoke in the Authorization header."), code="no_token")
        api_token_revoke(actor=request_actor(request), token=request.auth)
        return Response(status=204)


class TokensRevokeAllView(APIView):
    """Revoke every API token of the caller, wherever it was issued."""

    @extend_schema(
        operation_id="auth_logout_all",
        request=None,
        responses={200: RevokedOutputSerializer, **error_responses(401)},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        revoked = api_tokens_revoke_all(actor=request_actor(request), user=request.user)  # type: ignore[arg-type]
        return Response({"revoked": revoked})
