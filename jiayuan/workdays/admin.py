"""The calendar's adjustments in the admin: every add, change and delete goes through the services.

So each is permission-checked and leaves an audit event, as any other write does.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jiayuan.core.actor import Actor
from jiayuan.core.admin_site import ServiceAdmin
from jiayuan.workdays.models import WorkdayAdjustment
from jiayuan.workdays.services import workday_adjustment_remove, workday_adjustment_set


@admin.register(WorkdayAdjustment)
class WorkdayAdjustmentAdmin(ServiceAdmin):
    """Dates counted as a day off or a working day (调休), overriding the published schedule."""

    list_display = ("date", "kind", "name", "note", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name", "note")
    date_hierarchy = "date"
    fields = ("date", "kind", "name", "note")

    def get_readonly_fields(self, request: HttpRequest, obj: WorkdayAdjustment | None = None) -> Any:
        # An adjustment is the one of its date: to move it, remove it and enter the other date.
        return ("date",) if obj is not None else ()

    def create(self, *, request: HttpRequest, actor: Actor, obj: WorkdayAdjustment, form: Any) -> Any:
        data = form.cleaned_data
        return workday_adjustment_set(
            actor=actor, day=data["date"], kind=data["kind"], name=data["name"], note=data.get("note", "")
        )

    def update(
        self, *, request: HttpRequest, actor: Actor, obj: WorkdayAdjustment, changes: dict[str, Any]
    ) -> None:
        fields = {"kind": obj.kind, "name": obj.name, "note": obj.note, **changes}
        workday_adjustment_set(actor=actor, day=obj.date, **fields)

    def remove(self, *, request: HttpRequest, actor: Actor, obj: WorkdayAdjustment) -> None:
        # The bulk "delete selected" action too: one service call (and one audit event) per date.
        workday_adjustment_remove(actor=actor, adjustment=obj)
