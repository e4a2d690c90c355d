"""Terms ending soon are listed by the preset's warning period; lists are scoped."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiayuan.enterprises.models import ServiceContract
from jiayuan.estates.models import Estate
from jiayuan.governance.choices import BodyStatus
from jiayuan.governance.models import (
    ManagementCommittee,
    ManagementCommitteeMember,
    OwnersCommittee,
    OwnersCommitteeMember,
)
from jiayuan.governance.selectors import (
    management_committee_list,
    owners_committee_list,
    term_warning_days,
    terms_ending,
    terms_ending_count,
)
from jiayuan.policy.loader import active_preset
from jiayuan.testing.world import estate

pytestmark = pytest.mark.django_db


@pytest.fixture
def warning_days():
    return active_preset().data.governance.term_warning.days


@pytest.fixture
def bodies(world, warning_days):
    """Committees whose terms end at the edge of the warning period, on either side of it."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=1000)
    # The world's a1a committee ends in 30 days; put it just inside the period whatever its length.
    a1a = world.committees["a1a"]
    OwnersCommittee.objects.filter(pk=a1a.pk).update(term_end=today + dt.timedelta(days=warning_days))
    b1a = OwnersCommittee.objects.get(estate=world.estates["estate_b1a"])
    OwnersCommittee.objects.filter(pk=b1a.pk).update(term_end=today + dt.timedelta(days=warning_days + 1))
    return {
        "a1a": a1a,
        "b1a": b1a,
        "a1b_management": ManagementCommittee.objects.create(
            estate=world.estates["estate_a1b"], term_start=start, term_end=today - dt.timedelta(days=1)
        ),
        "a2a_ended": OwnersCommittee.objects.create(
            estate=world.estates["estate_a2a"],
            term_start=start,
            term_end=today + dt.timedelta(days=1),
            status=BodyStatus.ENDED,
        ),
    }


def test_the_warning_period_comes_from_the_preset(warning_days):
    assert term_warning_days() == warning_days > 0


def test_terms_ending_within_the_warning_period_are_listed_and_others_not(actor_of, bodies):
    listed = terms_ending(actor=actor_of("city_admin"))
    # Ending on the last day of the period: listed; one day later: not; already overdue: listed.
    assert [body.pk for body in listed if isinstance(body, OwnersCommittee)] == [bodies["a1a"].pk]
    assert [body.pk for body in listed if isinstance(body, ManagementCommittee)] == [
        bodies["a1b_management"].pk
    ]


def test_the_list_runs_from_the_soonest_end(actor_of, bodies):
    listed = terms_ending(actor=actor_of("city_admin"))
    assert [body.term_end for body in listed] == sorted(body.term_end for body in listed)
    assert listed[0] == bodies["a1b_management"]


def test_ended_committees_are_not_listed(actor_of, bodies):
    listed = terms_ending(actor=actor_of("city_admin"))
    assert bodies["a2a_ended"] not in listed
    OwnersCommittee.objects.filter(pk=bodies["a1a"].pk).update(status=BodyStatus.ENDED)
    assert bodies["a1a"] not in terms_ending(actor=actor_of("city_admin"))


def test_the_list_is_scoped(actor_of, bodies):
    assert terms_ending(actor=actor_of("district_b_officer")) == []
    assert {body.pk for body in terms_ending(actor=actor_of("community_a1a_officer"))} == {bodies["a1a"].pk}


@pytest.mark.parametrize("persona", ["city_admin", "district_b_officer", "community_a1a_officer"])
def test_the_count_of_terms_ending_is_the_length_of_the_list(actor_of, bodies, persona):
    actor = actor_of(persona)
    assert terms_ending_count(actor=actor) == len(terms_ending(actor=actor))
    later = timezone.localdate() + dt.timedelta(days=1)
    assert terms_ending_count(actor=actor, today=later) == len(terms_ending(actor=actor, today=later))


def test_the_count_of_terms_ending_loads_no_rows(actor_of, bodies):
    actor = actor_of("city_admin")
    with CaptureQueriesContext(connection) as captured:
        assert terms_ending_count(actor=actor) == 2
    assert len(captured) == 2
    assert all("COUNT(" in query["sql"].upper() for query in captured)


def test_committee_members_are_listed_director_first_then_deputies_then_members(world, actor_of, bodies):
    committee = world.committees["a1a"]
    OwnersCommitteeMember.objects.create(committee=committee, name="王委员", post="member")
    OwnersCommitteeMember.objects.create(committee=committee, name="李副主任", post="deputy_director")
    [listed] = owners_committee_list(actor=actor_of("city_admin")).filter(pk=committee.pk)
    assert [m.name for m in listed.members.all()] == ["张主任", "李副主任", "王委员"]
    management = bodies["a1b_management"]
    ManagementCommitteeMember.objects.create(committee=management, name="赵委员", post="member")
    ManagementCommitteeMember.objects.create(committee=management, name="钱副主任", post="deputy_director")
    ManagementCommitteeMember.objects.create(committee=management, name="孙主任", post="director")
    [listed_mc] = management_committee_list(actor=actor_of("city_admin")).filter(pk=management.pk)
    assert [m.name for m in listed_mc.members.all()] == ["孙主任", "钱副主任", "赵委员"]


def test_a_given_day_moves_the_window(actor_of, bodies, warning_days):
    later = timezone.localdate() + dt.timedelta(days=1)
    listed = terms_ending(actor=actor_of("city_admin"), today=later)
    assert bodies["b1a"] in listed


def test_committee_lists_show_only_what_the_actor_sees(world, actor_of, bodies):
    district_a = owners_committee_list(actor=actor_of("district_a_officer"))
    assert {c.estate_id for c in district_a} == {
        world.estates["estate_a1a"].pk,
        world.estates["estate_a2a"].pk,
    }
    enterprise_x = owners_committee_list(actor=actor_of("enterprise_x_staff"))
    assert {c.estate_id for c in enterprise_x} == {
        world.estates["estate_a1a"].pk,
        world.estates["estate_b1a"].pk,
    }
    assert list(management_committee_list(actor=actor_of("district_b_officer"))) == []
    assert list(management_committee_list(actor=actor_of("subdistrict_a1_officer"))) == [
        bodies["a1b_management"]
    ]


def grow_committees(world, total: int) -> None:
    """Bring community A1a to `total` extra estates served by enterprise X, each with a committee of 3."""
    today = timezone.localdate()
    have = Estate.objects.filter(name__startswith="批量").count()
    for n in range(have, total):
        new_estate = estate(f"批量{n:03d}", world.regions["com_a1a"])
        ServiceContract.objects.create(
            enterprise=world.enterprises["enterprise_x"],
            estate=new_estate,
            kind="regular",
            start_date=today - dt.timedelta(days=10),
            service_grade=2,
            fee_per_m2_month=Decimal("1.00"),
        )
        committee = OwnersCommittee.objects.create(
            estate=new_estate, term_start=today, term_end=today + dt.timedelta(days=1000)
        )
        OwnersCommitteeMember.objects.bulk_create(
            OwnersCommitteeMember(committee=committee, name=f"委员{k}") for k in range(3)
        )


def queries_to_show(rows) -> int:
    with CaptureQueriesContext(connection) as captured:
        for committee in rows:
            _ = (committee.estate.name, committee.estate.community.name)
            _ = [member.name for member in committee.members.all()]
    return len(captured)


@pytest.mark.parametrize("persona", ["district_a_officer", "enterprise_x_staff"])
def test_the_committee_list_costs_two_queries_for_10_or_100_committees(world, actor_of, persona):
    actor = actor_of(persona)
    grow_committees(world, 10)
    assert queries_to_show(owners_committee_list(actor=actor)) == 2  # committees, then their members
    grow_committees(world, 100)
    rows = owners_committee_list(actor=actor)
    assert queries_to_show(rows) == 2
    assert len(rows) >= 100
