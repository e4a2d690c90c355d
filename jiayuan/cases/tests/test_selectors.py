"""The ledger: what each persona sees, the counts, and a query count that does not grow with rows."""

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiayuan.cases.choices import State
from jiayuan.cases.filters import CaseFilter
from jiayuan.cases.models import Case
from jiayuan.cases.selectors import case_detail, ledger, ledger_counts
from jiayuan.cases.services import case_accept, case_close_out, case_file, case_rate
from jiayuan.cases.tests.factories import NOW, file, step
from jiayuan.policy.loader import active_preset

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world, actor_of):
    sub = actor_of("subdistrict_a1_officer")
    district_b = actor_of("district_b_officer")
    return {
        "a1a": file(sub, world.estate_a1a),
        "a1b": file(sub, world.estate_a1b, category="po_animals", source="media"),
        "b1a": file(district_b, world.estate_b1a),
    }


def many(world, actor, n):
    for i in range(n):
        file(actor, world.estate_a1a, confirm_not_duplicate=True, now=NOW + dt.timedelta(minutes=i))


def test_each_persona_sees_the_cases_of_its_reach(cases, actor_of):
    def seen(persona):
        return {
            key for key, case in cases.items() if ledger(actor=actor_of(persona)).filter(pk=case.pk).exists()
        }

    assert seen("subdistrict_a1_officer") == {"a1a", "a1b"}
    assert seen("district_b_officer") == {"b1a"}
    assert seen("enterprise_x_staff") == {"a1a", "b1a"}
    assert seen("owner_of_a1a_101") == {"a1a"}
    assert seen("city_admin") == {"a1a", "a1b", "b1a"}


def test_a_case_out_of_reach_is_the_same_404_as_a_missing_one(cases, actor_of):
    with pytest.raises(Http404):
        case_detail(actor=actor_of("district_b_officer"), pk=cases["a1a"].pk)
    with pytest.raises(Http404):
        case_detail(actor=actor_of("district_b_officer"), pk=0)
    detail = case_detail(actor=actor_of("subdistrict_a1_officer"), pk=cases["a1a"].pk)
    assert [e.transition for e in detail.events.all()] == ["file"]


def test_the_ledger_marks_overdue_cases(cases, actor_of):
    late = cases["a1a"].accept_due_at + dt.timedelta(minutes=1)
    rows = {c.pk: c.is_overdue for c in ledger(actor=actor_of("city_admin"), now=late)}
    assert rows[cases["a1a"].pk] is True


def test_counts_by_state_and_overdue_in_one_query(world, cases, actor_of):
    sub = actor_of("subdistrict_a1_officer")
    step(case_accept, sub, cases["a1a"])
    late = cases["a1b"].accept_due_at + dt.timedelta(minutes=1)
    with CaptureQueriesContext(connection) as queries:
        counts = ledger_counts(actor=sub, now=late)
    assert len(queries) == 1
    assert (counts["total"], counts[State.SUBMITTED], counts[State.ACCEPTED]) == (2, 1, 1)
    assert counts["overdue"] == 1
    assert ledger_counts(actor=actor_of("district_b_officer"))["total"] == 1


def test_counts_of_a_filtered_ledger_stay_within_scope(cases, actor_of):
    everything = Case.objects.all()
    assert ledger_counts(actor=actor_of("district_b_officer"), qs=everything)["total"] == 1


def test_a_poor_rating_is_visible_to_the_supervisor(world, actor_of):
    owner = actor_of("owner_of_a1a_101")
    community = actor_of("community_a1a_officer")
    case = file(owner, world.estate_a1a, source="qr_code")
    step(case_accept, community, case)
    step(case_close_out, community, case, outcome="withdrawn", note="撤回")
    step(case_rate, owner, case, rating=active_preset().data.cases.poor_rating.max)
    supervisor = actor_of("subdistrict_a1_officer")
    assert ledger(actor=supervisor).get(pk=case.pk).is_poor_rating is True
    assert ledger_counts(actor=supervisor)["poor_rating"] == 1
    assert list(CaseFilter({"poor_rating": "true"}, queryset=ledger(actor=supervisor)).qs) == [case]


def test_the_filter_narrows_by_state_source_overdue_region_and_dates(world, cases, actor_of):
    qs = ledger(actor=actor_of("city_admin"))

    def keys(params):
        pks = set(CaseFilter(params, queryset=qs).qs.values_list("pk", flat=True))
        return {key for key, case in cases.items() if case.pk in pks}

    assert keys({"source": ["media"]}) == {"a1b"}
    assert keys({"category": "po_animals"}) == {"a1b"}
    assert keys({"region": world.regions["district_b"].pk}) == {"b1a"}
    assert keys({"region": world.regions["sub_a1"].pk}) == {"a1a", "a1b"}
    assert keys({"state": ["submitted"]}) == {"a1a", "a1b", "b1a"}
    assert keys({"overdue": "false"}) == {"a1a", "a1b", "b1a"} - keys({"overdue": "true"})
    day = NOW.date().isoformat()
    assert keys({"filed_after": day, "filed_before": day}) == {"a1a", "a1b", "b1a"}
    assert keys({"estate": world.estate_b1a.pk}) == {"b1a"}


def test_filing_dates_are_local_calendar_days(world, actor_of):
    community = actor_of("community_a1a_officer")
    late = timezone.make_aware(dt.datetime(2026, 6, 1, 23, 30))  # 15:30 UTC the same day
    case = case_file(
        actor=community,
        estate=world.estate_a1a,
        category="everyday_cleaning",
        description="深夜登记",
        source="hotline_12345",
        now=late,
    )
    qs = ledger(actor=community)

    def found(after: str, before: str) -> bool:
        return case in CaseFilter({"filed_after": after, "filed_before": before}, queryset=qs).qs

    assert found("2026-06-01", "2026-06-01")
    assert not found("2026-06-02", "2026-06-02")
    assert not found("2026-05-31", "2026-05-31")
    assert found("", "2026-06-01") and found("2026-06-01", "")


@pytest.mark.parametrize("persona", ["subdistrict_a1_officer", "enterprise_x_staff"])
def test_the_ledger_query_count_is_the_same_for_10_and_100_cases(world, actor_of, persona):
    sub = actor_of("subdistrict_a1_officer")

    def count_queries():
        actor = actor_of(persona)
        with CaptureQueriesContext(connection) as queries:
            rows = list(ledger(actor=actor))
            for row in rows:
                assert row.estate.community.name and row.is_overdue in (True, False)
                assert row.handler_enterprise is None and row.handler_department is None
        return len(queries), len(rows)

    many(world, sub, 10)
    small = count_queries()
    many(world, sub, 90)
    large = count_queries()
    assert (small[1], large[1]) == (10, 100)
    assert small[0] == large[0]
