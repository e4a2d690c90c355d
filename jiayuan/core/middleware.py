"""Response headers every answer carries: what the browser may use, and what it may keep."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class ResponseHeadersMiddleware:
    """`Permissions-Policy` from settings; `Cache-Control: no-store` unless the view chose otherwise.

    Pages and API answers carry personal data (masked or not) and scoped figures: no browser or
    proxy may keep a copy. A view that serves something public and lasting sets its own
    Cache-Control, which is left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.JIAYUAN_PERMISSIONS_POLICY
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
