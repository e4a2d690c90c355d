"""Entering and removing adjustments: the system administrator's, audited, seen at once."""

import datetime as dt

import pytest

from jiayuan.audit.models import AuditEvent
from jiayuan.audit.services import chain_breaks
from jiayuan.core.exceptions import Conflict, DomainError, NotPermitted
from jiayuan.workdays.calendar import is_working_day
from jiayuan.workdays.choices import DayKind
from jiayuan.workdays.models import WorkdayAdjustment
from jiayuan.workdays.services import workday_adjustment_remove, workday_adjustment_set

pytestmark = pytest.mark.django_db

SPRING_FESTIVAL_2099 = dt.date(2099, 1, 21)  # a Wednesday of a year the package does not know


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_the_system_administrator_enters_a_holiday_with_an_audit_event(actor_of):
    admin = actor_of("system_admin")
    assert is_working_day(SPRING_FESTIVAL_2099)
    adjustment = workday_adjustment_set(
        actor=admin,
        day=SPRING_FESTIVAL_2099,
        kind=DayKind.DAY_OFF,
        name=" 春节 ",
        note="国办发明电〔2098〕7号",
    )
    assert (adjustment.kind, adjustment.name) == (DayKind.DAY_OFF, "春节")
    assert not is_working_day(SPRING_FESTIVAL_2099)
    [event] = events("workday_adjustment.created")
    assert event.actor_username == "system_admin"
    assert event.object_id == str(adjustment.pk)
    assert event.data == {
        "date": "2099-01-21",
        "kind": "day_off",
        "name": "春节",
        "note": "国办发明电〔2098〕7号",
    }
    assert chain_breaks() == []


def test_entering_the_same_date_again_changes_it_and_records_what_changed(actor_of):
    admin = actor_of("system_admin")
    first = workday_adjustment_set(actor=admin, day=SPRING_FESTIVAL_2099, kind=DayKind.DAY_OFF, name="春节")
    second = workday_adjustment_set(
        actor=admin, day=SPRING_FESTIVAL_2099, kind=DayKind.WORKING_DAY, name="春节", reason="看错了"
    )
    assert second.pk == first.pk and WorkdayAdjustment.objects.count() == 1
    assert is_working_day(SPRING_FESTIVAL_2099)
    [event] = events("workday_adjustment.updated")
    assert event.reason == "看错了"
    assert event.data == {"date": "2099-01-21", "kind": ["day_off", "working_day"]}


def test_entering_what_is_already_there_records_nothing(actor_of):
    admin = actor_of("system_admin")
    workday_adjustment_set(actor=admin, day=SPRING_FESTIVAL_2099, kind=DayKind.DAY_OFF, name="春节")
    workday_adjustment_set(actor=admin, day=SPRING_FESTIVAL_2099, kind=DayKind.DAY_OFF, name="春节")
    assert AuditEvent.objects.filter(action__startswith="workday_adjustment.").count() == 1


def test_removing_an_adjustment_restores_the_rule_with_an_audit_event(actor_of):
    admin = actor_of("system_admin")
    adjustment = workday_adjustment_set(
        actor=admin, day=SPRING_FESTIVAL_2099, kind=DayKind.DAY_OFF, name="春节"
    )
    pk = adjustment.pk
    workday_adjustment_remove(actor=admin, adjustment=adjustment, reason="录错日期")
    assert not WorkdayAdjustment.objects.exists()
    assert is_working_day(SPRING_FESTIVAL_2099)
    [event] = events("workday_adjustment.removed")
    assert (event.object_id, event.reason) == (str(pk), "录错日期")
    assert event.data == {"date": "2099-01-21", "kind": "day_off", "name": "春节", "note": ""}


@pytest.mark.parametrize("persona", ["city_admin", "district_a_officer", "auditor", "owner_of_a1a_101"])
def test_nobody_else_keeps_the_calendar(actor_of, persona):
    admin = actor_of("system_admin")
    adjustment = workday_adjustment_set(
        actor=admin, day=SPRING_FESTIVAL_2099, kind=DayKind.DAY_OFF, name="春节"
    )
    with pytest.raises(NotPermitted):
        workday_adjustment_set(
            actor=actor_of(persona), day=dt.date(2099, 1, 22), kind=DayKind.DAY_OFF, name="春节"
        )
    with pytest.raises(NotPermitted):
        workday_adjustment_remove(actor=actor_of(persona), adjustment=adjustment)
    assert list(WorkdayAdjustment.objects.values_list("date", flat=True)) == [SPRING_FESTIVAL_2099]


def test_a_kind_that_does_not_exist_or_a_missing_name_is_refused(actor_of):
    admin = actor_of("system_admin")
    with pytest.raises(DomainError) as error:
        workday_adjustment_set(actor=admin, day=SPRING_FESTIVAL_2099, kind="half_day", name="春节")
    assert error.value.field == "kind" and not isinstance(error.value, Conflict)
    with pytest.raises(DomainError) as error:
        workday_adjustment_set(actor=admin, day=SPRING_FESTIVAL_2099, kind=DayKind.DAY_OFF, name="  ")
    assert error.value.field == "name"
    assert not AuditEvent.objects.filter(action__startswith="workday_adjustment.").exists()
