"""Text messages of a case: the complainant at each step, the responsible person and the supervisors
of reminders and escalations (docs/notifications.md, "Who is told what")."""

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiayuan.accounts.choices import Role
from jiayuan.accounts.models import Organisation
from jiayuan.cases.links import case_from_follow_token
from jiayuan.cases.models import Case
from jiayuan.cases.services import (
    case_accept,
    case_close_out,
    case_dispatch,
    case_moderate,
    case_rate,
    case_rectify,
    case_refer,
    case_reject,
    case_reopen,
    case_send_back,
    case_start,
    case_verify,
    deadlines_sweep,
)
from jiayuan.cases.services.notify import notify_of_escalation
from jiayuan.cases.tests.factories import file, fresh, step
from jiayuan.core.exceptions import DomainError
from jiayuan.notifications.choices import Purpose
from jiayuan.notifications.models import OutboundMessage
from jiayuan.testing import api as api_testing
from jiayuan.testing.world import user_with


def link_in(text):
    """The follow link a text ends with."""
    found = re.search(r"https?://\S+/report/case/([\w-]+)/$", text)
    assert found, text
    return found.group(0)


def followed_case(text):
    """The case the text's link opens (each text carries a link of its own)."""
    token = link_in(text).rstrip("/").rsplit("/", 1)[-1]
    followed = case_from_follow_token(token)
    assert followed is not None and not followed.expired
    return followed.case


pytestmark = pytest.mark.django_db

# The in-process API client fixture, re-exported so that pytest finds it in this module.
drf_api = api_testing.drf_api

COMPLAINANT = "13812345678"  # as the factory files it
RESPONSIBLE = "13987654321"


@pytest.fixture(autouse=True)
def english(settings):
    """The texts are written in the platform's language (LANGUAGE_CODE), whoever acts."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def community(actor_of):
    return actor_of("community_a1a_officer")


@pytest.fixture
def staff_x(actor_of):
    return actor_of("enterprise_x_staff")


@pytest.fixture
def case(world, community):
    return file(community, world.estate_a1a)


class Outbox:
    """The messages queued since the last look."""

    def __init__(self) -> None:
        self.seen = 0

    def new(self) -> list[OutboundMessage]:
        messages = list(OutboundMessage.objects.filter(pk__gt=self.seen).order_by("pk"))
        if messages:
            self.seen = messages[-1].pk
        return messages

    def texts_to(self, phone: str) -> list[str]:
        return [m.text for m in self.new() if m.recipient == phone]


@pytest.fixture
def outbox():
    return Outbox()


def assert_told(message: OutboundMessage, case, *words: str) -> None:
    """One text to the complainant: the case's number and follow link, no name, no phone."""
    text = message.text
    assert message.recipient == COMPLAINANT
    assert message.purpose == Purpose.CASE_UPDATE
    assert message.related_type == "cases.case" and message.related_id == str(case.pk)
    assert text.startswith("[Jiayuan]")
    assert case.number in text
    assert followed_case(text) == case
    assert "王小明" not in text and COMPLAINANT not in text and RESPONSIBLE not in text
    for word in words:
        assert word in text


class TestTheComplainant:
    def test_each_step_tells_them_once_and_internal_steps_not_at_all(
        self, world, case, community, staff_x, actor_of, outbox
    ):
        (filed,) = outbox.new()
        assert_told(filed, case, "received")

        step(case_accept, community, case)
        (accepted,) = outbox.new()
        assert_told(accepted, case, "accepted")

        step(case_dispatch, community, case, responsible_person="李经理", responsible_phone=RESPONSIBLE)
        (dispatched,) = outbox.new()
        assert_told(dispatched, case, "塞上物业服务有限公司")
        assert "李经理" not in dispatched.text

        step(case_start, staff_x, case)
        assert outbox.new() == []
        step(case_rectify, staff_x, case, measures="已清理", evidence="照片")
        (rectified,) = outbox.new()
        assert_told(rectified, case, "塞上物业服务有限公司", "fixed")

        subdistrict = actor_of("subdistrict_a1_officer")
        step(case_send_back, subdistrict, case, reason="仍有垃圾")
        assert outbox.new() == []
        step(case_rectify, staff_x, case, measures="再次清理", evidence="照片")
        assert len(outbox.new()) == 1
        step(case_verify, subdistrict, case)
        step(case_moderate, community, case, moderated_text="", reason="无需处理")
        assert outbox.new() == []

        step(case_close_out, subdistrict, case, outcome="fixed")
        (closed,) = outbox.new()
        assert_told(closed, case, "Fixed", "rate")

        step(case_rate, community, case, rating=4)
        assert outbox.new() == []
        step(case_reopen, community, case, reason="又脏了")
        (reopened,) = outbox.new()
        assert_told(reopened, case, "reopened")

    def test_a_rejection_gives_the_reason_shortened(self, case, community, outbox):
        outbox.new()
        step(case_reject, community, case, reason="不属于物业服务范围，" * 10)
        (rejected,) = outbox.new()
        assert_told(rejected, case, "not accepted", "不属于物业服务范围")
        assert "…" in rejected.text
        assert len(rejected.text) - len(link_in(rejected.text)) <= 120

    def test_a_referral_names_the_department(self, world, case, community, outbox):
        step(case_accept, community, case)
        outbox.new()
        police = world.departments["police_a"]
        step(case_refer, community, case, department=police, reason="涉及治安")
        (referred,) = outbox.new()
        assert_told(referred, case, police.name, "referred")

    def test_a_close_out_without_rectification_says_how_it_ended(self, case, community, outbox):
        step(case_accept, community, case)
        outbox.new()
        step(case_close_out, community, case, outcome="withdrawn", note="投诉人撤回")
        (closed,) = outbox.new()
        assert_told(closed, case, "Withdrawn")

    def test_a_landline_gets_no_text_and_the_case_goes_on(self, world, community, outbox):
        case = file(community, world.estate_a1a, complainant_phone="0951-5012345")
        step(case_accept, community, case)
        step(case_dispatch, community, case)
        assert fresh(case).state == "dispatched"
        assert outbox.new() == []

    def test_a_case_without_a_phone_sends_nothing(self, world, community, outbox):
        case = file(community, world.estate_a1a, complainant_phone="")
        step(case_accept, community, case)
        assert outbox.new() == []

    def test_a_mobile_typed_with_spaces_is_texted(self, world, community, outbox):
        file(community, world.estate_a1a, complainant_phone="+86 138 1234 5678")
        (filed,) = outbox.new()
        assert filed.recipient == COMPLAINANT

    def test_a_rolled_back_transition_queues_nothing(self, case, community):
        before = OutboundMessage.objects.count()
        with pytest.raises(RuntimeError), transaction.atomic():
            step(case_accept, community, case)
            assert OutboundMessage.objects.count() == before + 1  # queued inside the transaction ...
            raise RuntimeError("something after the accept fails")
        assert OutboundMessage.objects.count() == before  # ... and gone with it
        assert fresh(case).state == "submitted"

    def test_the_message_goes_out_after_commit(self, world, community, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            file(community, world.estate_a1a)
        assert OutboundMessage.objects.get().status == "sent"


# --- the responsible person and the supervisors --------------------------------------------------------


def dispatched(case, community, **extra):
    step(case_accept, community, case)
    return step(case_dispatch, community, case, **extra)


class TestTheResponsiblePhone:
    def test_dispatch_stores_it_normalised(self, case, community):
        dispatched(case, community, responsible_phone="139 8765 4321")
        assert fresh(case).responsible_phone == RESPONSIBLE

    def test_a_number_that_is_not_a_mobile_is_refused(self, case, community):
        step(case_accept, community, case)
        with pytest.raises(DomainError) as refused:
            step(case_dispatch, community, case, responsible_phone="0951-5012345")
        assert refused.value.field == "responsible_phone"
        assert fresh(case).state == "accepted"

    def test_start_sets_it_and_an_empty_one_keeps_the_dispatchers(self, world, case, community, staff_x):
        dispatched(case, community, responsible_phone=RESPONSIBLE)
        step(case_start, staff_x, case)
        assert fresh(case).responsible_phone == RESPONSIBLE
        other = dispatched(file(community, world.estate_a1a, confirm_not_duplicate=True), community)
        step(case_start, staff_x, other, responsible_phone="13711112222")
        assert fresh(other).responsible_phone == "13711112222"

    def test_a_referral_forgets_the_earlier_person(self, world, case, community):
        dispatched(case, community, responsible_person="李经理", responsible_phone=RESPONSIBLE)
        step(case_refer, community, case, department=world.departments["police_a"], reason="涉及治安")
        assert (fresh(case).responsible_person, fresh(case).responsible_phone) == ("", "")

    def test_the_detail_page_masks_it_for_those_who_do_not_handle_the_case(
        self, client, world, case, community
    ):
        dispatched(case, community, responsible_phone=RESPONSIBLE)
        page = reverse("cases:detail", args=[case.pk])
        for persona, shown in (
            ("community_a1a_officer", RESPONSIBLE),
            ("enterprise_x_staff", RESPONSIBLE),
            ("owner_of_a1a_101", "139****4321"),
        ):
            client.force_login(world.users[persona])
            content = client.get(page).content.decode()
            assert shown in content, persona
            if shown != RESPONSIBLE:
                assert RESPONSIBLE not in content

    def test_the_api_takes_it_on_dispatch(self, world, case, community, drf_api):
        step(case_accept, community, case)
        client = drf_api("community_a1a_officer")
        url = f"/api/v1/cases/{case.pk}/dispatch/"
        response = client.post(url, {"version": fresh(case).version, "responsible_phone": "1"}, format="json")
        assert response.status_code == 400
        response = client.post(
            url, {"version": fresh(case).version, "responsible_phone": RESPONSIBLE}, format="json"
        )
        assert response.status_code == 200, response.content
        assert fresh(case).responsible_phone == RESPONSIBLE


def officer(world, username: str, organisation: str, role: str, phone: str, *, active: bool = True):
    user = user_with(username, role, Organisation.objects.get(name=organisation))
    user.phone = phone
    user.save(update_fields=["phone"])
    if not active:
        user.memberships.update(active=False)
    return user


SUBDISTRICT_OFFICE = "凤凰北街街道办"


class TestRemindersAndEscalation:
    def test_a_reminder_reaches_the_responsible_phone(self, case, community, outbox):
        dispatched(case, community, responsible_phone=RESPONSIBLE)
        outbox.new()
        soon = fresh(case).deadline - dt.timedelta(minutes=30)
        assert deadlines_sweep(now=soon)["reminded"] == 1
        (reminder,) = outbox.new()
        assert reminder.recipient == RESPONSIBLE
        assert reminder.purpose == Purpose.REMINDER
        assert case.number in reminder.text and "银古花园" in reminder.text
        assert reminder.text.endswith(reverse("cases:detail", args=[case.pk]))
        assert deadlines_sweep(now=soon + dt.timedelta(minutes=5))["reminded"] == 0
        assert outbox.new() == []

    def test_a_reminder_without_a_responsible_phone_is_recorded_but_not_texted(self, case, outbox):
        outbox.new()
        assert deadlines_sweep(now=case.accept_due_at - dt.timedelta(minutes=30))["reminded"] == 1
        assert outbox.new() == []

    def test_an_escalation_reaches_the_responsible_phone_and_the_supervising_officers(
        self, world, case, community, outbox
    ):
        dispatched(case, community, responsible_phone=RESPONSIBLE)
        officer(world, "sub_1", SUBDISTRICT_OFFICE, Role.SUBDISTRICT_OFFICER, "13700000001")
        officer(world, "sub_2", SUBDISTRICT_OFFICE, Role.SUBDISTRICT_OFFICER, "137 0000 0002")
        officer(world, "sub_gone", SUBDISTRICT_OFFICE, Role.SUBDISTRICT_OFFICER, "13700000003", active=False)
        officer(world, "sub_landline", SUBDISTRICT_OFFICE, Role.SUBDISTRICT_OFFICER, "0951-5012345")
        officer(world, "district_1", "兴庆区住建局", Role.DISTRICT_OFFICER, "13700000004")
        officer(world, "community_1", "银古社区居委会", Role.COMMUNITY_OFFICER, "13700000005")
        outbox.new()
        assert deadlines_sweep(now=fresh(case).deadline + dt.timedelta(minutes=1))["escalated"] == 1
        messages = outbox.new()
        assert {m.recipient for m in messages} == {RESPONSIBLE, "13700000001", "13700000002"}
        assert len(messages) == 3
        text = messages[0].text
        assert {m.text for m in messages} == {text}
        assert all(m.purpose == Purpose.REMINDER for m in messages)
        assert case.number in text and "凤凰北街街道" in text and "overdue" in text
        assert "王小明" not in text and COMPLAINANT not in text

    def test_the_second_level_goes_to_the_district(self, world, case, community, outbox):
        dispatched(case, community)
        officer(world, "sub_1", SUBDISTRICT_OFFICE, Role.SUBDISTRICT_OFFICER, "13700000001")
        officer(world, "district_1", "兴庆区住建局", Role.DISTRICT_OFFICER, "13700000004")
        deadline = fresh(case).deadline
        deadlines_sweep(now=deadline + dt.timedelta(minutes=1))
        assert outbox.texts_to("13700000001")
        interval = dt.timedelta(hours=72)  # the national preset's interval
        deadlines_sweep(now=deadline + interval + dt.timedelta(minutes=2))
        messages = outbox.new()
        assert [m.recipient for m in messages] == ["13700000004"]

    def test_finding_the_officers_is_one_query_however_many_there_are(self, world, case, community):
        region = world.regions["sub_a1"]
        case = Case.objects.select_related("estate").get(pk=case.pk)  # as case_escalate loads it

        total = 0

        def selects(officers: int) -> list[str]:
            nonlocal total
            for index in range(officers):
                phone = f"1360000{officers}{index:03d}"
                officer(
                    world, f"officer_{officers}_{index}", SUBDISTRICT_OFFICE, Role.SUBDISTRICT_OFFICER, phone
                )
            total += officers
            with CaptureQueriesContext(connection) as queries:
                assert notify_of_escalation(case=case, level=1, region=region) == total
            return [
                q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
            ]

        few, many = selects(2), selects(6)
        assert len(few) == len(many)
        assert sum("accounts_user" in sql for sql in many) == 1
