"""The owners' committee registry: registering a committee, recording its filing (备案) and changing its
term end, from the pages and the API, through the services (permission, scope, audit)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.audit.models import AuditEvent
from jiayuan.core.exceptions import Conflict, DomainError, NotPermitted
from jiayuan.governance.choices import BodyStatus, Post
from jiayuan.governance.forms import parse_members
from jiayuan.governance.models import OwnersCommittee
from jiayuan.governance.services import committee_end, owners_committee_update
from jiayuan.testing import api as api_testing

pytestmark = pytest.mark.django_db

api = api_testing.api
drf_api = api_testing.drf_api

OWNERS = "/api/v1/owners-committees/"


def log_in(client, world, persona):
    client.force_login(world.users[persona])
    return client


# --- the service ------------------------------------------------------------------------------------


def test_recording_the_filing_is_audited_with_what_changed(world, actor_of):
    committee = world.committees["a1a"]

    owners_committee_update(
        actor=actor_of("subdistrict_a1_officer"),
        committee=committee,
        filing_number="凤备〔2026〕3号",
        filing_date=dt.date(2026, 3, 10),
        reason="街道备案",
    )

    committee.refresh_from_db()
    assert (committee.filing_number, committee.filing_date) == ("凤备〔2026〕3号", dt.date(2026, 3, 10))
    event = AuditEvent.objects.get(action="owners_committee.updated")
    assert event.reason == "街道备案"
    assert set(event.data) == {"filing_number", "filing_date"}
    # The model history records it too (a save, not a queryset update).
    assert committee.history.latest().filing_number == "凤备〔2026〕3号"


def test_the_term_must_end_after_it_starts(world, actor_of):
    committee = world.committees["a1a"]

    with pytest.raises(DomainError) as refused:
        owners_committee_update(
            actor=actor_of("community_a1a_officer"), committee=committee, term_end=committee.term_start
        )

    assert refused.value.field == "term_end"


def test_an_ended_committee_is_not_changed(world, actor_of):
    actor = actor_of("community_a1a_officer")
    committee = world.committees["a1a"]
    committee_end(actor=actor, committee=committee, reason="换届")

    with pytest.raises(Conflict):
        owners_committee_update(actor=actor, committee=committee, filing_number="X")


@pytest.mark.parametrize("persona", ["enterprise_x_staff", "committee_a1a_member", "auditor"])
def test_only_roles_that_guide_committees_may_change_them(world, actor_of, persona):
    with pytest.raises(NotPermitted):
        owners_committee_update(actor=actor_of(persona), committee=world.committees["a1a"], filing_number="X")


def test_members_are_read_one_a_line_with_their_post():
    assert parse_members("张伟 主任\n李娜，副主任\n\n王芳\n") == [
        {"name": "张伟", "post": Post.DIRECTOR},
        {"name": "李娜", "post": Post.DEPUTY_DIRECTOR},
        {"name": "王芳", "post": Post.MEMBER},
    ]


# --- pages ------------------------------------------------------------------------------------------


def test_a_subdistrict_officer_registers_a_committee_from_the_page(client, world):
    log_in(client, world, "subdistrict_a1_officer")
    estate = world.estates["estate_a1b"]
    url = reverse("governance:committee_new", args=[estate.pk])
    detail = client.get(reverse("estates:detail", args=[estate.pk])).content.decode()
    assert url in detail

    response = client.post(
        url,
        {
            "term_start": "2026-03-01",
            "term_end": "2031-02-28",
            "filing_number": "凤备〔2026〕5号",
            "filing_date": "2026-03-10",
            "members": "张伟 主任\n李娜 委员",
        },
    )

    assert response.status_code == 302
    committee = OwnersCommittee.objects.get(estate=estate)
    assert (committee.filing_number, committee.term_end) == ("凤备〔2026〕5号", dt.date(2031, 2, 28))
    assert sorted(committee.members.values_list("name", "post")) == [("张伟", "director"), ("李娜", "member")]
    assert AuditEvent.objects.filter(
        action="owners_committee.registered", object_id=str(committee.pk)
    ).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"term_start": "2026-03-01", "term_end": "2026-02-01", "members": "张伟"}, "term_end"),
        ({"term_start": "2026-03-01", "term_end": "2031-02-28", "members": ""}, "members"),
        ({"term_start": "2026-03-01", "term_end": "2031-02-28", "members": "张伟 秘书长"}, "members"),
        ({"term_start": "三月", "term_end": "2031-02-28", "members": "张伟"}, "term_start"),
    ],
)
def test_bad_committee_input_is_a_form_error(client, world, data, field):
    log_in(client, world, "subdistrict_a1_officer")

    response = client.post(reverse("governance:committee_new", args=[world.estates["estate_a1b"].pk]), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not OwnersCommittee.objects.filter(estate=world.estates["estate_a1b"]).exists()


def test_a_second_active_committee_is_refused_on_the_form(client, world):
    log_in(client, world, "community_a1a_officer")

    response = client.post(
        reverse("governance:committee_new", args=[world.estates["estate_a1a"].pk]),
        {"term_start": "2026-03-01", "term_end": "2031-02-28", "members": "张伟 主任"},
    )

    assert response.status_code == 200
    assert str(_("This estate already has an active committee of this kind.")) in response.content.decode()
    assert OwnersCommittee.objects.filter(estate=world.estates["estate_a1a"]).count() == 1


def test_the_filing_and_term_end_are_changed_from_the_page(client, world):
    log_in(client, world, "community_a1a_officer")
    committee = world.committees["a1a"]
    url = reverse("governance:committee_edit", args=[committee.pk])
    assert url in client.get(reverse("estates:detail", args=[committee.estate_id])).content.decode()
    new_end = timezone.localdate() + dt.timedelta(days=400)

    response = client.post(
        url,
        {
            "filing_number": "银备-88",
            "filing_date": "2026-03-12",
            "term_end": new_end.isoformat(),
            "reason": "延期",
        },
    )

    assert response.status_code == 302
    committee.refresh_from_db()
    assert (committee.filing_number, committee.term_end) == ("银备-88", new_end)
    assert AuditEvent.objects.get(action="owners_committee.updated").reason == "延期"


def test_committee_pages_outside_the_scope_are_404_and_for_other_roles_403(client, world):
    log_in(client, world, "community_a1a_officer")
    assert (
        client.get(reverse("governance:committee_edit", args=[world.committees["a1a"].pk])).status_code == 200
    )
    b1a = OwnersCommittee.objects.get(estate=world.estates["estate_b1a"])
    assert client.get(reverse("governance:committee_edit", args=[b1a.pk])).status_code == 404
    assert (
        client.get(reverse("governance:committee_new", args=[world.estates["estate_b1a"].pk])).status_code
        == 404
    )

    log_in(client, world, "committee_a1a_member")
    assert (
        client.get(reverse("governance:committee_edit", args=[world.committees["a1a"].pk])).status_code == 403
    )


# --- API --------------------------------------------------------------------------------------------


def test_a_committee_is_registered_filed_and_ended_over_http(api, world):
    client = api("district_a_officer")
    estate = world.estates["estate_a2a"]

    created = client.post(
        OWNERS,
        json={
            "estate": estate.pk,
            "term_start": "2026-01-01",
            "term_end": "2030-12-31",
            "members": [{"name": "赵强", "post": "director"}, {"name": "钱丽"}],
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert [m["name"] for m in body["members"]] == ["赵*", "钱*"]
    assert (body["filing_number"], body["status"]) == ("", "active")

    url = f"{OWNERS}{body['id']}/"
    filed = client.patch(
        url, json={"filing_number": "兴备-1", "filing_date": "2026-02-01", "term_end": "2031-01-01"}
    )
    assert filed.status_code == 200, filed.text
    assert (filed.json()["filing_number"], filed.json()["term_end"]) == ("兴备-1", "2031-01-01")

    ended = client.post(f"{url}end/", json={"reason": "业主大会决定提前换届"})
    assert ended.status_code == 200
    assert ended.json()["status"] == BodyStatus.ENDED
    assert client.patch(url, json={"filing_number": "兴备-2"}).status_code == 409
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-3:] == [
        "owners_committee.registered",
        "owners_committee.updated",
        "ownerscommittee.ended",
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"term_start": "2026-01-01", "term_end": "2025-01-01", "members": [{"name": "赵强"}]},
        {"term_start": "2026-01-01", "term_end": "2030-01-01", "members": []},
        {"term_start": "2026-01-01", "term_end": "2030-01-01", "members": [{"name": "赵强", "post": "boss"}]},
        {"term_start": "not a date", "term_end": "2030-01-01", "members": [{"name": "赵强"}]},
    ],
)
def test_bad_committee_input_is_a_400(drf_api, world, body):
    response = drf_api("district_a_officer").post(
        OWNERS, {"estate": world.estates["estate_a2a"].pk, **body}, format="json"
    )

    assert response.status_code == 400, response.content
    assert not OwnersCommittee.objects.filter(estate=world.estates["estate_a2a"]).exists()


def test_a_committee_out_of_scope_is_404_and_other_roles_get_403(drf_api, world):
    b1a = OwnersCommittee.objects.get(estate=world.estates["estate_b1a"])

    assert (
        drf_api("district_a_officer")
        .patch(f"{OWNERS}{b1a.pk}/", {"filing_number": "X"}, format="json")
        .status_code
        == 404
    )
    assert (
        drf_api("enterprise_x_staff")
        .patch(f"{OWNERS}{b1a.pk}/", {"filing_number": "X"}, format="json")
        .status_code
        == 403
    )
    b1a.refresh_from_db()
    assert b1a.filing_number == ""
