"""Cases over the API: every path through the workflow, with role and scope checks at each step."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiayuan.cases.choices import State
from jiayuan.cases.models import Case, CaseEvent
from jiayuan.cases.services import case_accept, case_dispatch, case_moderate
from jiayuan.cases.tests.factories import ENTERPRISE_CATEGORY, NOW, file, step
from jiayuan.core.masking import mask_name
from jiayuan.testing import api as api_testing

pytestmark = pytest.mark.django_db

# The API fixtures, re-exported so that pytest finds them in this module.
api = api_testing.api
drf_api = api_testing.drf_api

CASES = "/api/v1/cases/"
TRANSITIONS = (
    "accept",
    "reject",
    "dispatch",
    "refer",
    "start",
    "rectify",
    "verify",
    "send-back",
    "close-out",
    "reopen",
    "rate",
    "moderate",
)


def url(case, action=""):
    pk = case if isinstance(case, int) else case["id"] if isinstance(case, dict) else case.pk
    return f"{CASES}{pk}/{action + '/' if action else ''}"


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def act(client, case, action, **body):
    """POST a transition over HTTP (httpx) with the version the client last saw."""
    response = client.post(url(case, action), json={"version": case["version"], **body})
    assert response.status_code == 200, response.text
    return response.json()


def filed(client, world, estate="estate_a1a", **extra):
    body = {
        "estate": world.estates[estate].pk,
        "category": ENTERPRISE_CATEGORY,
        "description": "楼道垃圾三天无人清理",
        "source": "qr_code",
        "complainant_name": "王小明",
        "complainant_phone": "13812345678",
        **extra,
    }
    response = client.post(CASES, json=body)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def case(world, actor_of):
    """A submitted case at estate a1a, filed by the community over the hotline."""
    return file(actor_of("community_a1a_officer"), world.estate_a1a)


# --- the paths, over real HTTP ------------------------------------------------------------------------


def test_a_complaint_goes_from_filing_to_a_fixed_close_out_and_a_rating_over_http(api, world):
    owner, community = api("owner_of_a1a_101"), api("community_a1a_officer")
    staff, subdistrict = api("enterprise_x_staff"), api("subdistrict_a1_officer")

    case = filed(owner, world)
    assert (case["state"], case["version"], case["complainant_name"]) == ("submitted", 1, "王*明")
    assert case["complainant_phone"] != "13812345678"
    assert owner.post(url(case, "accept"), json={"version": 1}).status_code == 403

    case = act(community, case, "accept", note="属实")
    case = act(community, case, "dispatch", responsible_person="李经理")
    assert case["handler_kind"] == "enterprise"
    assert case["handler"] == {"id": world.enterprises["enterprise_x"].pk, "name": "塞上物业服务有限公司"}
    assert staff.post(url(case, "verify"), json={"version": case["version"]}).status_code == 403
    case = act(staff, case, "start")
    case = act(staff, case, "rectify", measures="已安排保洁清理", evidence="照片3张")
    case = act(subdistrict, case, "verify", note="现场核验")
    case = act(subdistrict, case, "close-out", outcome="fixed")
    case = act(owner, case, "rate", rating=5, comment="满意")

    assert (case["state"], case["outcome"], case["rating"], case["version"]) == ("closed_out", "fixed", 5, 8)
    steps = [(e["transition"], e["to_state"]) for e in case["timeline"]]
    assert steps == [
        ("file", "submitted"),
        ("accept", "accepted"),
        ("dispatch", "dispatched"),
        ("start", "in_progress"),
        ("rectify", "rectified"),
        ("verify", "verified"),
        ("close_out", "closed_out"),
        ("rate", "closed_out"),
    ]
    filer = CaseEvent.objects.get(case_id=case["id"], transition="file").actor_name
    assert case["timeline"][0]["actor_name"] == mask_name(filer) != filer  # the complainant, masked
    assert (
        case["timeline"][1]["actor_name"]
        == CaseEvent.objects.get(case_id=case["id"], transition="accept").actor_name
    )
    ledger = subdistrict.get(CASES, params={"state": "closed_out"}).json()
    assert [row["number"] for row in ledger["results"]] == [case["number"]]
    assert subdistrict.get(f"{CASES}counts/").json()["fixed"] == 1


def test_a_submitted_case_is_rejected_with_a_reason_over_http(api, world):
    community = api("community_a1a_officer")
    case = filed(community, world, source="hotline_12345")

    no_reason = community.post(url(case, "reject"), json={"version": 1})
    case = act(community, case, "reject", reason="不属于物业管理范畴")

    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()["error"]["details"]
    assert case["state"] == "rejected"
    assert case["timeline"][-1]["reason"] == "不属于物业管理范畴"
    again = community.post(url(case, "accept"), json={"version": case["version"]})
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "transition_not_allowed"


def test_a_case_is_referred_to_the_police_who_handle_it_over_http(api, world):
    community, police = api("community_a1a_officer"), api("police_a_officer")
    case = filed(community, world)
    case = act(community, case, "accept")

    case = act(
        community, case, "refer", department=world.departments["police_a"].pk, reason="涉嫌违法,移交公安"
    )
    case = act(police, case, "start")
    case = act(police, case, "rectify", measures="已约谈当事人")

    assert case["state"] == "rectified"
    assert case["handler"] == {"id": world.departments["police_a"].pk, "name": "兴庆区公安分局"}
    assert [e["kind"] for e in case["timeline"] if e["transition"] == "refer"] == ["referral"]


def test_a_department_out_of_reach_is_refused_as_a_field(drf_api, world, case, actor_of):
    step(case_accept, actor_of("community_a1a_officer"), case)

    response = drf_api("community_a1a_officer").post(
        url(case, "refer"),
        {"version": 2, "department": world.departments["police_b"].pk, "reason": "移交"},
        format="json",
    )

    assert response.status_code == 400
    assert "department" in response.json()["error"]["details"]


def test_a_rectification_is_sent_back_and_reported_again_over_http(api, world):
    community, staff = api("community_a1a_officer"), api("enterprise_x_staff")
    case = filed(community, world)
    for action, body in (("accept", {}), ("dispatch", {})):
        case = act(community, case, action, **body)
    case = act(staff, case, "start")
    case = act(staff, case, "rectify", measures="清理了一半")

    case = act(community, case, "send-back", reason="仍有垃圾")
    assert case["state"] == "in_progress"
    case = act(staff, case, "rectify", measures="全部清理", evidence="照片")
    case = act(community, case, "verify")

    assert case["state"] == "verified"
    assert case["measures"] == "全部清理"
    assert [e["transition"] for e in case["timeline"]].count("rectify") == 2


def test_the_complainant_reopens_a_closed_case_over_http(api, world):
    owner, community = api("owner_of_a1a_101"), api("community_a1a_officer")
    case = filed(owner, world)
    case = act(community, case, "accept")
    case = act(community, case, "close-out", outcome="withdrawn", note="业主撤回")
    assert case["outcome"] == "withdrawn"

    case = act(owner, case, "reopen", reason="问题仍然存在")

    assert (case["state"], case["outcome"], case["reopen_count"]) == ("accepted", "", 1)
    assert case["closed_at"] is None


def test_a_fixed_close_out_before_verification_is_refused_with_a_message(drf_api, world, case, actor_of):
    step(case_accept, actor_of("community_a1a_officer"), case)

    response = drf_api("community_a1a_officer").post(
        url(case, "close-out"), {"version": 2, "outcome": "fixed"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "transition_not_allowed"
    assert "outcome" in response.json()["error"]["details"]


def test_a_transition_the_state_does_not_allow_is_a_400_saying_why(drf_api, case):
    response = drf_api("subdistrict_a1_officer").post(url(case, "verify"), {"version": 1}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "transition_not_allowed"
    assert error["message"]
    assert Case.objects.get(pk=case.pk).version == 1


def test_only_the_body_dispatched_to_works_on_the_case(drf_api, world, case, actor_of):
    community = actor_of("community_a1a_officer")
    step(case_accept, community, case)
    step(case_dispatch, community, case)

    response = drf_api("police_a_officer").post(url(case, "start"), {"version": 3}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


# --- conflicts ----------------------------------------------------------------------------------------


def test_of_two_officers_acting_on_the_same_version_one_wins_and_the_other_gets_409(api, world):
    community, subdistrict = api("community_a1a_officer"), api("subdistrict_a1_officer")
    case = filed(community, world)

    first = community.post(url(case, "accept"), json={"version": 1})
    second = subdistrict.post(url(case, "reject"), json={"version": 1, "reason": "重复"})

    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "stale_version"
    assert Case.objects.get(pk=case["id"]).state == State.ACCEPTED
    assert not CaseEvent.objects.filter(case_id=case["id"], transition="reject").exists()


def test_a_second_open_case_on_the_same_problem_is_a_409_naming_the_first(api, world):
    community = api("community_a1a_officer")
    first = filed(community, world)
    body = {
        "estate": world.estates["estate_a1a"].pk,
        "category": ENTERPRISE_CATEGORY,
        "description": "又有垃圾",
    }

    duplicate = community.post(CASES, json=body)
    confirmed = community.post(CASES, json={**body, "confirm_not_duplicate": True})

    assert duplicate.status_code == 409
    error = duplicate.json()["error"]
    assert error["code"] == "duplicate_suspected"
    assert error["details"] == {"id": first["id"], "case": first["number"]}
    assert confirmed.status_code == 201
    assert confirmed.json()["source"] == "api"
    assert Case.objects.filter(estate=world.estates["estate_a1a"]).count() == 2


def test_filing_checks_the_fields_and_the_estate_in_scope(drf_api, world):
    client = drf_api("community_a1a_officer")
    body = {"estate": world.estates["estate_b1a"].pk, "category": ENTERPRISE_CATEGORY, "description": "x"}

    elsewhere = client.post(CASES, body, format="json")
    unknown = client.post(
        CASES, {**body, "estate": world.estates["estate_a1a"].pk, "category": "nope"}, format="json"
    )
    as_staff = drf_api("enterprise_x_staff").post(CASES, body, format="json")

    assert elsewhere.status_code == 400 and "estate" in elsewhere.json()["error"]["details"]
    assert unknown.status_code == 400 and "category" in unknown.json()["error"]["details"]
    assert as_staff.status_code == 403
    assert not Case.objects.exists()


# --- scope --------------------------------------------------------------------------------------------


def test_the_ledger_lists_the_cases_in_reach(drf_api, world, actor_of):
    a1a = file(actor_of("community_a1a_officer"), world.estate_a1a)
    b1a = file(actor_of("district_b_officer"), world.estate_b1a)

    assert ids(drf_api("subdistrict_a1_officer").get(CASES)) == {a1a.pk}
    assert ids(drf_api("district_b_officer").get(CASES)) == {b1a.pk}
    assert ids(drf_api("enterprise_x_staff").get(CASES)) == {a1a.pk, b1a.pk}
    assert drf_api("district_b_officer").get(f"{CASES}counts/").json()["total"] == 1


def test_a_case_out_of_scope_is_404_for_the_detail_and_every_transition(drf_api, case):
    client = drf_api("district_b_officer")
    missing = client.get(url(987_654_321)).json()

    detail = client.get(url(case))
    assert detail.status_code == 404
    assert detail.json() == missing
    for action in TRANSITIONS:
        response = client.post(url(case, action), {"version": 1}, format="json")
        assert response.status_code == 404, action
        assert response.json()["error"]["code"] == "not_found", action
    assert client.get(CASES).json()["results"] == []
    assert Case.objects.get(pk=case.pk).version == 1


def test_a_case_out_of_scope_is_404_over_http(api, case):
    client = api("district_b_officer")

    assert client.get(url(case)).status_code == 404
    assert client.post(url(case, "accept"), json={"version": 1}).status_code == 404
    assert client.get(CASES).json()["results"] == []


# --- what the ledger shows ----------------------------------------------------------------------------


def test_a_row_shows_flags_the_masked_complainant_and_the_moderated_text(drf_api, world, actor_of):
    community = actor_of("community_a1a_officer")
    case = file(community, world.estate_a1a, now=timezone.now() - dt.timedelta(days=30))
    step(case_moderate, community, case, moderated_text="楼道卫生问题", reason="辱骂", now=timezone.now())

    row = drf_api("owner_of_a1a_101").get(CASES).json()["results"][0]
    detail = drf_api("owner_of_a1a_101").get(url(case)).json()

    assert row["description"] == detail["description"] == "楼道卫生问题"
    assert row["moderated"] is True
    assert row["complainant_name"] == "王*明"
    assert "13812345678" not in str(row)
    assert row["is_overdue"] is True  # not accepted within its acceptance deadline
    assert row["is_poor_rating"] is False
    assert row["due_soon"] is False
    assert row["estate"]["name"] == "银古花园"
    assert row["community"]["name"] == "银古社区"
    assert detail["timeline"][-1]["kind"] == "moderation"


def test_a_case_filed_now_is_due_soon_not_overdue(drf_api, world):
    client = drf_api("community_a1a_officer")
    body = {"estate": world.estate_a1a.pk, "category": ENTERPRISE_CATEGORY, "description": "x"}

    created = client.post(CASES, body, format="json").json()

    assert (created["is_overdue"], created["due_soon"]) == (False, True)


def test_the_ledger_filters_and_counts_together(drf_api, world, actor_of):
    community = actor_of("community_a1a_officer")
    accepted = file(community, world.estate_a1a)
    step(case_accept, community, accepted)
    file(actor_of("subdistrict_a1_officer"), world.estate_a1b)
    client = drf_api("subdistrict_a1_officer")

    listed = client.get(CASES, {"state": "accepted"})
    counts = client.get(f"{CASES}counts/", {"state": "accepted"}).json()
    everything = client.get(f"{CASES}counts/").json()

    assert ids(listed) == {accepted.pk}
    assert (counts["total"], counts["accepted"], counts["submitted"]) == (1, 1, 0)
    assert (everything["total"], everything["submitted"]) == (2, 1)


def many(world, actor, n):
    for i in range(n):
        file(actor, world.estate_a1a, confirm_not_duplicate=True, now=NOW + dt.timedelta(minutes=i))


# The token with its user, the estates in reach and the page: pinned, whatever the rows (the actor's
# reach is cached from the first request of a token on, accounts/reach.py).
LIST_QUERIES = 3


@pytest.mark.parametrize("persona", ["subdistrict_a1_officer", "enterprise_x_staff"])
def test_the_ledger_costs_the_same_queries_for_10_and_100_cases(drf_api, world, actor_of, persona):
    client = drf_api(persona)
    community = actor_of("community_a1a_officer")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(CASES, {"page_size": 200})
        return len(captured), len(response.json()["results"])

    client.get(CASES)  # resolves and caches the reach
    many(world, community, 10)
    for case in Case.objects.all()[:3]:
        step(case_accept, community, case)
        step(case_dispatch, community, case)
    small = queries()
    many(world, community, 90)
    large = queries()

    assert (small[1], large[1]) == (10, 100)
    assert small[0] == large[0] == LIST_QUERIES
