"""Owner bodies: owners' committees (filter: term ending soon) and management committees."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.views.generic import TemplateView

from jiayuan.core.views import ActorMixin, paginate
from jiayuan.governance.choices import BodyStatus
from jiayuan.governance.filters import OwnersCommitteeFilter
from jiayuan.governance.selectors import (
    management_committee_list,
    owners_committee_list,
    term_warning_days,
)


class OwnerBodyListView(ActorMixin, TemplateView):
    template_name = "governance/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        actor = self.actor
        today = timezone.localdate()
        days = term_warning_days()
        filterset = OwnersCommitteeFilter(
            self.request.GET or None, queryset=owners_committee_list(actor=actor), request=self.request
        )
        committees = paginate(self.request, filterset.qs)
        management = paginate(self.request, management_committee_list(actor=actor), param="mc_page")
        context.update(
            {
                "today": today,
                "warning_days": days,
                "status_choices": BodyStatus.choices,
                "status": self.request.GET.get("status", ""),
                "ending_soon": self.request.GET.get("ending_soon") == "true",
                "committees_page": committees,
                "committees": [(c, c.term_ends_within(today, days)) for c in committees],
                "management_page": management,
                "management": [(c, c.term_ends_within(today, days)) for c in management],
            }
        )
        return context
