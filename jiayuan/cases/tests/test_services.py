"""Cases through the services: every path, with role and scope checks at each step."""

import datetime as dt

import pytest
from django.http import Http404

from jiayuan.audit.models import AuditEvent
from jiayuan.cases import services
from jiayuan.cases.choices import EventKind, HandlerKind, Outcome, State
from jiayuan.cases.deadlines import add_working_days
from jiayuan.cases.models import Case, CaseEvent
from jiayuan.cases.services import (
    DuplicateSuspected,
    case_accept,
    case_close_out,
    case_dispatch,
    case_moderate,
    case_rate,
    case_rectify,
    case_refer,
    case_reject,
    case_reopen,
    case_reveal_complainant,
    case_send_back,
    case_start,
    case_verify,
)
from jiayuan.cases.tests.factories import ENTERPRISE_CATEGORY, NOW, POLICE_CATEGORY, file, fresh, step
from jiayuan.core.exceptions import Conflict, DomainError, NotPermitted
from jiayuan.policy.loader import active_preset

pytestmark = pytest.mark.django_db

LATER = NOW + dt.timedelta(hours=2)


@pytest.fixture
def community(actor_of):
    return actor_of("community_a1a_officer")


@pytest.fixture
def staff_x(actor_of):
    return actor_of("enterprise_x_staff")


@pytest.fixture
def owner(actor_of):
    return actor_of("owner_of_a1a_101")


@pytest.fixture
def case(world, community):
    return file(community, world.estate_a1a)


def dispatched(case, community):
    step(case_accept, community, case)
    return step(case_dispatch, community, case)


def rectified(case, community, staff):
    dispatched(case, community)
    step(case_start, staff, case, responsible_person="李经理")
    return step(case_rectify, staff, case, measures="已安排保洁清理", evidence="照片3张")


def transitions(case):
    return list(
        CaseEvent.objects.filter(case=case, kind__in=[EventKind.TRANSITION, EventKind.OVERRIDE])
        .order_by("id")
        .values_list("transition", flat=True)
    )


class TestFiling:
    def test_it_numbers_cases_by_prefix_year_and_serial(self, world, community, actor_of):
        first = file(community, world.estate_a1a)
        second = file(actor_of("subdistrict_a1_officer"), world.estate_a1b)
        prefix = active_preset().data.cases.numbering.prefix
        assert first.number == f"{prefix}-{NOW.year}-000001"
        assert second.number == f"{prefix}-{NOW.year}-000002"

    def test_numbers_start_again_each_year(self, world, community, actor_of):
        file(community, world.estate_a1a)
        next_year = file(
            actor_of("subdistrict_a1_officer"), world.estate_a1b, now=NOW.replace(year=NOW.year + 1)
        )
        assert next_year.number.endswith(f"-{NOW.year + 1}-000001")

    def test_it_takes_the_deadlines_from_the_preset(self, world, community):
        case = file(community, world.estate_a1a, urgency="normal")
        line = active_preset().deadline_for(ENTERPRISE_CATEGORY, "normal")
        assert case.accept_due_at == NOW + dt.timedelta(hours=line.accept_hours)
        if line.rectify_working_days:
            assert case.deadline == add_working_days(NOW, line.rectify_working_days)
        else:
            assert case.deadline == NOW + dt.timedelta(hours=line.rectify_hours)

    def test_a_safety_case_gets_the_shorter_deadline_of_its_group(self, world, community, actor_of):
        preset = active_preset()
        safety = next(c.code for c in preset.categories.values() if c.group == "safety_duties")
        case = file(community, world.estate_a1a, category=safety)
        line = preset.deadline_for(safety, "normal")
        assert line.applies_to == "safety_duties"
        assert case.accept_due_at == NOW + dt.timedelta(hours=line.accept_hours)
        assert case.accept_due_at < file(actor_of("subdistrict_a1_officer"), world.estate_a1b).accept_due_at

    def test_it_writes_the_timeline_and_the_audit_event(self, world, community):
        case = file(community, world.estate_a1a)
        event = CaseEvent.objects.get(case=case)
        assert (event.transition, event.to_state, event.actor_name) == (
            "file",
            "submitted",
            "community_a1a_officer",
        )
        assert AuditEvent.objects.filter(action="case.filed", object_id=str(case.pk)).exists()

    def test_an_owner_files_at_their_estate_and_is_the_complainant(self, world, owner):
        case = file(owner, world.estate_a1a, source="qr_code")
        assert case.complainant_user == world.users["owner_of_a1a_101"]

    def test_an_owner_cannot_file_at_another_estate(self, world, owner):
        with pytest.raises(Http404):
            file(owner, world.estate_b1a)

    def test_enterprise_staff_and_auditors_do_not_file(self, world, actor_of):
        for persona in ("enterprise_x_staff", "auditor", "police_a_officer"):
            with pytest.raises(NotPermitted):
                file(actor_of(persona), world.estate_a1a)
        assert Case.objects.count() == 0

    def test_it_refuses_a_category_outside_the_preset(self, world, community):
        with pytest.raises(DomainError) as error:
            file(community, world.estate_a1a, category="made_up")
        assert error.value.field == "category"

    def test_it_flags_a_duplicate_of_an_open_case_instead_of_filing_it(self, world, community, owner):
        first = file(community, world.estate_a1a)
        with pytest.raises(DuplicateSuspected) as error:
            file(owner, world.estate_a1a, source="qr_code")
        assert error.value.case == first
        assert Case.objects.count() == 1

    def test_a_confirmed_different_problem_is_filed_and_the_confirmation_recorded(self, world, community):
        first = file(community, world.estate_a1a)
        second = file(community, world.estate_a1a, confirm_not_duplicate=True)
        event = CaseEvent.objects.get(case=second)
        assert event.data["confirmed_not_duplicate_of"] == [first.number]

    def test_other_estates_categories_and_closed_cases_are_not_duplicates(self, world, community, actor_of):
        first = file(community, world.estate_a1a)
        file(actor_of("subdistrict_a1_officer"), world.estate_a1b)
        file(community, world.estate_a1a, category=POLICE_CATEGORY)
        step(case_accept, community, first)
        step(case_close_out, community, first, outcome=Outcome.WITHDRAWN, note="投诉人撤回")
        file(community, world.estate_a1a)
        assert Case.objects.count() == 4

    def test_the_complainant_is_masked_and_revealed_only_with_a_record(self, world, community, actor_of):
        case = file(community, world.estate_a1a)
        assert case.complainant_phone_masked == "138****5678"
        assert case.complainant_name_masked == "王*明"
        revealed = case_reveal_complainant(actor=community, case=case, purpose="回访投诉人")
        assert revealed["phone"] == "13812345678"
        event = AuditEvent.objects.get(action="case.complainant_revealed")
        assert event.reason == "回访投诉人"
        with pytest.raises(NotPermitted):
            case_reveal_complainant(actor=actor_of("subdistrict_a1_officer"), case=case, purpose="回访")
        with pytest.raises(DomainError):
            case_reveal_complainant(actor=community, case=case, purpose="  ")
        assert AuditEvent.objects.filter(action="case.complainant_revealed").count() == 1


class TestHappyPath:
    def test_a_case_runs_from_filing_to_closed_out_as_fixed(self, world, community, staff_x):
        case = file(community, world.estate_a1a)
        step(case_accept, community, case)
        step(case_dispatch, community, case, responsible_person="李经理")
        assert (case.handler_kind, case.handler_enterprise) == (HandlerKind.ENTERPRISE, world.enterprise_x)
        step(case_start, staff_x, case)
        step(case_rectify, staff_x, case, measures="已清理", evidence="照片")
        step(case_verify, community, case)
        step(case_close_out, community, case, outcome=Outcome.FIXED)
        case = fresh(case)
        assert (case.state, case.outcome, case.closed_at) == (State.CLOSED_OUT, Outcome.FIXED, NOW)
        assert case.version == 7
        assert transitions(case) == ["file", "accept", "dispatch", "start", "rectify", "verify", "close_out"]
        actions = set(AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
        assert {"case.accept", "case.dispatch", "case.rectify", "case.close_out"} <= actions

    def test_dispatch_records_the_rule_of_the_responsibility_list(self, world, community, case):
        dispatched(case, community)
        event = CaseEvent.objects.get(case=case, transition="dispatch")
        line = active_preset().responsibility_for(ENTERPRISE_CATEGORY, world.estate_a1a.community.path)
        assert event.data == {
            "handler": "enterprise",
            "handler_name": case.handler_enterprise.name,
            "listed_handler": "enterprise",
            "clause": line.clause,
            "override": False,
        }

    def test_a_police_matter_goes_to_the_police_of_the_estates_district(self, world, community, actor_of):
        case = file(community, world.estate_a1a, category=POLICE_CATEGORY)
        dispatched(case, community)
        assert case.handler_department == world.departments["police_a"]
        step(case_start, actor_of("police_a_officer"), case)
        assert fresh(case).state == State.IN_PROGRESS

    def test_an_override_needs_a_reason_and_is_recorded(self, world, community, case):
        step(case_accept, community, case)
        with pytest.raises(DomainError):
            step(case_dispatch, community, case, handler="subdistrict")
        step(case_dispatch, community, case, handler="subdistrict", reason="企业拒不处理,街道直接督办")
        assert case.handler_region == world.regions["sub_a1"]
        event = CaseEvent.objects.get(case=case, transition="dispatch")
        assert event.kind == EventKind.OVERRIDE and event.reason == "企业拒不处理,街道直接督办"


class TestRoleAndScope:
    def test_the_other_district_cannot_see_or_touch_the_case(self, case, actor_of):
        with pytest.raises(Http404):
            step(case_accept, actor_of("district_b_officer"), case)
        assert fresh(case).state == State.SUBMITTED

    def test_the_enterprise_cannot_accept_or_verify(self, case, staff_x, community):
        with pytest.raises(NotPermitted):
            step(case_accept, staff_x, case)
        rectified(case, community, staff_x)
        with pytest.raises(NotPermitted):
            step(case_verify, staff_x, case)

    def test_only_the_body_dispatched_to_works_on_the_case(self, world, case, community, actor_of):
        dispatched(case, community)
        with pytest.raises(NotPermitted):
            step(case_start, actor_of("police_a_officer"), case)
        with pytest.raises(NotPermitted):
            step(case_start, actor_of("owner_of_a1a_101"), case)
        assert fresh(case).state == State.DISPATCHED

    def test_an_enterprise_cannot_work_on_a_case_at_an_estate_it_does_not_serve(
        self, world, community, actor_of
    ):
        case = file(community, world.estate_a1a, category=POLICE_CATEGORY)
        dispatched(case, community)
        with pytest.raises(NotPermitted):
            step(case_start, actor_of("enterprise_x_staff"), case)

    def test_an_owner_cannot_accept_or_close_out(self, case, owner, community):
        with pytest.raises(NotPermitted):
            step(case_accept, owner, case)
        step(case_accept, community, case)
        with pytest.raises(NotPermitted):
            step(case_close_out, owner, case, outcome=Outcome.WITHDRAWN, note="x")

    def test_the_subdistrict_supervises_cases_of_its_communities(self, case, actor_of):
        step(case_accept, actor_of("subdistrict_a1_officer"), case)
        assert fresh(case).state == State.ACCEPTED


class TestRefusedOutOfOrder:
    def test_it_refuses_close_out_before_verification(self, case, community, staff_x):
        rectified(case, community, staff_x)
        with pytest.raises(DomainError) as error:
            step(case_close_out, community, case, outcome=Outcome.FIXED)
        assert error.value.code == "transition_not_allowed"

    def test_it_refuses_fixed_as_the_outcome_of_an_unverified_case(self, case, community):
        dispatched(case, community)
        with pytest.raises(DomainError) as error:
            step(case_close_out, community, case, outcome=Outcome.FIXED)
        assert "verified" in str(error.value.message) or "核验" in str(error.value.message)
        assert fresh(case).state == State.DISPATCHED

    def test_it_refuses_to_dispatch_a_case_not_yet_accepted(self, case, community):
        with pytest.raises(DomainError) as error:
            step(case_dispatch, community, case)
        assert error.value.code == "transition_not_allowed"
        assert fresh(case).version == 1


class TestRejected:
    def test_a_rejected_case_needs_a_reason_and_is_final(self, case, community):
        with pytest.raises(DomainError):
            step(case_reject, community, case, reason="  ")
        step(case_reject, community, case, reason="不属于物业管理范围")
        assert fresh(case).state == State.REJECTED
        with pytest.raises(DomainError):
            step(case_accept, community, case)
        assert CaseEvent.objects.get(case=case, transition="reject").reason == "不属于物业管理范围"


class TestReferred:
    def test_a_case_is_referred_to_a_department_which_handles_it(self, world, case, community, actor_of):
        dispatched(case, community)
        step(
            case_refer, community, case, department=world.departments["police_a"], reason="涉嫌违法,移交公安"
        )
        case = fresh(case)
        assert (case.state, case.handler_kind) == (State.DISPATCHED, HandlerKind.DEPARTMENT)
        assert case.handler_enterprise is None
        event = CaseEvent.objects.get(case=case, transition="refer")
        assert event.kind == EventKind.REFERRAL and event.data["department"] == "兴庆区公安分局"
        police = actor_of("police_a_officer")
        step(case_start, police, case)
        step(case_rectify, police, case, measures="已约谈当事人", evidence="笔录")
        assert fresh(case).state == State.RECTIFIED

    def test_a_department_out_of_reach_cannot_be_referred_to(self, world, case, community):
        step(case_accept, community, case)
        with pytest.raises(Http404):
            step(case_refer, community, case, department=world.departments["police_b"], reason="移交")


class TestSentBack:
    def test_a_failed_verification_sends_the_case_back_then_it_is_fixed(self, case, community, staff_x):
        rectified(case, community, staff_x)
        step(case_send_back, community, case, reason="现场仍有垃圾")
        assert fresh(case).state == State.IN_PROGRESS
        step(case_rectify, staff_x, case, measures="再次清理并增加频次", evidence="照片")
        step(case_verify, community, case)
        step(case_close_out, community, case, outcome=Outcome.FIXED)
        assert transitions(case)[-5:] == ["rectify", "send_back", "rectify", "verify", "close_out"]


class TestNotFixedOutcomes:
    def test_unfounded_and_duplicate_cases_are_closed_but_not_fixed(self, world, community):
        original = file(community, world.estate_a1a)
        copy = file(community, world.estate_a1a, confirm_not_duplicate=True)
        step(case_accept, community, copy)
        with pytest.raises(DomainError):
            step(case_close_out, community, copy, outcome=Outcome.DUPLICATE, note="重复")
        step(case_close_out, community, copy, outcome=Outcome.DUPLICATE, note="重复", duplicate_of=original)
        step(case_accept, community, original)
        step(case_close_out, community, original, outcome=Outcome.UNFOUNDED, note="经核实不属实")
        closed = Case.objects.filter(state=State.CLOSED_OUT)
        assert closed.count() == 2
        assert not closed.filter(outcome=Outcome.FIXED).exists()
        assert fresh(copy).duplicate_of == original

    def test_a_not_fixed_close_out_needs_a_note(self, case, community):
        step(case_accept, community, case)
        with pytest.raises(DomainError) as error:
            step(case_close_out, community, case, outcome=Outcome.UNFOUNDED)
        assert error.value.field == "note"


class TestReopenAndRating:
    def closed(self, case, community, staff):
        rectified(case, community, staff)
        step(case_verify, community, case)
        return step(case_close_out, community, case, outcome=Outcome.FIXED)

    def test_the_complainant_reopens_within_the_window(self, world, owner, community, staff_x):
        case = file(owner, world.estate_a1a, source="qr_code")
        self.closed(case, community, staff_x)
        window = active_preset().data.cases.reopen_window.days
        when = NOW + dt.timedelta(days=window) - dt.timedelta(minutes=1)
        step(case_reopen, owner, case, reason="问题复发", now=when)
        case = fresh(case)
        assert (case.state, case.reopen_count, case.outcome, case.closed_at) == (State.ACCEPTED, 1, "", None)
        line = active_preset().deadline_for(case.category, case.urgency)
        assert case.deadline == add_working_days(when, line.rectify_working_days or 0)

    def test_it_refuses_a_reopen_after_the_window(self, world, owner, community, staff_x):
        case = file(owner, world.estate_a1a, source="qr_code")
        self.closed(case, community, staff_x)
        window = active_preset().data.cases.reopen_window.days
        with pytest.raises(DomainError) as error:
            step(case_reopen, owner, case, reason="问题复发", now=NOW + dt.timedelta(days=window, minutes=1))
        assert error.value.code == "reopen_window_passed"
        assert fresh(case).state == State.CLOSED_OUT

    def test_another_owner_cannot_reopen_or_rate_someone_elses_case(self, world, owner, community, staff_x):
        case = file(community, world.estate_a1a)
        self.closed(case, community, staff_x)
        with pytest.raises(NotPermitted):
            step(case_rate, owner, case, rating=1)
        with pytest.raises(NotPermitted):
            step(case_reopen, owner, case, reason="x")

    def test_a_poor_rating_is_recorded_as_poor(self, world, owner, community, staff_x):
        case = file(owner, world.estate_a1a, source="qr_code")
        self.closed(case, community, staff_x)
        poor = active_preset().data.cases.poor_rating.max
        step(case_rate, owner, case, rating=poor, comment="敷衍了事")
        event = CaseEvent.objects.get(case=case, kind=EventKind.RATING)
        assert event.data["poor"] is True
        with pytest.raises(Conflict):
            step(case_rate, owner, case, rating=5)

    def test_a_rating_is_a_whole_number_from_1_to_5_on_a_closed_case(self, world, owner, community, staff_x):
        case = file(owner, world.estate_a1a, source="qr_code")
        with pytest.raises(DomainError):
            step(case_rate, owner, case, rating=4)
        self.closed(case, community, staff_x)
        for bad in (0, 6):
            with pytest.raises(DomainError):
                step(case_rate, owner, case, rating=bad)


class TestModeration:
    def test_a_moderator_hides_text_and_the_original_is_kept(self, case, community, owner):
        with pytest.raises(NotPermitted):
            step(case_moderate, owner, case, moderated_text="[已隐藏]", reason="辱骂")
        step(
            case_moderate,
            community,
            case,
            moderated_text="楼道垃圾无人清理(部分内容已隐藏)",
            reason="含侮辱性语言",
        )
        case = fresh(case)
        assert case.public_description.startswith("楼道垃圾无人清理(")
        assert case.description == "楼道垃圾三天无人清理"
        assert CaseEvent.objects.filter(case=case, kind=EventKind.MODERATION).exists()


class TestConcurrency:
    def test_a_stale_version_is_a_conflict_and_changes_nothing(self, case, community, actor_of):
        seen = case.version
        other = Case.objects.get(pk=case.pk)
        case_accept(actor=actor_of("subdistrict_a1_officer"), case=other, version=seen, now=NOW)
        events = CaseEvent.objects.count()
        audit = AuditEvent.objects.count()
        with pytest.raises(Conflict) as error:
            case_reject(actor=community, case=case, version=seen, reason="重复", now=LATER)
        assert error.value.code == "stale_version"
        case = fresh(case)
        assert (case.state, case.version) == (State.ACCEPTED, seen + 1)
        assert (CaseEvent.objects.count(), AuditEvent.objects.count()) == (events, audit)

    def test_a_stale_version_of_a_current_state_still_conflicts(self, case, community):
        step(case_accept, community, case)
        stale = fresh(case)
        step(case_moderate, community, case, moderated_text="x", reason="y")
        with pytest.raises(Conflict):
            case_dispatch(actor=community, case=stale, version=stale.version, now=NOW)
        assert fresh(case).state == State.ACCEPTED


def test_every_service_names_the_version_it_expects():
    import inspect

    for name in dir(services):
        if name.startswith("case_") and name not in {
            "case_file",
            "case_file_with_attachments",  # filing: no version yet
            "case_attach",  # adds files, does not change the case
            "case_reveal_complainant",
            "case_remind",
            "case_escalate",
        }:
            assert "version" in inspect.signature(getattr(services, name)).parameters, name
