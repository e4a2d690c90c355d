"""Base views: every page acts for an Actor and reads through selectors. Out of scope is 404."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views import View
from django.views.generic import TemplateView

from jiayuan.core.actor import Actor, actor_for

PAGE_SIZE = 20


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


def paginate(request: HttpRequest, queryset: QuerySet[Any], *, param: str = "page") -> Page[Any]:
    """One page of an ordered queryset (`?page=`); a bad or too-high number gives the nearest page."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(param))


def partial_template(request: HttpRequest, template: str, partial: str) -> str:
    """The whole page, or only its named partial when htmx asks for a fragment.

    A boosted request and the request htmx makes to restore history both need the whole page.
    """
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        return f"{template}#{partial}"
    return template


class PartialTemplateView(TemplateView):
    """A page whose `partial_name` part (django-template-partials) htmx can ask for alone.

    `Vary: HX-Request` keeps a browser from showing the cached fragment as the page on "back".
    """

    partial_name = ""

    def get_template_names(self) -> list[str]:
        return [
            partial_template(self.request, name, self.partial_name) for name in super().get_template_names()
        ]

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ("HX-Request",))
        return response


__all__ = [
    "ActorMixin",
    "PartialTemplateView",
    "View",
    "not_found",
    "paginate",
    "partial_template",
]
