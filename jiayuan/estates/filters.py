"""Filters of estate lists, shared by the pages and the API (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiayuan.core.actor import actor_for
from jiayuan.core.filters import IdFilter
from jiayuan.core.scoping import served_estate_ids
from jiayuan.estates.choices import EstateType, ManagementMode
from jiayuan.estates.models import Estate, Owner, Ownership, Unit
from jiayuan.estates.selectors import search_units
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


class UnitFilter(django_filters.FilterSet):
    """Units by estate, building number, and a search over unit numbers and visible owners' names."""

    estate = IdFilter(field_name="estate_id", label=_("Estate"))
    building = django_filters.CharFilter(field_name="building__number", max_length=20, label=_("Building"))
    search = django_filters.CharFilter(
        method="filter_search", max_length=64, label=_("Unit number or owner's name")
    )

    class Meta:
        model = Unit
        fields = ["estate", "building", "search"]

    def filter_search(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        return search_units(actor_for(self.request.user), queryset, value)


class OwnershipFilter(django_filters.FilterSet):
    estate = IdFilter(field_name="unit__estate_id", label=_("Estate"))
    unit = IdFilter(field_name="unit_id", label=_("Unit"))
    owner = IdFilter(field_name="owner_id", label=_("Owner"))

    class Meta:
        model = Ownership
        fields = ["estate", "unit", "owner"]


class OwnerFilter(django_filters.FilterSet):
    estate = IdFilter(method="filter_estate", label=_("Estate"))

    class Meta:
        model = Owner
        fields = ["estate"]

    def filter_estate(self, queryset: QuerySet[Owner], name: str, value: int) -> QuerySet[Owner]:
        """Owners of a unit in the estate (each once)."""
        return queryset.filter(pk__in=Ownership.objects.filter(unit__estate_id=value).values("owner_id"))
