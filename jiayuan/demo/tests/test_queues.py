"""The demo reads true on whatever day it is seeded: every demo login has work in its queue, from
the seeding moment to the end of that day, case descriptions fit their categories, and the campaign
tags only cases filed within its dates.

Seeded on two days: a Monday, and the Sunday before the nine days of the 2026 Spring Festival (no
working day for a week, so deadlines in working days fall far away).
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Q, QuerySet
from django.test import override_settings

from jiayuan.accounts.models import User
from jiayuan.cases import workflow
from jiayuan.cases.choices import State
from jiayuan.cases.deadlines import due_soon_q, overdue_q
from jiayuan.cases.models import Case, CaseEvent
from jiayuan.cases.selectors import ledger
from jiayuan.core.actor import actor_for
from jiayuan.demo.cases import DESCRIPTIONS
from jiayuan.policy.loader import active_preset
from jiayuan.policy.schema import ESCALATION_LEVELS
from tests.clock import SHANGHAI

pytestmark = pytest.mark.django_db

DAYS = [dt.date(2026, 11, 30), dt.date(2026, 2, 15)]  # a Monday; the Sunday before the Spring Festival


@pytest.fixture(params=DAYS, ids=lambda day: day.strftime("%a-%Y-%m-%d"))
def seeded_on(request):
    day = request.param
    with (
        time_machine.travel(dt.datetime.combine(day, dt.time(9, 55), tzinfo=SHANGHAI), tick=True),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        call_command(
            "seed",
            "--scale",
            "demo",
            "--seed",
            "5",
            "--cases",
            "15",
            "--demo-password",
            "demo-password-for-tests-9",
            stdout=StringIO(),
        )
    return day


def moments(day: dt.date) -> list[dt.datetime]:
    """When someone may look at the demo on its seeding day: at the seeding, and late at night."""
    return [
        dt.datetime.combine(day, dt.time(10, 5), tzinfo=SHANGHAI),
        dt.datetime.combine(day, dt.time(23, 30), tzinfo=SHANGHAI),
    ]


def cases_of(username: str, now: dt.datetime) -> QuerySet[Case]:
    return ledger(actor=actor_for(User.objects.get(username=username)), now=now)


def test_every_officer_has_each_kind_of_work_all_day(seeded_on):
    poor = active_preset().data.cases.poor_rating.max
    preset = active_preset()
    for now in moments(seeded_on):
        with time_machine.travel(now, tick=False):
            for username, level in (
                ("demo_community", None),
                ("demo_subdistrict", "subdistrict"),
                ("demo_district", "district"),
                ("demo_city", "city"),
            ):
                cases = cases_of(username, now)
                kinds = {
                    "awaiting acceptance": cases.filter(state=State.SUBMITTED, is_overdue=False),
                    "overdue": cases.filter(overdue_q(now)),
                    "due soon": cases.filter(due_soon_q(now, preset)),
                    "awaiting verification": cases.filter(state=State.RECTIFIED),
                    "awaiting close-out": cases.filter(state=State.VERIFIED),
                    "reopened": cases.filter(reopen_count__gt=0, state__in=workflow.OPEN_STATES),
                    "poorly rated": cases.filter(state=State.CLOSED_OUT, rating__lte=poor),
                }
                if level is not None:
                    kinds["escalated here"] = cases.filter(
                        escalation_level=ESCALATION_LEVELS.index(level) + 1, state__in=workflow.OPEN_STATES
                    )
                empty = [kind for kind, found in kinds.items() if not found.exists()]
                assert not empty, (username, now, empty)


def test_the_department_enterprise_committee_and_owner_have_work_all_day(seeded_on):
    preset = active_preset()
    department = actor_for(User.objects.get(username="demo_department"))
    enterprise = actor_for(User.objects.get(username="demo_enterprise"))
    owner = User.objects.get(username="demo_owner")
    for now in moments(seeded_on):
        with time_machine.travel(now, tick=False):
            referred = cases_of("demo_department", now).filter(
                handler_department__in=department.department_ids, state__in=workflow.OPEN_STATES
            )
            assert referred.exists() and referred.filter(due_soon_q(now, preset)).exists()
            ours = cases_of("demo_enterprise", now).filter(
                handler_enterprise__in=enterprise.scope.enterprise_ids
            )
            assert ours.filter(state=State.DISPATCHED).exists(), "to start"
            assert ours.filter(state=State.IN_PROGRESS).exists(), "to rectify"
            assert ours.filter(due_soon_q(now, preset)).exists(), "due soon"
            sent_back = CaseEvent.objects.filter(
                transition="send_back", case__in=ours.filter(state=State.IN_PROGRESS)
            )
            assert sent_back.exists(), "sent back"
            assert cases_of("demo_committee", now).filter(state__in=workflow.OPEN_STATES).exists()
            mine = cases_of("demo_owner", now).filter(complainant_user=owner)
            assert mine.filter(state__in=workflow.OPEN_STATES).exists()
            window = dt.timedelta(days=preset.data.cases.reopen_window.days)
            rateable = mine.filter(state=State.CLOSED_OUT, rating__isnull=True, closed_at__gte=now - window)
            assert rateable.exists()


def test_descriptions_fit_their_categories_and_the_campaign_its_dates(seeded_on):
    preset = active_preset()
    for case in Case.objects.all():
        category = preset.categories[case.category]
        assert case.description in DESCRIPTIONS.get(case.category, ()) or category.name in case.description, (
            case.category,
            case.description,
        )
    tagged = Case.objects.filter(campaign__isnull=False).select_related("campaign")
    assert tagged.exists()
    for case in tagged:
        filed = case.created_at.astimezone(SHANGHAI).date()
        assert case.campaign.starts_on <= filed <= case.campaign.ends_on
    assert not Case.objects.filter(
        Q(campaign__isnull=False) & ~Q(pk__in=[case.pk for case in tagged])
    ).exists()
