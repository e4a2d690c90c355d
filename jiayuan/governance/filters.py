"""Filters of owner-body lists, shared by the pages and the API (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiayuan.core.filters import IdFilter
from jiayuan.governance.models import OwnersCommittee
from jiayuan.governance.selectors import term_warning_days


class OwnersCommitteeFilter(django_filters.FilterSet):
    estate = IdFilter(field_name="estate_id", label=_("Estate"))
    ending_soon = django_filters.BooleanFilter(method="filter_ending_soon", label=_("Term ending soon"))

    class Meta:
        model = OwnersCommittee
        fields = ["estate", "status", "ending_soon"]

    def filter_ending_soon(
        self, queryset: QuerySet[OwnersCommittee], name: str, value: bool
    ) -> QuerySet[OwnersCommittee]:
        if not value:
            return queryset
        return queryset.ending_within(today=timezone.localdate(), days=term_warning_days())  # type: ignore[attr-defined]
