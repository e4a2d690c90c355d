"""Campaign reads: who sees which campaign, the counts of the list, and a campaign's ledger."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiayuan.campaigns.selectors import active_campaigns, campaign_ledger, campaign_list
from jiayuan.campaigns.services import campaign_update, case_set_campaign
from jiayuan.cases.services import case_accept, case_close_out, case_reject
from jiayuan.cases.tests.factories import NOW, file
from jiayuan.core.actor import system_actor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("city_admin", {"city", "district_a", "district_b"}),
        ("auditor", {"city", "district_a", "district_b"}),
        ("district_a_officer", {"city", "district_a"}),
        ("district_b_officer", {"city", "district_b"}),
        ("subdistrict_a1_officer", {"city", "district_a"}),
        ("community_a1a_officer", {"city", "district_a"}),
        ("enterprise_x_staff", set()),
        ("owner_of_a1a_101", set()),
    ],
)
def test_each_persona_sees_the_campaigns_of_its_regions_and_those_above(
    actor_of, campaigns, persona, expected
):
    seen = set(campaign_list(actor=actor_of(persona)).values_list("pk", flat=True))
    assert seen == {campaigns[key].pk for key in expected}


def test_active_campaigns_are_those_running_today(actor_of, campaigns, today):
    actor = actor_of("city_admin")
    campaign_update(actor=actor, campaign=campaigns["city"], ends_on=today - dt.timedelta(days=1))
    assert set(active_campaigns(actor=actor)) == {campaigns["district_a"], campaigns["district_b"]}


def test_the_list_counts_open_overdue_and_closed_cases_of_each_campaign(world, actor_of, campaigns):
    admin = actor_of("city_admin")
    city = campaigns["city"]
    now = timezone.now()
    file(admin, world.estate_a1a, campaign=city, now=now - dt.timedelta(days=3))  # past acceptance
    file(admin, world.estate_a1b, campaign=city, now=now)
    closed = file(admin, world.estate_a2a, campaign=city, now=now)
    case_accept(actor=admin, case=closed, version=closed.version)
    case_close_out(actor=admin, case=closed, version=closed.version, outcome="unfounded", note="不属实")
    rejected = file(admin, world.estate_b1a, campaign=city, now=now)
    case_reject(actor=admin, case=rejected, version=rejected.version, reason="不属职责")
    rows = {c.pk: c for c in campaign_list(actor=admin, now=now + dt.timedelta(hours=1))}
    assert (rows[city.pk].open_count, rows[city.pk].overdue_count, rows[city.pk].closed_count) == (2, 1, 1)
    assert rows[campaigns["district_a"].pk].open_count == 0
    # Each counts only the cases they see.
    rows = {c.pk: c for c in campaign_list(actor=actor_of("district_b_officer"), now=now)}
    assert (rows[city.pk].open_count, rows[city.pk].closed_count) == (0, 0)
    rows = {c.pk: c for c in campaign_list(actor=actor_of("subdistrict_a1_officer"), now=now)}
    assert (rows[city.pk].open_count, rows[city.pk].closed_count) == (2, 0)


def test_the_list_is_one_query_however_many_campaigns_and_cases(world, actor_of, campaigns, today):
    actor = actor_of("city_admin")
    for i in range(5):
        file(
            actor,
            world.estate_a1a,
            campaign=campaigns["city"],
            confirm_not_duplicate=True,
            now=NOW + dt.timedelta(minutes=i),
        )
    with CaptureQueriesContext(connection) as queries:
        rows = list(campaign_list(actor=actor))
    assert len(rows) == 3
    assert len(queries) == 1


def test_a_campaigns_ledger_is_the_actors_ledger_of_its_cases(world, actor_of, campaigns):
    admin = actor_of("city_admin")
    tagged_a = file(admin, world.estate_a1a, campaign=campaigns["city"])
    tagged_b = file(admin, world.estate_b1a, campaign=campaigns["city"])
    file(admin, world.estate_a1b)
    other = file(admin, world.estate_a2a)
    case_set_campaign(actor=system_actor(), case=other, campaign=campaigns["district_a"])
    assert set(campaign_ledger(actor=admin, campaign=campaigns["city"])) == {tagged_a, tagged_b}
    district_a = actor_of("district_a_officer")
    assert set(campaign_ledger(actor=district_a, campaign=campaigns["city"])) == {tagged_a}
    row = campaign_ledger(actor=district_a, campaign=campaigns["city"]).get()
    assert hasattr(row, "is_overdue")
