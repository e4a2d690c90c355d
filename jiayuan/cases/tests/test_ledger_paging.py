"""The ledger pages by cursor, filters with IN, scopes by estate ids, and costs pinned queries."""

import datetime as dt

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiayuan.cases.choices import State
from jiayuan.cases.filters import CaseFilter
from jiayuan.cases.models import Case, visible_estate_ids
from jiayuan.cases.selectors import ledger, ledger_counts
from jiayuan.cases.tests.factories import NOW, file
from jiayuan.core.pagination import Cursor, InvalidCursor, keyset_page
from jiayuan.testing import api as api_testing

pytestmark = pytest.mark.django_db

api = api_testing.api
drf_api = api_testing.drf_api

CASES = "/api/v1/cases/"

# The ledger page as a subdistrict officer: session, user (the actor's reach is cached), the estates
# in reach (scope and estate filter at once), the page's rows, the counts (the campaigns of the
# filter are cached after the first page). Whatever the rows, and whatever the page.
LEDGER_PAGE_QUERIES = 5


def many(actor, estate, n, *, start=0, minutes=1):
    return [
        file(actor, estate, confirm_not_duplicate=True, now=NOW + dt.timedelta(minutes=(start + i) * minutes))
        for i in range(n)
    ]


def newest_first(cases):
    return [c.pk for c in sorted(cases, key=lambda c: (c.created_at, c.pk), reverse=True)]


def test_pages_walk_every_case_once_forward_and_back_even_filed_at_the_same_instant(world, actor_of):
    officer = actor_of("subdistrict_a1_officer")
    cases = many(officer, world.estate_a1a, 25) + many(officer, world.estate_a1b, 20, minutes=0)
    qs = ledger(actor=officer)

    seen, token, pages = [], None, []
    while True:
        page = keyset_page(qs, token, size=10)
        pages.append(page)
        seen += [case.pk for case in page]
        if not page.has_next:
            break
        token = page.next_cursor
    assert seen == newest_first(cases)
    assert [len(page) for page in pages] == [10, 10, 10, 10, 5]
    assert not pages[0].has_previous and pages[1].has_previous

    back = keyset_page(qs, pages[-1].previous_cursor, size=10)
    assert [case.pk for case in back] == [case.pk for case in pages[-2]]
    first = keyset_page(qs, pages[1].previous_cursor, size=10)
    assert [case.pk for case in first] == [case.pk for case in pages[0]]
    assert not first.has_previous and first.has_next


def test_a_malformed_cursor_is_refused():
    for token in ("nonsense", "W10", Cursor(NOW, 1).encode()[:-3] + "@@@"):
        with pytest.raises(InvalidCursor):
            Cursor.decode(token)
    assert Cursor.decode(Cursor(NOW, 7, back=True).encode()) == Cursor(NOW, 7, back=True)


def test_several_states_are_one_in_condition_shared_by_pages_and_api(world, actor_of):
    officer = actor_of("subdistrict_a1_officer")
    many(officer, world.estate_a1a, 2)
    data = QueryDict(mutable=True)
    data.setlist("state", [State.SUBMITTED, State.ACCEPTED])
    data.setlist("source", ["hotline_12345"])
    sql = str(CaseFilter(data, queryset=ledger(actor=officer)).qs.query)
    where = sql.split(" WHERE ", 1)[1]
    assert '"state" IN (' in where and '"source" IN (' in where
    assert " OR " not in where and "DISTINCT" not in sql


def test_the_scope_of_the_ledger_is_a_list_of_estates_and_counts_do_not_narrow_it_again(world, actor_of):
    officer = actor_of("subdistrict_a1_officer")
    mine = many(officer, world.estate_a1a, 3)
    file(actor_of("district_b_officer"), world.estate_b1a)
    qs = ledger(actor=officer, estate_ids=visible_estate_ids(officer))
    sql = str(qs.query)
    assert '"estate_id" IN (' in sql and "LIKE" not in sql
    with CaptureQueriesContext(connection) as captured:
        counts = ledger_counts(actor=officer, qs=qs)
    assert len(captured) == 1 and "LIKE" not in captured[0]["sql"]
    assert counts["total"] == len(mine)
    # A queryset not narrowed for this actor is narrowed by the counts.
    assert ledger_counts(actor=officer, qs=Case.objects.all())["total"] == len(mine)


def ledger_page(client, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("cases:ledger"), params)
    assert response.status_code == 200
    return response, len(captured)


def test_the_ledger_page_costs_pinned_queries_on_every_page_with_the_filter_kept(client, world, actor_of):
    officer = actor_of("subdistrict_a1_officer")
    client.force_login(world.users["subdistrict_a1_officer"])
    client.get(reverse("cases:ledger"))  # the campaigns of the filter are cached from here on
    cases = many(officer, world.estate_a1a, 45)

    first, queries = ledger_page(client, state=State.SUBMITTED)
    assert queries == LEDGER_PAGE_QUERIES
    page = first.context["page_obj"]
    assert page.total == 45 and len(page) == 20 and page.has_next and not page.has_previous
    content = first.content.decode()
    assert f"cursor={page.next_cursor}" in content and "state=submitted&amp;cursor=" in content

    second, queries = ledger_page(client, state=State.SUBMITTED, cursor=page.next_cursor)
    assert queries == LEDGER_PAGE_QUERIES
    third, queries = ledger_page(client, state=State.SUBMITTED, cursor=second.context["page_obj"].next_cursor)
    assert queries == LEDGER_PAGE_QUERIES
    rows = [c.pk for r in (first, second, third) for c in r.context["page_obj"]]
    assert rows == newest_first(cases)
    assert not third.context["page_obj"].has_next

    broken, queries = ledger_page(client, cursor="not-a-cursor")
    assert [c.pk for c in broken.context["page_obj"]] == rows[:20]


def test_the_api_list_pages_by_cursor_with_pinned_queries(drf_api, world, actor_of):
    officer = actor_of("subdistrict_a1_officer")
    cases = many(officer, world.estate_a1a, 30)
    client = drf_api("subdistrict_a1_officer")

    with CaptureQueriesContext(connection) as captured:
        first = client.get(CASES, {"state": State.SUBMITTED}).json()
    list_queries = len(captured)
    assert set(first) == {"next", "previous", "results"} and first["previous"] is None
    assert "state=submitted" in first["next"] and "cursor=" in first["next"]
    with CaptureQueriesContext(connection) as captured:
        second = client.get(first["next"]).json()
    assert len(captured) == list_queries == 3  # token with its user, estates, rows (reach cached)
    assert second["next"] is None and second["previous"]
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == newest_first(cases)
    back = client.get(second["previous"]).json()
    assert [row["id"] for row in back["results"]] == [row["id"] for row in first["results"]]

    refused = client.get(CASES, {"cursor": "nonsense"})
    assert refused.status_code == 404
