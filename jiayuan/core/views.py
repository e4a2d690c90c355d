"""Base views: every page acts for an Actor and reads through selectors. Out of scope is 404."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views import View

from jiayuan.core.actor import Actor, actor_for


class ActorMixin(LoginRequiredMixin):
    """A logged-in page; `self.actor` is who acts. `required_permission` guards the whole view."""

    required_permission: str | None = None
    request: HttpRequest

    @property
    def actor(self) -> Actor:
        return actor_for(self.request.user)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.required_permission and not self.actor.has(self.required_permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"error": {"code": "not_found", "message": "Not found."}}, status=404)
    return render(request, "404.html", status=404)


__all__ = ["ActorMixin", "View", "not_found"]
