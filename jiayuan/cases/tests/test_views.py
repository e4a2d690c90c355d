"""Case pages: the scoped ledger with counts and filters, one case and its transitions, hotline entry."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiayuan.cases.choices import State
from jiayuan.cases.models import Case
from jiayuan.cases.services import case_accept
from jiayuan.cases.tests.factories import NOW, file, fresh, step
from jiayuan.cases.views import STALE_VERSION

pytestmark = pytest.mark.django_db


def log_in(client, world, persona):
    client.force_login(world.users[persona])
    return client


def listed(response):
    return {case.pk for case in response.context["page_obj"]}


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def cases(world, actor_of):
    sub = actor_of("subdistrict_a1_officer")
    return {
        "a1a": file(sub, world.estate_a1a),
        "a1b": file(sub, world.estate_a1b, category="po_animals", source="media"),
        "b1a": file(actor_of("district_b_officer"), world.estate_b1a),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("subdistrict_a1_officer", {"a1a", "a1b"}),
        ("district_b_officer", {"b1a"}),
        ("enterprise_x_staff", {"a1a", "b1a"}),
        ("city_admin", {"a1a", "a1b", "b1a"}),
    ],
)
def test_the_ledger_lists_exactly_the_cases_in_scope(client, world, cases, persona, expected):
    response = log_in(client, world, persona).get(reverse("cases:ledger"))
    assert response.status_code == 200
    assert listed(response) == {cases[key].pk for key in expected}
    assert response.context["counts"]["total"] == len(expected)


def test_a_case_out_of_scope_is_not_found_and_cannot_be_acted_on(client, world, cases):
    log_in(client, world, "district_b_officer")
    case = cases["a1a"]
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    url = reverse("cases:transition", args=[case.pk, "accept"])
    assert client.post(url, {"version": case.version}).status_code == 404
    assert fresh(case).state == State.SUBMITTED


def test_the_ledger_narrows_to_an_estate_or_a_region(client, world, cases):
    log_in(client, world, "city_admin")
    by_estate = client.get(reverse("cases:ledger"), {"estate": world.estate_a1b.pk})
    assert listed(by_estate) == {cases["a1b"].pk}
    by_district = client.get(reverse("cases:ledger"), {"region": world.regions["district_a"].pk})
    assert listed(by_district) == {cases["a1a"].pk, cases["a1b"].pk}
    assert by_district.context["counts"]["total"] == 2
    by_source = client.get(reverse("cases:ledger"), {"source": "media"})
    assert listed(by_source) == {cases["a1b"].pk}


def test_the_ledger_shows_category_names_and_overdue_badges(client, world, cases):
    Case.objects.filter(pk=cases["a1a"].pk).update(accept_due_at=NOW - dt.timedelta(days=1))
    response = log_in(client, world, "subdistrict_a1_officer").get(reverse("cases:ledger"))
    content = response.content.decode()
    assert cases["a1a"].number in content
    assert response.context["counts"]["overdue"] == 1
    rows = {case.pk: case for case in response.context["page_obj"]}
    assert rows[cases["a1a"].pk].is_overdue is True
    assert rows[cases["a1a"].pk].category_name != "everyday_cleaning"


def queries_for_ledger(client, world, actor, count):
    for i in range(Case.objects.count(), count):
        file(actor, world.estate_a1a, confirm_not_duplicate=True, now=NOW + dt.timedelta(minutes=i))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:ledger"))
    assert response.status_code == 200
    assert response.context["page_obj"].total == count
    return len(queries)


def test_the_ledger_costs_the_same_queries_for_ten_and_for_a_hundred_cases(client, world, actor_of):
    log_in(client, world, "city_admin")
    client.get(reverse("cases:ledger"))  # warm the session and the actor
    actor = actor_of("city_admin")
    assert queries_for_ledger(client, world, actor, 10) == queries_for_ledger(client, world, actor, 100)


def test_the_case_page_masks_the_complainant_and_shows_the_timeline(client, world, cases):
    response = log_in(client, world, "subdistrict_a1_officer").get(
        reverse("cases:detail", args=[cases["a1a"].pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "13812345678" not in content and "王小明" not in content
    assert cases["a1a"].complainant_phone_masked in content
    assert [event.transition for event in response.context["events"]] == ["file"]


def test_the_case_page_offers_only_the_transitions_the_actor_may_make(client, world, cases):
    officer = log_in(client, world, "subdistrict_a1_officer").get(
        reverse("cases:detail", args=[cases["a1a"].pk])
    )
    assert [item["name"] for item in officer.context["transitions"]] == ["accept", "reject", "moderate"]
    staff = log_in(client, world, "enterprise_x_staff").get(reverse("cases:detail", args=[cases["a1a"].pk]))
    assert staff.context["transitions"] == []


def test_an_officer_accepts_a_case_through_the_page(client, world, cases):
    case = cases["a1a"]
    log_in(client, world, "subdistrict_a1_officer")
    response = client.post(
        reverse("cases:transition", args=[case.pk, "accept"]), {"version": case.version, "note": "已受理"}
    )
    assert response.status_code == 302
    assert fresh(case).state == State.ACCEPTED
    assert fresh(case).events.filter(transition="accept").exists()


def test_a_stale_version_shows_the_conflict_and_changes_nothing(client, world, cases, actor_of):
    case = cases["a1a"]
    seen = case.version
    step(case_accept, actor_of("community_a1a_officer"), case)  # someone else, meanwhile
    log_in(client, world, "subdistrict_a1_officer")
    response = client.post(
        reverse("cases:transition", args=[case.pk, "reject"]),
        {"version": seen, "reason": "不属实"},
        follow=True,
    )
    assert str(STALE_VERSION) in response.content.decode()
    assert fresh(case).state == State.ACCEPTED
    assert not fresh(case).events.filter(transition="reject").exists()


def test_a_refused_transition_is_shown_as_a_message(client, world, cases):
    case = cases["a1a"]
    log_in(client, world, "subdistrict_a1_officer")
    response = client.post(
        reverse("cases:transition", args=[case.pk, "reject"]),
        {"version": case.version, "reason": ""},
        follow=True,
    )
    assert messages_of(response)
    assert fresh(case).state == State.SUBMITTED


def hotline_data(world, **extra):
    data = {
        "estate": world.estate_a1a.pk,
        "category": "everyday_cleaning",
        "source": "hotline_12345",
        "urgency": "normal",
        "complainant_name": "李四",
        "complainant_phone": "13900001111",
        "description": "电梯旁堆放垃圾",
    }
    data.update(extra)
    return data


def test_staff_file_a_hotline_case(client, world):
    log_in(client, world, "community_a1a_officer")
    form = client.get(reverse("cases:new"))
    assert form.status_code == 200
    assert form.context["form"]["source"].value() == "hotline_12345"
    response = client.post(reverse("cases:new"), hotline_data(world))
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[case.pk])
    assert (case.estate, case.source, case.complainant_phone) == (
        world.estate_a1a,
        "hotline_12345",
        "13900001111",
    )


def test_a_suspected_duplicate_asks_before_filing_anyway(client, world, cases):
    log_in(client, world, "community_a1a_officer")
    asked = client.post(reverse("cases:new"), hotline_data(world))
    assert asked.status_code == 200
    assert asked.context["duplicate_case"] == cases["a1a"]
    assert Case.objects.filter(estate=world.estate_a1a).count() == 1
    assert 'name="confirm_not_duplicate"' in asked.content.decode()
    filed = client.post(reverse("cases:new"), hotline_data(world, confirm_not_duplicate="on"))
    assert filed.status_code == 302
    assert Case.objects.filter(estate=world.estate_a1a).count() == 2


def test_an_estate_out_of_scope_cannot_be_chosen(client, world):
    log_in(client, world, "community_a1a_officer")
    response = client.post(reverse("cases:new"), hotline_data(world, estate=world.estate_b1a.pk))
    assert response.status_code == 200 and "estate" in response.context["form"].errors
    assert not Case.objects.exists()


def test_owners_and_enterprise_staff_do_not_get_the_hotline_form(client, world):
    for persona in ("owner_of_a1a_101", "enterprise_x_staff"):
        assert log_in(client, world, persona).get(reverse("cases:new")).status_code == 403


@pytest.mark.parametrize("persona", ["subdistrict_a1_officer", "owner_of_a1a_101", "committee_a1a_member"])
def test_the_navigation_shows_the_ledger_to_staff_owners_and_committee_members(client, world, persona):
    page = log_in(client, world, persona).get(reverse("estates:list"))
    assert 'href="/cases/"' in page.content.decode()


def test_owners_see_the_cases_of_their_estate_only(client, world, cases):
    page = log_in(client, world, "owner_of_a1a_101").get(reverse("cases:ledger"))
    assert listed(page) == {cases["a1a"].pk}
    assert client.get(reverse("cases:detail", args=[cases["a1b"].pk])).status_code == 404


def act(client, world, persona, case, name, **data):
    log_in(client, world, persona)
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert name in [item["name"] for item in page.context["transitions"]]
    version = fresh(case).version
    response = client.post(reverse("cases:transition", args=[case.pk, name]), {"version": version, **data})
    assert response.status_code == 302
    return fresh(case)


def test_a_case_goes_from_filing_to_close_out_through_the_pages(client, world, cases):
    case = cases["a1a"]
    case = act(client, world, "community_a1a_officer", case, "accept")
    case = act(client, world, "community_a1a_officer", case, "dispatch", responsible_person="赵经理")
    assert (case.state, case.handler_enterprise) == (State.DISPATCHED, world.enterprise_x)
    case = act(client, world, "enterprise_x_staff", case, "start")
    case = act(client, world, "enterprise_x_staff", case, "rectify", measures="已清运", evidence="照片")
    case = act(client, world, "community_a1a_officer", case, "verify")
    case = act(client, world, "community_a1a_officer", case, "close_out", outcome="fixed")
    assert (case.state, case.outcome) == (State.CLOSED_OUT, "fixed")
    ledger = client.get(reverse("cases:ledger"), {"state": "closed_out"})
    assert listed(ledger) == {case.pk} and ledger.context["counts"]["fixed"] == 1


def test_a_duplicate_close_out_names_the_case_by_its_number(client, world, cases, actor_of):
    first = cases["a1a"]
    second = file(actor_of("community_a1a_officer"), world.estate_a1a, confirm_not_duplicate=True)
    second = act(client, world, "community_a1a_officer", second, "accept")
    data = {"outcome": "duplicate", "note": "重复", "duplicate_of": first.number}
    closed = act(client, world, "community_a1a_officer", second, "close_out", **data)
    assert (closed.state, closed.duplicate_of) == (State.CLOSED_OUT, first)
