"""Filters of estate lists, shared by the pages and the API (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiayuan.core.filters import IdFilter
from jiayuan.core.scoping import served_estate_ids
from jiayuan.estates.choices import EstateType, ManagementMode
from jiayuan.estates.models import Estate
from jiayuan.regions.models import Region


class EstateFilter(django_filters.FilterSet):
    region = IdFilter(method="filter_region", label=_("Region"))
    management_mode = django_filters.ChoiceFilter(choices=ManagementMode.choices, label=_("Management mode"))
    estate_type = django_filters.ChoiceFilter(choices=EstateType.choices, label=_("Estate type"))
    enterprise = IdFilter(method="filter_enterprise", label=_("Enterprise"))
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))

    class Meta:
        model = Estate
        fields = ["region", "management_mode", "estate_type", "enterprise", "search"]

    def filter_region(self, queryset: QuerySet[Estate], name: str, value: int) -> QuerySet[Estate]:
        """Estates anywhere under the region (a district, subdistrict or community)."""
        path = Region.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(community__path__startswith=path) if path else queryset.none()

    def filter_enterprise(self, queryset: QuerySet[Estate], name: str, value: int) -> QuerySet[Estate]:
        """Estates the enterprise serves under a contract in force today."""
        return queryset.filter(pk__in=served_estate_ids(frozenset({value}), timezone.localdate()))
