"""Filters of the case ledger, shared by the pages and the API (django-filter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiayuan.cases import workflow
from jiayuan.cases.choices import HandlerKind, Source, State, Urgency
from jiayuan.cases.deadlines import due_soon_q, overdue_q
from jiayuan.cases.models import Case, CaseEvent
from jiayuan.core.filters import DateRangeFilter, IdFilter, YesNoFilter
from jiayuan.core.pagination import NEWEST_FIRST, KeysetOrder
from jiayuan.policy.loader import active_preset
from jiayuan.policy.schema import ESCALATION_LEVELS
from jiayuan.regions.choices import Level
from jiayuan.regions.models import Region


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class InChoicesFilter(django_filters.MultipleChoiceFilter):
    """Several values of one field (`?state=a&state=b`) as one `field IN (a, b)`.

    django-filter's `MultipleChoiceFilter` ORs one equality per value, which PostgreSQL cannot use as
    an index condition (bench/reports/cases_city.md); `IN` it can. Never DISTINCT: every filter of the
    ledger is on a column of the case itself, so no row comes twice.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["distinct"] = False
        kwargs["lookup_expr"] = "in"
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        return self.get_method(qs)(**{f"{self.field_name}__in": sorted(set(value))})


class CaseFilter(django_filters.FilterSet):
    state = InChoicesFilter(choices=State.choices, label=_("State"))
    category = django_filters.CharFilter(field_name="category", label=_("Category"))
    group = django_filters.CharFilter(method="filter_group", label=_("Category group"))
    source = InChoicesFilter(choices=Source.choices, label=_("Source"))
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, label=_("Urgency"), empty_label=_("All"))
    overdue = YesNoFilter(method="filter_overdue", label=_("Overdue?"))
    poor_rating = YesNoFilter(method="filter_poor_rating", label=_("Poorly rated?"))
    handler_kind = django_filters.ChoiceFilter(
        choices=HandlerKind.choices, label=_("Responsible body"), empty_label=_("All")
    )
    enterprise = IdFilter(field_name="handler_enterprise_id", label=_("Enterprise"))
    department = IdFilter(field_name="handler_department_id", label=_("Department"))
    estate = IdFilter(field_name="estate_id", label=_("Estate"))
    campaign = IdFilter(field_name="campaign_id", label=_("Campaign"))
    region = IdFilter(method="filter_region", label=_("Region"))
    filed = DateRangeFilter(field_name="created_at", method="filter_local_dates", label=_("Filing date"))
    closed = DateRangeFilter(field_name="closed_at", method="filter_local_dates", label=_("Close-out date"))
    # What the home page's work queues link to (jiayuan/cases/queues.py): hidden on the ledger's form.
    due_soon = django_filters.BooleanFilter(method="filter_due_soon", label=_("Due soon"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("Open"))
    reopened = django_filters.BooleanFilter(method="filter_reopened", label=_("Reopened"))
    escalated = django_filters.ChoiceFilter(
        choices=[(level, Level(level).label) for level in ESCALATION_LEVELS],
        method="filter_escalated",
        label=_("Escalated to"),
    )
    sent_back = django_filters.BooleanFilter(method="filter_sent_back", label=_("Sent back"))

    class Meta:
        model = Case
        fields = ["state", "category", "source", "urgency", "handler_kind", "estate"]

    def filter_local_dates(self, queryset: QuerySet[Case], name: str, value: slice) -> QuerySet[Case]:
        """Local calendar days as a half-open range of instants, so the column's index serves it."""
        if value.start:
            queryset = queryset.filter(**{f"{name}__gte": local_midnight(value.start)})
        if value.stop:
            queryset = queryset.filter(**{f"{name}__lt": local_midnight(value.stop + dt.timedelta(days=1))})
        return queryset

    def filter_group(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        codes = [c.code for c in active_preset().categories.values() if c.group == value]
        return queryset.filter(category__in=codes)

    def filter_overdue(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        q = overdue_q(timezone.now())
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_poor_rating(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        q = Q(rating__lte=active_preset().data.cases.poor_rating.max)
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_region(self, queryset: QuerySet[Case], name: str, value: int) -> QuerySet[Case]:
        """Cases at estates under a region (any level): one indexed prefix match on the path."""
        path = Region.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(estate__community__path__startswith=path)

    def filter_due_soon(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        q = due_soon_q(timezone.now(), active_preset())
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_open(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        q = Q(state__in=sorted(workflow.OPEN_STATES))
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_reopened(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        """Open cases the complainant reopened at least once."""
        q = reopened_q()
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_escalated(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        """Cases still running late whose escalation (督办) reached this level or above."""
        return queryset.filter(escalated_q(value))

    def filter_sent_back(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        """Cases being rectified again after the verifier sent the rectification back."""
        q = sent_back_q()
        return queryset.filter(q) if value else queryset.exclude(q)


def reopened_q() -> Q:
    return Q(state__in=sorted(workflow.OPEN_STATES), reopen_count__gt=0)


def escalated_q(level: str) -> Q:
    """Overdue-clock cases escalated to `level` (subdistrict, district, city) or higher."""
    clocks = sorted(workflow.ACCEPTANCE_CLOCK | workflow.RECTIFICATION_CLOCK)
    return Q(state__in=clocks, escalation_level__gte=ESCALATION_LEVELS.index(level) + 1)


def sent_back_q() -> Q:
    sent_back = CaseEvent.objects.filter(case=OuterRef("pk"), transition="send_back")
    return Q(Exists(sent_back), state=workflow.IN_PROGRESS)


# The orders the ledger pages walk by cursor (`?sort=`), each served by an index: `case_created_at`
# and `case_deadline_id`. The deadline is the rectification deadline the ledger's column shows.
LEDGER_ORDERS: dict[str, tuple[KeysetOrder, Any]] = {
    "-filed": (NEWEST_FIRST, _("Filing date, newest first")),
    "filed": (KeysetOrder("created_at", descending=False), _("Filing date, oldest first")),
    "deadline": (KeysetOrder("deadline", descending=False), _("Deadline, soonest first")),
    "-deadline": (KeysetOrder("deadline", descending=True), _("Deadline, latest first")),
}
DEFAULT_LEDGER_ORDER = "-filed"
