"""Enterprise pages: the list (search by name or USCC) and one enterprise with its contracts."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from jiayuan.core.views import ActorMixin, PartialTemplateView, paginate
from jiayuan.enterprises.filters import EnterpriseFilter
from jiayuan.enterprises.models import ProjectManager
from jiayuan.enterprises.selectors import contract_list, enterprise_list


class EnterpriseListView(ActorMixin, PartialTemplateView):
    partial_name = "results"
    template_name = "enterprises/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = EnterpriseFilter(
            self.request.GET or None, queryset=enterprise_list(actor=self.actor), request=self.request
        )
        filterset.form.fields["search"].widget.attrs.update({"type": "search"})
        context["filter"] = filterset
        context["page_obj"] = paginate(self.request, filterset.qs)
        return context


class EnterpriseDetailView(ActorMixin, TemplateView):
    template_name = "enterprises/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        actor = self.actor
        enterprise = get_object_or_404(enterprise_list(actor=actor), pk=self.kwargs["pk"])
        context.update(
            {
                "enterprise": enterprise,
                "today": timezone.localdate(),
                "project_managers": ProjectManager.objects.visible_to(actor)
                .filter(enterprise=enterprise)
                .order_by("name", "id"),
                "contracts_page": paginate(
                    self.request,
                    contract_list(actor=actor)
                    .filter(enterprise=enterprise)
                    .select_related("estate__community"),
                ),
            }
        )
        return context
