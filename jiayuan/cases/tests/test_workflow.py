"""The workflow table, read as the rules (docs/cases.md)."""

import pytest

from jiayuan.accounts.choices import Role
from jiayuan.accounts.roles import ROLE_PERMISSIONS
from jiayuan.cases import workflow
from jiayuan.cases.choices import Outcome, State


def roles_for(transition: str) -> set[str]:
    permission = workflow.TRANSITIONS[transition].permission
    return {role for role, granted in ROLE_PERMISSIONS.items() if permission in granted}


def test_the_states_of_the_table_are_the_states_of_the_model():
    assert set(workflow.STATES) == set(State.values)


def test_the_happy_path_is_allowed_step_by_step():
    path = ["accept", "dispatch", "start", "rectify", "verify", "close_out"]
    state = workflow.SUBMITTED
    for name in path:
        assert workflow.allowed(state, name), (state, name)
        state = workflow.target_of(state, name)
    assert state == workflow.CLOSED_OUT


@pytest.mark.parametrize(
    ("state", "transition"),
    [
        ("submitted", "dispatch"),
        ("submitted", "close_out"),
        ("rejected", "accept"),
        ("rejected", "reopen"),
        ("dispatched", "rectify"),
        ("in_progress", "verify"),
        ("rectified", "close_out"),
        ("closed_out", "verify"),
        ("verified", "send_back"),
        ("accepted", "rate"),
    ],
)
def test_it_refuses_transitions_out_of_order(state, transition):
    assert not workflow.allowed(state, transition)


def test_unknown_transitions_are_refused():
    assert not workflow.allowed("submitted", "teleport")


def test_verification_can_send_a_case_back_to_work():
    assert workflow.allowed("rectified", "send_back")
    assert workflow.target_of("rectified", "send_back") == workflow.IN_PROGRESS


def test_a_closed_case_reopens_into_accepted():
    assert workflow.target_of("closed_out", "reopen") == workflow.ACCEPTED


def test_fixed_is_an_outcome_only_after_verification():
    assert workflow.outcome_allowed("verified", Outcome.FIXED)
    for state in ("accepted", "dispatched", "in_progress"):
        assert not workflow.outcome_allowed(state, Outcome.FIXED)
        assert workflow.outcome_allowed(state, Outcome.UNFOUNDED)
    assert not workflow.outcome_allowed("verified", Outcome.DUPLICATE)
    assert set(workflow.NOT_FIXED_OUTCOMES) | {workflow.FIXED} == set(Outcome.values)


def test_every_transition_is_granted_to_some_role():
    for name in workflow.TRANSITIONS:
        assert roles_for(name), name


def test_supervisors_accept_dispatch_verify_and_close_out():
    supervisors = {Role.COMMUNITY_OFFICER, Role.SUBDISTRICT_OFFICER, Role.DISTRICT_OFFICER, Role.CITY_ADMIN}
    for name in ("accept", "reject", "dispatch", "refer", "verify", "send_back", "close_out"):
        assert supervisors <= roles_for(name), name
        assert Role.ENTERPRISE_STAFF not in roles_for(name)
        assert Role.OWNER not in roles_for(name)


def test_the_responsible_bodies_handle_and_owners_file_and_rate():
    assert {Role.ENTERPRISE_STAFF, Role.DEPARTMENT_OFFICER} <= roles_for("rectify")
    assert Role.OWNER in roles_for("rate")
    assert Role.OWNER in roles_for("reopen")
    assert Role.AUDITOR not in roles_for("accept") | roles_for("rectify") | roles_for("rate")


def test_handling_is_limited_to_the_handler_and_feedback_to_the_complainant():
    assert workflow.TRANSITIONS["start"].by_handler
    assert workflow.TRANSITIONS["rectify"].by_handler
    assert workflow.TRANSITIONS["rate"].by_complainant
    assert workflow.TRANSITIONS["reopen"].by_complainant


def test_transitions_from_lists_what_the_table_allows():
    assert set(workflow.transitions_from("submitted")) == {"accept", "reject", "moderate"}
