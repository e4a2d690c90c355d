"""All writes to cases: one function per use case of the workflow (docs/cases.md).

Every transition checks the actor's permission and scope and the workflow table, then claims the
case with a conditional update on the `version` the actor saw (STYLE habit 7): of two people acting
at once one wins, the other gets a Conflict and nothing of theirs is written. The timeline entry
(CaseEvent) and the audit event are written in the same transaction.
"""

from jiayuan.cases.services.attachments import (
    attach_check,
    can_attach,
    case_attach,
    case_file_with_attachments,
    case_rectify_with_evidence,
)
from jiayuan.cases.services.dispatch import case_dispatch, case_refer, estate_regions, resolve_handler
from jiayuan.cases.services.filing import DuplicateSuspected, allocate_number, case_file
from jiayuan.cases.services.supervision import case_escalate, case_remind, deadlines_sweep
from jiayuan.cases.services.tagging import case_set_campaign
from jiayuan.cases.services.timeline import (
    ACTION_LABELS,
    REGION_HANDLERS,
    add_event,
    apply_transition,
    check,
    refuse_if_not_allowed,
    require_complainant,
    require_handler,
    required,
    stale_version,
)
from jiayuan.cases.services.transitions import (
    case_accept,
    case_close_out,
    case_moderate,
    case_rate,
    case_rectify,
    case_reject,
    case_reopen,
    case_reveal_complainant,
    case_send_back,
    case_start,
    case_verify,
)

__all__ = [
    "ACTION_LABELS",
    "REGION_HANDLERS",
    "DuplicateSuspected",
    "add_event",
    "allocate_number",
    "apply_transition",
    "attach_check",
    "can_attach",
    "case_accept",
    "case_attach",
    "case_close_out",
    "case_dispatch",
    "case_escalate",
    "case_file",
    "case_file_with_attachments",
    "case_moderate",
    "case_rate",
    "case_rectify",
    "case_rectify_with_evidence",
    "case_refer",
    "case_reject",
    "case_remind",
    "case_reopen",
    "case_reveal_complainant",
    "case_send_back",
    "case_set_campaign",
    "case_start",
    "case_verify",
    "check",
    "deadlines_sweep",
    "estate_regions",
    "refuse_if_not_allowed",
    "require_complainant",
    "require_handler",
    "required",
    "resolve_handler",
    "stale_version",
]
