"""Estate pages: the list, one estate (its units searchable by number and owner), and the audited
reveal of an owner's personal data. The registry's write pages: `registry_views`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView, View

from jiayuan.accounts.selectors import community_contacts
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.forms import RevealPurposeForm, reveal_with_purpose
from jiayuan.core.text import natural_sort_key
from jiayuan.core.views import ActorMixin, PartialTemplateView, paginate
from jiayuan.estates.filters import EstateFilter
from jiayuan.estates.forms import EstateSearchForm, UnitSearchForm
from jiayuan.estates.hooks import estate_page_context
from jiayuan.estates.models import Estate, Owner, Unit
from jiayuan.estates.selectors import estate_detail, estate_list, unit_list
from jiayuan.estates.services import owner_reveal


class EstateListView(ActorMixin, PartialTemplateView):
    partial_name = "results"
    template_name = "estates/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        actor = self.actor
        filterset = EstateFilter(
            self.request.GET or None, queryset=estate_list(actor=actor), request=self.request
        )
        context["form"] = EstateSearchForm(self.request.GET or None, actor=actor)
        context["page_obj"] = paginate(self.request, filterset.qs)
        context["filtered"] = any(self.request.GET.get(name) for name in filterset.filters)
        return context


def holds_at(actor: Actor, estate: Estate, permission: str) -> bool:
    """Whether the actor holds the permission where this estate lies."""
    return actor.has(permission) and actor.can_see(estate, permission=permission)


def can_reveal(*, actor: Actor, estate: Estate) -> bool:
    """Whether to offer the reveal button: the permission, held where this estate lies."""
    return holds_at(actor, estate, permissions.VIEW_PERSONAL_DATA)


class EstateDetailView(ActorMixin, TemplateView):
    template_name = "estates/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        actor = self.actor
        try:
            estate = estate_detail(actor=actor, pk=self.kwargs["pk"])
        except Estate.DoesNotExist as error:
            raise Http404 from error
        today = timezone.localdate()
        search = UnitSearchForm(self.request.GET or None)
        text = search.cleaned_data["q"] if search.is_valid() else ""
        # The contracts (enterprises) and owners' bodies (governance): apps above estates add them.
        context.update(estate_page_context(actor, estate, today))
        context.update(
            {
                "estate": estate,
                "today": today,
                # An estate has tens of buildings, all shown: ordered here, numbers read as numbers.
                "buildings": sorted(estate.buildings.all(), key=lambda b: natural_sort_key(b.number)),
                "units_page": paginate(self.request, unit_list(actor=actor, estate=estate, search=text)),
                "unit_search": search,
                "unit_searched": bool(text),
                "can_edit_registry": holds_at(actor, estate, permissions.ESTATES_CHANGE),
                "show_owners": Owner.objects.visible_to(actor)
                .filter(ownerships__unit__estate=estate)
                .exists(),
                "can_reveal": can_reveal(actor=actor, estate=estate),
                "can_print_poster": actor.has(permissions.CASES_ACCEPT),
                "reveal_form": RevealPurposeForm(),
                "community_committees": community_contacts(communities=[estate.community_id]).get(
                    estate.community_id, []
                ),
            }
        )
        return context


@method_decorator(never_cache, name="dispatch")
class OwnerRevealView(ActorMixin, View):
    """POST a purpose, see one owner's personal data once. `owner_reveal` checks and audits it."""

    required_permission = permissions.VIEW_PERSONAL_DATA
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, owner_pk: int) -> HttpResponse:
        actor = self.actor
        estate = get_object_or_404(estate_list(actor=actor), pk=pk)
        owner = get_object_or_404(
            Owner.objects.visible_to(actor).filter(ownerships__unit__estate=estate).distinct(), pk=owner_pk
        )
        data, error = reveal_with_purpose(
            request.POST, lambda purpose: owner_reveal(actor=actor, owner=owner, purpose=purpose)
        )
        form = RevealPurposeForm(request.POST)
        htmx = getattr(request, "htmx", None)
        if data is None and not htmx:
            messages.error(request, str(error))
            return redirect("estates:detail", pk=estate.pk)
        units = Unit.objects.visible_to(actor).filter(estate=estate, ownerships__owner=owner).distinct()
        context = {
            "estate": estate,
            "owner": owner,
            "revealed": data,
            "error": error,
            "units": units.select_related("building").order_by("sort_key", "id"),
            "reveal_form": form,
        }
        template = "estates/owner_reveal.html#revealed" if htmx else "estates/owner_reveal.html"
        return render(request, template, context)
