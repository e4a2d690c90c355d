"""Deadlines, due soon, overdue and escalation (督办): one definition of overdue everywhere."""

import datetime as dt

import pytest
from django.utils import timezone

from jiayuan.audit.models import AuditEvent
from jiayuan.cases.choices import EventKind
from jiayuan.cases.deadlines import add_working_days, is_due_soon, is_overdue, with_overdue
from jiayuan.cases.models import Case, CaseEvent
from jiayuan.cases.services import case_accept, case_close_out, case_dispatch, case_reopen, deadlines_sweep
from jiayuan.cases.tests.factories import ENTERPRISE_CATEGORY, NOW, file, fresh, step
from jiayuan.core.actor import system_actor
from jiayuan.policy.loader import active_preset
from jiayuan.workdays.choices import DayKind
from jiayuan.workdays.services import workday_adjustment_set
from tests.clock import SHANGHAI

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(actor_of):
    return actor_of("community_a1a_officer")


@pytest.fixture
def case(world, community):
    return file(community, world.estate_a1a, source="qr_code")


def escalations(case):
    return list(
        CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATION).values_list("data__level", flat=True)
    )


def test_working_days_skip_the_weekend():
    monday = timezone.make_aware(dt.datetime(2026, 11, 16, 9))
    friday = monday + dt.timedelta(days=4)
    assert add_working_days(friday, 1) == friday + dt.timedelta(days=3)
    assert add_working_days(monday, 5) == monday + dt.timedelta(days=7)


def test_a_deadline_in_working_days_skips_a_holiday_the_administrator_entered(world, community, time_machine):
    monday = dt.datetime(2027, 3, 15, 9, tzinfo=SHANGHAI)  # 2027: not in the chinesecalendar package
    time_machine.move_to(monday)
    days = active_preset().deadline_for(ENTERPRISE_CATEGORY, "normal").rectify_working_days
    assert days
    weekdays = [monday + dt.timedelta(days=n) for n in range(1, 4 * days)]
    weekdays = [day for day in weekdays if day.weekday() < 5]
    before = file(community, world.estate_a1a, urgency="normal", now=monday)
    assert before.deadline == weekdays[days - 1]
    workday_adjustment_set(
        actor=system_actor(), day=dt.date(2027, 3, 16), kind=DayKind.DAY_OFF, name="市庆", note="银川市"
    )
    after = file(community, world.estate_a1a, urgency="normal", now=monday, confirm_not_duplicate=True)
    assert after.deadline == weekdays[days]  # Tuesday 16 March no longer counts


def test_a_submitted_case_runs_against_acceptance_and_then_rectification(case, community):
    assert not is_overdue(case, case.accept_due_at)
    assert is_overdue(case, case.accept_due_at + dt.timedelta(seconds=1))
    step(case_accept, community, case)
    assert not is_overdue(case, case.accept_due_at + dt.timedelta(seconds=1))
    assert is_overdue(case, case.deadline + dt.timedelta(seconds=1))


def test_due_soon_starts_the_preset_hours_before_the_deadline(case):
    preset = active_preset()
    window = dt.timedelta(hours=preset.data.cases.due_soon.hours)
    assert is_due_soon(case, case.accept_due_at - window, preset)
    assert not is_due_soon(case, case.accept_due_at - window - dt.timedelta(minutes=1), preset)
    assert not is_due_soon(case, case.accept_due_at + dt.timedelta(minutes=1), preset)


def test_closed_and_rejected_cases_are_never_overdue(case, community):
    step(case_accept, community, case)
    step(case_close_out, community, case, outcome="withdrawn", note="撤回")
    assert not is_overdue(case, case.deadline + dt.timedelta(days=365))


def test_the_database_and_python_agree_on_overdue(world, community, actor_of):
    sub = actor_of("subdistrict_a1_officer")
    cases = [file(community, world.estate_a1a), file(sub, world.estate_a1b, category="po_animals")]
    step(case_accept, community, cases[0])
    moments = [
        NOW,
        cases[1].accept_due_at + dt.timedelta(minutes=1),
        cases[0].deadline + dt.timedelta(minutes=1),
    ]
    for now in moments:
        annotated = dict(with_overdue(Case.objects.all(), now).values_list("pk", "is_overdue"))
        assert annotated == {c.pk: is_overdue(fresh(c), now) for c in cases}


class TestSweep:
    def test_it_reminds_a_case_due_soon_once_per_deadline(self, case):
        soon = case.accept_due_at - dt.timedelta(minutes=30)
        assert deadlines_sweep(now=soon)["reminded"] == 1
        assert deadlines_sweep(now=soon + dt.timedelta(minutes=5))["reminded"] == 0
        assert CaseEvent.objects.filter(case=case, kind=EventKind.REMINDER).count() == 1
        assert AuditEvent.objects.filter(action="case.reminded").count() == 1

    def test_an_overdue_case_escalates_one_level_and_running_twice_changes_nothing(self, case):
        late = case.accept_due_at + dt.timedelta(minutes=1)
        assert deadlines_sweep(now=late)["escalated"] == 1
        assert deadlines_sweep(now=late)["escalated"] == 0
        assert fresh(case).escalation_level == 1
        event = CaseEvent.objects.get(case=case, kind=EventKind.ESCALATION)
        assert event.data["to_region"] == "凤凰北街街道"
        assert AuditEvent.objects.filter(action="case.escalated").count() == 1

    def test_it_escalates_further_each_interval_up_to_the_top(self, case):
        escalation = active_preset().data.cases.escalation
        interval = dt.timedelta(hours=escalation.interval_hours)
        start = case.accept_due_at + dt.timedelta(minutes=1)
        for n in range(6):
            deadlines_sweep(now=start + n * interval)
            deadlines_sweep(now=start + n * interval)
        assert escalations(case) == [1, 2, 3][: ["subdistrict", "district", "city"].index(escalation.top) + 1]
        names = list(
            CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATION).values_list(
                "data__to_region", flat=True
            )
        )
        assert names[0] == "凤凰北街街道" and names[-1] == "银川市"

    def test_a_reopened_case_escalates_again_against_its_new_deadline(self, world, actor_of, community):
        owner = actor_of("owner_of_a1a_101")
        case = file(owner, world.estate_a1a, source="qr_code")
        deadlines_sweep(now=case.accept_due_at + dt.timedelta(minutes=1))
        step(case_accept, community, case)
        step(case_close_out, community, case, outcome="unfounded", note="不属实")
        step(case_reopen, owner, case, reason="确有其事", now=NOW + dt.timedelta(days=1))
        case = fresh(case)
        assert case.escalation_level == 0
        deadlines_sweep(now=case.deadline + dt.timedelta(minutes=1))
        assert escalations(case) == [1, 1]

    def test_a_case_handled_in_time_is_neither_reminded_nor_escalated(self, case, community):
        step(case_accept, community, case)
        step(case_dispatch, community, case)
        assert deadlines_sweep(now=case.accept_due_at + dt.timedelta(minutes=1)) == {
            "reminded": 0,
            "escalated": 0,
        }


def test_the_periodic_job_is_registered():
    from huey.contrib.djhuey import HUEY

    assert any(name.endswith("cases.sweep_deadlines") for name in HUEY._registry._registry)
