"""Filters of region lists, shared by the pages and the API (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from jiayuan.core.filters import IdFilter
from jiayuan.regions.choices import Level
from jiayuan.regions.models import Region


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"))
    parent = IdFilter(field_name="parent_id", label=_("Parent"))
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))

    class Meta:
        model = Region
        fields = ["level", "parent", "search"]
