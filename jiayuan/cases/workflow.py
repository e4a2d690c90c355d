"""The case workflow as a table: which transition is allowed from which state, and who may make it.

Pure Python, no Django: the services enforce it, the docs (docs/cases.md) describe it, the tests
read it. A transition names the permission it needs (granted to roles in
`jiayuan.accounts.roles.ROLE_PERMISSIONS`); `by_handler` transitions are further limited to the
body the case is dispatched to, and `by_complainant` ones to the complainant (or staff for them).
"""

from __future__ import annotations

from dataclasses import dataclass

SUBMITTED = "submitted"
ACCEPTED = "accepted"
REJECTED = "rejected"
DISPATCHED = "dispatched"
IN_PROGRESS = "in_progress"
RECTIFIED = "rectified"
VERIFIED = "verified"
CLOSED_OUT = "closed_out"
STATES = (SUBMITTED, ACCEPTED, REJECTED, DISPATCHED, IN_PROGRESS, RECTIFIED, VERIFIED, CLOSED_OUT)

# Cases still open for work: a duplicate of one of these is flagged, not silently filed.
OPEN_STATES = frozenset({SUBMITTED, ACCEPTED, DISPATCHED, IN_PROGRESS, RECTIFIED, VERIFIED})
# States whose clock is the acceptance deadline, and those whose clock is the rectification deadline.
ACCEPTANCE_CLOCK = frozenset({SUBMITTED})
RECTIFICATION_CLOCK = frozenset({ACCEPTED, DISPATCHED, IN_PROGRESS})

FIXED = "fixed"
NOT_FIXED_OUTCOMES = frozenset({"unfounded", "duplicate", "outside_remit", "withdrawn"})


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (a rating, a moderation)
    permission: str
    by_handler: bool = False
    by_complainant: bool = False


def t(name: str, sources: set[str], target: str | None, permission: str, **flags: bool) -> Transition:
    return Transition(name, frozenset(sources), target, permission, **flags)


TRANSITIONS: dict[str, Transition] = {
    tr.name: tr
    for tr in (
        t("accept", {SUBMITTED}, ACCEPTED, "cases.accept"),
        t("reject", {SUBMITTED}, REJECTED, "cases.accept"),
        t("dispatch", {ACCEPTED, DISPATCHED}, DISPATCHED, "cases.dispatch"),
        t("refer", {ACCEPTED, DISPATCHED, IN_PROGRESS}, DISPATCHED, "cases.refer"),
        t("start", {DISPATCHED}, IN_PROGRESS, "cases.handle", by_handler=True),
        t("rectify", {IN_PROGRESS}, RECTIFIED, "cases.handle", by_handler=True),
        t("verify", {RECTIFIED}, VERIFIED, "cases.verify"),
        t("send_back", {RECTIFIED}, IN_PROGRESS, "cases.verify"),
        t("close_out", {ACCEPTED, DISPATCHED, IN_PROGRESS, VERIFIED}, CLOSED_OUT, "cases.close_out"),
        t("reopen", {CLOSED_OUT}, ACCEPTED, "cases.rate", by_complainant=True),
        t("rate", {CLOSED_OUT}, None, "cases.rate", by_complainant=True),
        t("moderate", set(STATES), None, "cases.moderate"),
    )
}

# Close-out records how the case ended: `fixed` only after verification (YC §4(一): closed only
# when verified); the other outcomes end a case that needs no rectification.
CLOSE_OUT_OUTCOMES: dict[str, frozenset[str]] = {
    VERIFIED: frozenset({FIXED}),
    ACCEPTED: NOT_FIXED_OUTCOMES,
    DISPATCHED: NOT_FIXED_OUTCOMES,
    IN_PROGRESS: NOT_FIXED_OUTCOMES,
}


def allowed(state: str, transition: str) -> bool:
    """Whether `transition` may be made from `state`."""
    entry = TRANSITIONS.get(transition)
    return entry is not None and state in entry.sources


def outcome_allowed(state: str, outcome: str) -> bool:
    return outcome in CLOSE_OUT_OUTCOMES.get(state, frozenset())


def target_of(state: str, transition: str) -> str:
    """The state after the transition (the same state for ratings and moderation)."""
    return TRANSITIONS[transition].target or state


def transitions_from(state: str) -> list[str]:
    return [name for name, entry in TRANSITIONS.items() if state in entry.sources]
