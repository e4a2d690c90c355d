"""Owner bodies: scoped committee lists and the "term ending soon" filter."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jiayuan.governance.models import ManagementCommittee, ManagementCommitteeMember

pytestmark = pytest.mark.django_db


def log_in(client, world, persona):
    client.force_login(world.users[persona])
    return client


def estates_listed(response, key="committees"):
    return {body.estate.name for body, _ending in response.context[key]}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("city_admin", {"银古花园", "阅海湾"}),
        ("district_a_officer", {"银古花园"}),
        ("district_b_officer", {"阅海湾"}),
        ("community_a1a_officer", {"银古花园"}),
        ("enterprise_x_staff", {"银古花园", "阅海湾"}),
        ("committee_a1a_member", {"银古花园"}),
        ("auditor", {"银古花园", "阅海湾"}),
    ],
)
def test_owners_committees_are_listed_within_scope(client, world, persona, expected):
    response = log_in(client, world, persona).get(reverse("governance:list"))
    assert response.status_code == 200
    assert estates_listed(response) == expected


@pytest.mark.parametrize("persona", ["city_admin", "community_a1a_officer", "committee_a1a_member"])
def test_committee_members_names_are_masked_for_every_role(client, world, persona):
    content = log_in(client, world, persona).get(reverse("governance:list")).content.decode()
    assert "张*任" in content
    assert "张主任" not in content


def test_the_ending_soon_filter_keeps_terms_within_the_warning_period(client, world):
    log_in(client, world, "city_admin")
    response = client.get(reverse("governance:list"), {"ending_soon": "true"})
    assert estates_listed(response) == {"银古花园"}
    assert all(ending for _body, ending in response.context["committees"])


def test_management_committees_are_listed(client, world):
    today = timezone.localdate()
    committee = ManagementCommittee.objects.create(
        estate=world.estates["estate_a2a"], term_start=today, term_end=today + dt.timedelta(days=365)
    )
    ManagementCommitteeMember.objects.create(committee=committee, name="李委员")
    a = log_in(client, world, "district_a_officer").get(reverse("governance:list"))
    assert estates_listed(a, "management") == {"文化苑"}
    assert "李*员" in a.content.decode()  # members are owners: masked as in the API
    assert "李委员" not in a.content.decode()
    b = log_in(client, world, "district_b_officer").get(reverse("governance:list"))
    assert estates_listed(b, "management") == set()


def test_the_list_costs_the_same_queries_for_few_and_many_committees(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jiayuan.governance.models import OwnersCommittee, OwnersCommitteeMember
    from jiayuan.testing.world import estate

    log_in(client, world, "city_admin")
    client.get(reverse("governance:list"))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("governance:list")).status_code == 200
        return len(captured)

    few = queries()
    today = timezone.localdate()
    for number in range(15):
        committee = OwnersCommittee.objects.create(
            estate=estate(f"委员会{number}", world.regions["com_a2a"]),
            term_start=today,
            term_end=today + dt.timedelta(days=30 + number),
        )
        OwnersCommitteeMember.objects.create(committee=committee, name=f"委员{number}", post="director")
    assert queries() == few
