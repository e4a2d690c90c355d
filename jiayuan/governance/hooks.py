"""What an estate's page shows of its owners' bodies (registered with `jiayuan.estates.hooks`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.estates.models import Estate
from jiayuan.governance.choices import BodyStatus
from jiayuan.governance.selectors import management_committee_list, owners_committee_list, term_warning_days


def estate_bodies(actor: Actor, estate: Estate, today: dt.date) -> dict[str, Any]:
    """The estate's owners' and management committees the actor sees, the one in office first, then
    the past ones, latest first; and how many days before its end a term (or a contract) shows as
    ending soon."""
    days = term_warning_days()
    bodies = [
        *(("owners", body) for body in owners_committee_list(actor=actor).filter(estate=estate)),
        *(("management", body) for body in management_committee_list(actor=actor).filter(estate=estate)),
    ]
    bodies.sort(key=lambda item: (item[1].status != BodyStatus.ACTIVE, -item[1].term_end.toordinal()))
    may_change = actor.has(permissions.GOVERNANCE_CHANGE) and actor.can_see(
        estate, permission=permissions.GOVERNANCE_CHANGE
    )
    return {
        "warning_days": days,
        # The registry of owners' bodies: register a committee, record its filing and term end.
        "can_change_bodies": may_change,
        "can_register_committee": may_change
        and not any(kind == "owners" and body.status == BodyStatus.ACTIVE for kind, body in bodies),
        "committees": [
            {"kind": kind, "body": body, "ending_soon": body.term_ends_within(today, days)}
            for kind, body in bodies
        ],
    }
