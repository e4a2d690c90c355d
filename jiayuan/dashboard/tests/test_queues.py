"""The home page's work queue: per role exactly what the registered providers return, most urgent
first, at a query count that does not grow with the number of items."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jiayuan.cases import services
from jiayuan.core.queues import PREVIOUS_VISIT_SESSION_KEY, queue_for, sort_key
from jiayuan.testing.queues import fill_queues
from jiayuan.testing.world import PASSWORD

pytestmark = pytest.mark.django_db

# What each role finds to do in the world of `fill_queues`, in order (kinds of QueueItem).
OFFICER = [
    "cases.awaiting_acceptance",
    "cases.overdue",
    "cases.due_soon",
    "cases.reopened",
    "cases.awaiting_verification",
    "cases.poor_rating",
]
EXPECTED_KINDS = {
    "subdistrict_a1_officer": [*OFFICER[:2], "cases.escalated", *OFFICER[2:]],
    "community_a1a_officer": OFFICER,
    "district_a_officer": OFFICER,
    "district_b_officer": [],
    "city_admin": ["cases.district_overdue"],
    "police_a_officer": ["cases.to_start"],
    "enterprise_x_staff": ["cases.to_start", "cases.sent_back"],
    "committee_a1a_member": [
        "intake.file",
        "cases.estate_overdue",
        "governance.term_end",
        "governance.filing",
        "cases.estate_open",
    ],
    "owner_of_a1a_101": ["intake.file", "intake.rate", "intake.complaint", "intake.complaint"],
    "auditor": ["audit.changes"],
}
# The home page's queries per role, whatever the number of items (the queue and the overview).
QUERIES = {
    "subdistrict_a1_officer": 15,
    "community_a1a_officer": 15,
    "district_a_officer": 15,
    "district_b_officer": 15,
    "city_admin": 16,
    "police_a_officer": 7,
    "enterprise_x_staff": 10,
    "committee_a1a_member": 15,
    "owner_of_a1a_101": 12,
    "auditor": 18,
}


def home(client, world, persona):
    client.force_login(world.users[persona])
    client.get(reverse("dashboard:home"))  # the session's first request of a minute writes it
    cache.clear()  # the actor's reach is cached after a first request: count a cold one each time
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    return response, len(queries.captured_queries)


def shown(response):
    return [*response.context["queue_buttons"], *response.context["queue"]]


@pytest.mark.parametrize("persona", sorted(EXPECTED_KINDS))
def test_the_home_page_lists_exactly_the_queue_most_urgent_first(client, world, actor_of, persona):
    fill_queues(world, now=timezone.now())
    response, _queries = home(client, world, persona)
    items = shown(response)
    assert [item.kind for item in items] == EXPECTED_KINDS[persona]
    expected = queue_for(actor_of(persona), now=timezone.now(), today=timezone.localdate())
    buttons_first = [i for i in expected if i.button] + [i for i in expected if not i.button]
    fields = lambda i: (i.kind, i.title, i.count, i.deadline, i.url)  # noqa: E731
    assert [fields(i) for i in items] == [fields(i) for i in buttons_first]
    assert response.context["queue"] == sorted(response.context["queue"], key=sort_key)
    # The page shows them in that order.
    assert re.findall(r'data-kind="([^"]+)"', response.content.decode()) == [item.kind for item in items]


@pytest.mark.parametrize("persona", sorted(QUERIES))
def test_the_home_page_costs_the_same_queries_with_twice_the_work(client, world, persona):
    fill_queues(world, now=timezone.now())
    once, queries_once = home(client, world, persona)
    fill_queues(world, now=timezone.now())
    twice, queries_twice = home(client, world, persona)
    assert queries_once == queries_twice == QUERIES[persona]
    if EXPECTED_KINDS[persona]:
        work = lambda response: sum(item.count or 1 for item in shown(response))  # noqa: E731
        assert work(twice) > work(once)


def test_an_empty_queue_says_so(client, world):
    fill_queues(world, now=timezone.now())
    response, _queries = home(client, world, "district_b_officer")
    assert response.context["queue"] == response.context["queue_buttons"] == []
    with translation.override("zh-hans"):
        assert str(_("Nothing needs you now: your queue is empty.")) in response.content.decode()


def test_the_counts_link_to_the_ledger_already_filtered(client, world):
    cases = fill_queues(world, now=timezone.now())
    response, _queries = home(client, world, "subdistrict_a1_officer")
    links = {item.kind: item.url for item in shown(response)}
    ledger = lambda url: {c.pk for c in client.get(url).context["page_obj"]}  # noqa: E731
    assert ledger(links["cases.awaiting_acceptance"]) == {cases.late.pk, cases.submitted.pk}
    assert ledger(links["cases.overdue"]) == {cases.late.pk}
    assert ledger(links["cases.escalated"]) == {cases.late.pk}
    assert ledger(links["cases.due_soon"]) == {cases.submitted.pk}
    assert ledger(links["cases.reopened"]) == {cases.reopened.pk}
    assert ledger(links["cases.awaiting_verification"]) == {cases.rectified.pk}
    assert ledger(links["cases.poor_rating"]) == {cases.poorly_rated.pk}


def test_the_enterprise_sees_its_cases_by_deadline_and_the_sent_back_marked(client, world):
    cases = fill_queues(world, now=timezone.now())
    response, _queries = home(client, world, "enterprise_x_staff")
    items = shown(response)
    assert [item.url for item in items] == [
        reverse("cases:detail", args=[cases.to_start.pk]),
        reverse("cases:detail", args=[cases.sent_back.pk]),
    ]
    assert [item.deadline for item in items] == [cases.to_start.deadline, cases.sent_back.deadline]


def test_the_owner_files_from_home_and_follows_their_complaints(client, world):
    cases = fill_queues(world, now=timezone.now())
    response, _queries = home(client, world, "owner_of_a1a_101")
    button, rate, *complaints = shown(response)
    assert button.url.startswith("/report/") and button.detail == world.estate_a1a.name
    assert rate.url == reverse("intake:follow_mine", args=[cases.closed.pk]) and rate.post
    assert {item.url for item in complaints} == {
        reverse("cases:detail", args=[cases.reopened.pk]),
        reverse("cases:detail", args=[cases.poorly_rated.pk]),
    }
    # Rating goes through the follow page, where the phone's code proves the complaint is theirs.
    follow = client.post(rate.url)
    assert follow.status_code == 302 and follow["Location"].startswith("/report/case/")
    assert client.get(follow["Location"]).status_code == 200


def test_a_complaint_filed_from_the_owners_account_is_rated_on_its_page(client, world, actor_of):
    cases = fill_queues(world, now=timezone.now())
    owner, sub = actor_of("owner_of_a1a_101"), actor_of("subdistrict_a1_officer")
    case = services.case_file(
        actor=owner,
        estate=world.estate_a1a,
        category="everyday_repairs",
        description="门禁坏了",
        source="api",
        confirm_not_duplicate=True,
    )
    case = services.case_accept(actor=sub, case=case, version=case.version)
    case = services.case_close_out(
        actor=sub, case=case, version=case.version, outcome="withdrawn", note="诉求人撤回"
    )
    response, _queries = home(client, world, "owner_of_a1a_101")
    rates = {item.url: item.post for item in shown(response) if item.kind == "intake.rate"}
    assert rates == {
        reverse("cases:detail", args=[case.pk]): False,
        reverse("intake:follow_mine", args=[cases.closed.pk]): True,
    }
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert {"rate", "reopen"} <= {t["name"] for t in page.context["transitions"]}


def test_nobody_else_follows_an_owners_complaint_from_home(client, world):
    cases = fill_queues(world, now=timezone.now())
    client.force_login(world.users["committee_a1a_member"])
    assert client.post(reverse("intake:follow_mine", args=[cases.closed.pk])).status_code == 404
    client.force_login(world.users["owner_of_a1a_101"])
    assert client.get(reverse("intake:follow_mine", args=[cases.closed.pk])).status_code == 405


def test_the_auditor_sees_what_changed_since_the_previous_login(client, world, time_machine):
    fill_queues(world, now=timezone.now())
    client.post(reverse("accounts:login"), {"username": "auditor", "password": PASSWORD})
    time_machine.move_to(timezone.now() + dt.timedelta(hours=1))
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": "auditor", "password": PASSWORD})
    assert PREVIOUS_VISIT_SESSION_KEY in client.session
    response = client.get(reverse("dashboard:home"))
    # Only the second login itself is newer than the first: nothing about the cases filed before.
    assert [item.kind for item in response.context["queue"] if item.title == "诉求案件"] == []
    time_machine.shift(dt.timedelta(minutes=5))
    fill_queues(world, now=timezone.now())
    response = client.get(reverse("dashboard:home"))
    changes = {item.title: item.count for item in response.context["queue"]}
    assert changes["诉求案件"] > 0
