"""The auditors' page: every verification of the audit chain, newest first."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from jiayuan.audit.selectors import audit_overview, verification_list
from jiayuan.core import permissions
from jiayuan.core.views import ActorMixin, paginate


class VerificationListView(ActorMixin, TemplateView):
    required_permission = permissions.AUDIT_READ
    template_name = "audit/verifications.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page_obj"] = paginate(self.request, verification_list(actor=self.actor))
        context["audit"] = audit_overview(actor=self.actor)
        return context
