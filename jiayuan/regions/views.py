"""The region browser: from the actor's topmost visible regions down to communities and estates."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Func, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from jiayuan.core.actor import Actor
from jiayuan.core.views import ActorMixin, paginate
from jiayuan.estates.models import Estate
from jiayuan.estates.selectors import estate_list
from jiayuan.regions.choices import Level
from jiayuan.regions.models import Region
from jiayuan.regions.selectors import region_children, region_list, region_roots


def with_subtree_estates(regions: QuerySet[Region], *, actor: Actor) -> QuerySet[Region]:
    """Annotate `subtree_estates`: the visible estates anywhere under each region (one subquery).

    `region_children` counts only the estates attached directly (communities); a district needs the
    whole subtree. Candidate for regions/selectors.py.
    """
    count = (
        Estate.objects.visible_to(actor)
        .filter(community__path__startswith=OuterRef("path"))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return regions.annotate(
        subtree_estates=Coalesce(Subquery(count, output_field=IntegerField()), 0),
    )


def visible_ancestors(*, actor: Actor, region: Region) -> list[tuple[Region, bool]]:
    """Breadcrumbs: every ancestor, and whether the actor may open it (two queries)."""
    ancestors = region.ancestors()
    visible = set(
        Region.objects.visible_to(actor).filter(pk__in=[a.pk for a in ancestors]).values_list("pk", flat=True)
    )
    return [(ancestor, ancestor.pk in visible) for ancestor in ancestors]


class RegionBrowseView(ActorMixin, TemplateView):
    template_name = "regions/browse.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        roots = region_roots(actor=self.actor).annotate(child_count=Count("children", distinct=True))
        context["regions"] = with_subtree_estates(roots, actor=self.actor)
        return context


class RegionDetailView(ActorMixin, TemplateView):
    template_name = "regions/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        actor = self.actor
        region = get_object_or_404(region_list(actor=actor), pk=self.kwargs["pk"])
        context["region"] = region
        context["breadcrumbs"] = visible_ancestors(actor=actor, region=region)
        context["children"] = with_subtree_estates(region_children(actor=actor, region=region), actor=actor)
        if region.level == Level.COMMUNITY:
            estates = estate_list(actor=actor).filter(community=region)
            context["estates_page"] = paginate(self.request, estates)
        return context
