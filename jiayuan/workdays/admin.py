"""The calendar's adjustments in the admin: every add, change and delete goes through the services.

So each is permission-checked and leaves an audit event, as any other write does.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from jiayuan.core.actor import Actor, system_actor
from jiayuan.core.admin_site import PlatformAdmin
from jiayuan.workdays.models import WorkdayAdjustment
from jiayuan.workdays.services import workday_adjustment_remove, workday_adjustment_set


def admin_actor(request: HttpRequest) -> Actor:
    # Whoever reaches the admin is a system administrator or a superuser (admin_allowed): they act
    # with the platform's roles, and the audit event names them.
    return replace(system_actor(), user=request.user)


@admin.register(WorkdayAdjustment)
class WorkdayAdjustmentAdmin(PlatformAdmin):
    """Dates counted as a day off or a working day (调休), overriding the published schedule."""

    list_display = ("date", "kind", "name", "note", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name", "note")
    date_hierarchy = "date"
    fields = ("date", "kind", "name", "note")

    def get_readonly_fields(self, request: HttpRequest, obj: WorkdayAdjustment | None = None) -> Any:
        # An adjustment is the one of its date: to move it, remove it and enter the other date.
        return ("date",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: WorkdayAdjustment, form: Any, change: bool) -> None:
        saved = workday_adjustment_set(
            actor=admin_actor(request), day=obj.date, kind=obj.kind, name=obj.name, note=obj.note
        )
        obj.pk, obj.updated_at = saved.pk, saved.updated_at

    def delete_model(self, request: HttpRequest, obj: WorkdayAdjustment) -> None:
        workday_adjustment_remove(actor=admin_actor(request), adjustment=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[WorkdayAdjustment]) -> None:
        # The bulk "delete selected" action: one service call (and one audit event) per date.
        actor = admin_actor(request)
        for adjustment in queryset.order_by("date"):
            workday_adjustment_remove(actor=actor, adjustment=adjustment)
