"""The development outbox: the latest SMS messages, for reading verification codes without a phone."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from jiayuan.core.views import ActorMixin, PartialTemplateView, paginate
from jiayuan.notifications.forms import OutboxFilterForm
from jiayuan.notifications.selectors import outbox_list, outbox_readable_by


class OutboxView(ActorMixin, PartialTemplateView):
    partial_name = "results"
    template_name = "notifications/outbox.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not outbox_readable_by(self.actor):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = OutboxFilterForm(self.request.GET or None)
        phone = form.cleaned_data["phone"] if form.is_valid() else ""
        messages = outbox_list(actor=self.actor, phone=phone)
        if form.is_bound and not form.is_valid():
            messages = messages.none()
        context.update(
            {
                "form": form,
                "page_obj": paginate(self.request, messages),
            }
        )
        return context
