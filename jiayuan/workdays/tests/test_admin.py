"""The admin writes adjustments through the services: each add, change and delete is audited."""

import datetime as dt

import pytest

from jiayuan.audit.models import AuditEvent
from jiayuan.core.actor import system_actor
from jiayuan.workdays.calendar import is_working_day
from jiayuan.workdays.choices import DayKind
from jiayuan.workdays.models import WorkdayAdjustment
from jiayuan.workdays.services import workday_adjustment_set

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/workdays/workdayadjustment/"


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.users["system_admin"])
    return client


def enter(day, kind=DayKind.DAY_OFF, name="春节"):
    return workday_adjustment_set(actor=system_actor(), day=day, kind=kind, name=name)


def actions():
    return list(
        AuditEvent.objects.filter(action__startswith="workday_adjustment.")
        .order_by("id")
        .values_list("action", "actor_username")
    )


def test_adding_in_the_admin_goes_through_the_service(admin_client):
    response = admin_client.post(
        f"{CHANGELIST}add/",
        {"date": "2099-01-21", "kind": DayKind.DAY_OFF, "name": "春节", "note": "国办发明电"},
    )
    assert response.status_code == 302, response.content.decode()
    adjustment = WorkdayAdjustment.objects.get()
    assert (adjustment.date, adjustment.name) == (dt.date(2099, 1, 21), "春节")
    assert actions() == [("workday_adjustment.created", "system_admin")]
    assert not is_working_day(dt.date(2099, 1, 21))


def test_changing_in_the_admin_goes_through_the_service(admin_client):
    adjustment = enter(dt.date(2099, 1, 21))
    response = admin_client.post(
        f"{CHANGELIST}{adjustment.pk}/change/",
        {"date": "2099-02-01", "kind": DayKind.WORKING_DAY, "name": "春节", "note": ""},
    )
    assert response.status_code == 302, response.content.decode()
    adjustment.refresh_from_db()
    assert adjustment.date == dt.date(2099, 1, 21)  # the date is read-only once entered
    assert adjustment.kind == DayKind.WORKING_DAY
    assert actions()[-1] == ("workday_adjustment.updated", "system_admin")
    assert is_working_day(dt.date(2099, 1, 21))


def test_deleting_in_the_admin_goes_through_the_service(admin_client):
    adjustment = enter(dt.date(2099, 1, 21))
    response = admin_client.post(f"{CHANGELIST}{adjustment.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not WorkdayAdjustment.objects.exists()
    assert actions()[-1] == ("workday_adjustment.removed", "system_admin")
    assert is_working_day(dt.date(2099, 1, 21))


def test_deleting_several_at_once_records_one_event_each(admin_client):
    chosen = [enter(dt.date(2099, 1, day)).pk for day in (21, 22, 23)]
    response = admin_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": chosen[:2], "post": "yes"}
    )
    assert response.status_code == 302
    assert list(WorkdayAdjustment.objects.values_list("pk", flat=True)) == chosen[2:]
    assert actions()[-2:] == [("workday_adjustment.removed", "system_admin")] * 2


def test_other_roles_do_not_reach_the_calendar_in_the_admin(client, world):
    client.force_login(world.users["city_admin"])
    response = client.post(f"{CHANGELIST}add/", {"date": "2099-01-21", "kind": DayKind.DAY_OFF, "name": "x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not WorkdayAdjustment.objects.exists()


def test_the_list_and_the_forms_render(admin_client):
    adjustment = enter(dt.date(2099, 1, 21))
    for url in (CHANGELIST, f"{CHANGELIST}add/", f"{CHANGELIST}{adjustment.pk}/change/"):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    assert "2099" in admin_client.get(CHANGELIST).content.decode()
