"""Filters of enterprise and contract lists, shared by the pages and the API (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiayuan.core.filters import IdFilter
from jiayuan.enterprises.models import Enterprise, ServiceContract


class EnterpriseFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Name or USCC"))

    class Meta:
        model = Enterprise
        fields = ["search"]

    def filter_search(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        term = value.strip()
        return queryset.filter(Q(name__icontains=term) | Q(uscc__icontains=term.upper()))


class ContractFilter(django_filters.FilterSet):
    estate = IdFilter(field_name="estate_id", label=_("Estate"))
    enterprise = IdFilter(field_name="enterprise_id", label=_("Enterprise"))
    in_force = django_filters.BooleanFilter(method="filter_in_force", label=_("In force today"))

    class Meta:
        model = ServiceContract
        fields = ["estate", "enterprise", "kind", "status", "in_force"]

    def filter_in_force(
        self, queryset: QuerySet[ServiceContract], name: str, value: bool
    ) -> QuerySet[ServiceContract]:
        current = ServiceContract.objects.in_force_on(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)
