"""The ledger's filter in the clerk's words and its orders: chips, all / yes / no, date pickers, the
category grouped and searchable, the filter and the order kept in the URL, sorted pages by cursor."""

import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiayuan.cases.choices import State
from jiayuan.cases.filters import LEDGER_ORDERS, CaseFilter
from jiayuan.cases.models import Case
from jiayuan.cases.selectors import ledger
from jiayuan.cases.tests.factories import NOW, file
from jiayuan.cases.tests.test_ledger_paging import LEDGER_PAGE_QUERIES
from jiayuan.core.pagination import Cursor, InvalidCursor, KeysetOrder, keyset_page
from jiayuan.policy.loader import active_preset

pytestmark = pytest.mark.django_db

LEDGER = "cases:ledger"


def log_in(client, world, persona="subdistrict_a1_officer"):
    client.force_login(world.users[persona])
    return client


def spread(officer, estate, n):
    """`n` cases filed a minute apart, their deadlines in another order than their filing (and two
    of them sharing a deadline, so that the id settles the order)."""
    cases = [
        file(officer, estate, confirm_not_duplicate=True, now=NOW + dt.timedelta(minutes=i)) for i in range(n)
    ]
    for i, case in enumerate(cases):
        days = (i * 7) % n if i != n - 1 else 0  # the last shares the first's deadline
        Case.objects.filter(pk=case.pk).update(deadline=NOW + dt.timedelta(days=days))
    return list(Case.objects.filter(pk__in=[c.pk for c in cases]))


def walk(qs, order, size=4):
    """Every row of `qs` page by page in `order`, and back again from the last page."""
    seen, pages, token = [], [], None
    while True:
        page = keyset_page(qs, token, size=size, order=order)
        pages.append(page)
        seen += [case.pk for case in page]
        if not page.has_next:
            break
        token = page.next_cursor
    back = []
    token = pages[-1].previous_cursor
    while token:
        page = keyset_page(qs, token, size=size, order=order)
        back = [case.pk for case in page] + back
        token = page.previous_cursor
    return seen, back, pages


@pytest.mark.parametrize("key", list(LEDGER_ORDERS))
def test_every_order_walks_every_case_once_forward_and_back(world, actor_of, key):
    officer = actor_of("subdistrict_a1_officer")
    cases = spread(officer, world.estate_a1a, 11)
    order = LEDGER_ORDERS[key][0]

    def sort_key(case):
        return (getattr(case, order.field), case.pk)

    expected = [c.pk for c in sorted(cases, key=sort_key, reverse=order.descending)]
    seen, back, pages = walk(ledger(actor=officer), order)
    assert seen == expected
    assert back == expected[: len(back)] and len(back) == len(expected) - len(pages[-1])


def test_sorting_by_deadline_is_not_the_filing_order(world, actor_of):
    officer = actor_of("subdistrict_a1_officer")
    spread(officer, world.estate_a1a, 6)
    by_deadline = [
        c.pk for c in keyset_page(ledger(actor=officer), None, size=6, order=LEDGER_ORDERS["deadline"][0])
    ]
    by_filing = [c.pk for c in keyset_page(ledger(actor=officer), None, size=6)]
    assert sorted(by_deadline) == sorted(by_filing) and by_deadline != by_filing


def test_a_cursor_of_one_order_is_refused_by_another():
    deadline = KeysetOrder("deadline", descending=False)
    token = Cursor(NOW, 5, order=deadline.key).encode()
    assert Cursor.decode(token) == Cursor(NOW, 5, order="deadline")
    with pytest.raises(InvalidCursor):
        keyset_page(Case.objects.all(), token, size=5)
    # A cursor of the default order keeps the form it always had (links already shared still work).
    assert Cursor.decode(Cursor(NOW, 5).encode()).order == "-created_at"


def ledger_page(client, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(LEDGER), params)
    assert response.status_code == 200
    return response, len(captured)


def test_the_sorted_ledger_pages_with_pinned_queries_and_keeps_filter_and_order(client, world, actor_of):
    officer = actor_of("subdistrict_a1_officer")
    log_in(client, world)
    client.get(reverse(LEDGER))  # the campaigns of the filter are cached from here on
    cases = spread(officer, world.estate_a1a, 25)
    params = {"state": State.SUBMITTED, "sort": "deadline"}

    first, queries = ledger_page(client, params)
    assert queries == LEDGER_PAGE_QUERIES
    page = first.context["page_obj"]
    content = first.content.decode()
    assert "state=submitted&amp;sort=deadline&amp;cursor=" in content
    assert 'value="deadline" selected' in content

    second, queries = ledger_page(client, {**params, "cursor": page.next_cursor})
    assert queries == LEDGER_PAGE_QUERIES
    rows = [c.pk for r in (first, second) for c in r.context["page_obj"]]
    assert rows == [c.pk for c in sorted(cases, key=lambda c: (c.deadline, c.pk))]
    # The cursor of the deadline order, given with another order: the first page of that order.
    mixed, _queries = ledger_page(client, {"sort": "-filed", "cursor": page.next_cursor})
    assert [c.pk for c in mixed.context["page_obj"]] == [
        c.pk for c in sorted(cases, key=lambda c: (c.created_at, c.pk), reverse=True)
    ][:20]


def test_the_export_link_carries_the_filter_and_the_order(client, world, actor_of):
    file(actor_of("subdistrict_a1_officer"), world.estate_a1a)
    content = log_in(client, world).get(reverse(LEDGER), {"source": "media", "sort": "-deadline"}).content
    assert f'href="{reverse("cases:export")}?source=media&amp;sort=-deadline"' in content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"overdue": "maybe"},
        {"overdue": "unknown"},
        {"poor_rating": "2"},
        {"state": "nonsense"},
        {"source": ["media", "carrier_pigeon"]},
        {"urgency": "whenever"},
        {"filed_after": "2026-02-30"},
        {"filed_before": "yesterday"},
        {"closed_after": "0001-01-01"},
        {"estate": "99999999999999999999"},
        {"region": "-3"},
        {"category": "x" * 300},
        {"group": "\x00"},
        {"sort": "random"},
        {"sort": "deadline", "cursor": "%%%"},
    ],
)
def test_a_bad_filter_value_is_a_form_error_or_a_bad_request_never_a_server_error(
    client, world, actor_of, params
):
    file(actor_of("subdistrict_a1_officer"), world.estate_a1a)
    log_in(client, world)
    response = client.get(reverse(LEDGER), params)
    assert response.status_code == 200
    export = client.get(reverse("cases:export"), params)
    assert export.status_code in (200, 400)
    wrong = [form for form in (response.context["form"], response.context["sort_form"]) if form.errors]
    # A value the page calls wrong is refused by the export: it never exports more than was asked.
    assert (export.status_code == 400) == bool(wrong)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"overdue": "maybe"}, "overdue"),
        ({"state": "nonsense"}, "state"),
        ({"filed_after": "2026-02-30"}, "filed"),
        ({"region": "-3"}, "region"),
    ],
)
def test_a_bad_filter_value_is_named_on_the_page_and_matches_nothing(client, world, actor_of, params, field):
    file(actor_of("subdistrict_a1_officer"), world.estate_a1a)
    response = log_in(client, world).get(reverse(LEDGER), params)
    assert response.context["form"].errors[field]
    assert 'class="errorlist' in response.content.decode()
    assert len(response.context["page_obj"]) == 0


def test_a_bad_order_falls_back_to_newest_first_and_says_so(client, world, actor_of):
    officer = actor_of("subdistrict_a1_officer")
    cases = spread(officer, world.estate_a1a, 3)
    response = log_in(client, world).get(reverse(LEDGER), {"sort": "random"})
    assert response.context["sort_form"].errors["sort"]
    newest = sorted(cases, key=lambda c: (c.created_at, c.pk), reverse=True)
    assert [c.pk for c in response.context["page_obj"]] == [c.pk for c in newest]


def test_the_api_refuses_a_yes_no_filter_that_is_neither(client, world):
    log_in(client, world)
    assert client.get("/api/v1/cases/", {"overdue": "maybe"}).status_code == 400
    assert client.get("/api/v1/cases/", {"overdue": "true"}).status_code == 200


@pytest.mark.parametrize(
    ("value", "expected"), [("", None), ("true", True), ("false", False), ("True", True)]
)
def test_overdue_and_poor_rating_are_all_yes_or_no(world, actor_of, value, expected):
    officer = actor_of("subdistrict_a1_officer")
    late = file(officer, world.estate_a1a)
    on_time = file(officer, world.estate_a1b, confirm_not_duplicate=True)
    Case.objects.filter(pk=late.pk).update(accept_due_at=NOW - dt.timedelta(hours=1))
    Case.objects.filter(pk=on_time.pk).update(accept_due_at=NOW + dt.timedelta(days=2))
    filterset = CaseFilter({"overdue": value}, queryset=ledger(actor=officer))
    assert filterset.form.is_valid()
    assert filterset.form.cleaned_data["overdue"] is expected
    found = {case.pk for case in filterset.qs}
    wanted = {True: {late.pk}, False: {on_time.pk}, None: {late.pk, on_time.pk}}[expected]
    assert found == wanted


def test_the_filter_reads_like_the_clerks_words(client, world, actor_of):
    file(actor_of("subdistrict_a1_officer"), world.estate_a1a)
    response = log_in(client, world).get(
        reverse(LEDGER), {"state": ["submitted", "accepted"], "filed_after": "2026-03-01"}
    )
    content = response.content.decode()
    form = re.search(r'<form class="filters" method="get".*?</form>', content, re.S).group(0)
    # State and source as chips: checkboxes in labels, in a fieldset named by its legend.
    assert "<select multiple" not in form and 'name="state" multiple' not in form
    assert re.search(r'<legend>[^<]+</legend>\s*<div class="chips" id="id_state">', form)
    assert 'type="checkbox" name="state" value="submitted" id="id_state_0" checked>' in form
    assert 'type="checkbox" name="state" value="dispatched" id="id_state_3">' in form
    assert 'type="checkbox" name="source" value="media"' in form
    # Overdue and poor rating: all (the default), yes, no; never "unknown".
    for name in ("overdue", "poor_rating"):
        select = re.search(rf'<select name="{name}".*?</select>', form, re.S).group(0)
        assert re.findall(r'<option value="([^"]*)"', select) == ["", "true", "false"]
        assert 'value="" selected' in select and "unknown" not in select
    # Date ranges: two labelled date pickers each, the URL's names kept.
    assert '<label for="id_filed_0">' in form and '<label for="id_filed_1">' in form
    assert 'type="date" name="filed_after" id="id_filed_0" value="2026-03-01"' in form
    assert 'type="date" name="filed_before" id="id_filed_1">' in form
    assert 'type="date" name="closed_after"' in form
    # The category: grouped by the catalogue's groups, with a search box the script shows.
    preset = active_preset()
    category = re.search(r'<select name="category".*?</select>', form, re.S).group(0)
    used_groups = {c.group for c in preset.categories.values()}
    assert category.count("<optgroup") == len(used_groups)
    assert category.count("<option") == len(preset.categories) + 1
    assert 'data-searchable=""' in category
    assert re.search(
        r'<input type="search" class="select-search" id="id_category_search" aria-controls="id_category"',
        form,
    )
    assert 'src="/static/js/select-search.js"' in content
    # The group as a select of the catalogue's groups; no text box asks for a code.
    group = re.search(r'<select name="group".*?</select>', form, re.S).group(0)
    assert group.count("<option") == len(used_groups) + 1
    assert 'type="text"' not in form and 'type="number"' not in form
    # Hidden filters only when a link set them; the order is a select in the same GET form.
    assert 'name="region"' not in form and 'name="enterprise"' not in form
    assert '<select name="sort"' in form


def test_a_link_with_a_hidden_filter_keeps_it_in_the_form(client, world):
    region = world.regions["sub_a1"]
    form = log_in(client, world).get(reverse(LEDGER), {"region": region.pk}).content.decode()
    assert f'<input type="hidden" name="region" value="{region.pk}"' in form


def test_the_category_search_script_is_served():
    path = finders.find("js/select-search.js")
    assert path is not None
    with open(path, encoding="utf-8") as opened:
        script = opened.read()
    assert "aria-controls" in script and "optgroup" in script
