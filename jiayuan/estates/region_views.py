"""The region browser: from the actor's topmost visible regions down to communities and estates.

In the estates app, which sits above regions: the pages count and list estates.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from jiayuan.core.views import ActorMixin, paginate
from jiayuan.estates.selectors import estate_list, region_children, region_roots
from jiayuan.regions.choices import Level
from jiayuan.regions.selectors import region_breadcrumbs, region_list


class RegionBrowseView(ActorMixin, TemplateView):
    template_name = "regions/browse.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["regions"] = region_roots(actor=self.actor)
        return context


class RegionDetailView(ActorMixin, TemplateView):
    template_name = "regions/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        actor = self.actor
        region = get_object_or_404(region_list(actor=actor), pk=self.kwargs["pk"])
        context["region"] = region
        context["breadcrumbs"] = region_breadcrumbs(actor=actor, region=region)
        context["children"] = region_children(actor=actor, region=region)
        if region.level == Level.COMMUNITY:
            estates = estate_list(actor=actor).filter(community=region)
            context["estates_page"] = paginate(self.request, estates)
        return context
