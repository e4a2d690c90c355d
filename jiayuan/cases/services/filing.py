"""Filing a case: its number, its deadlines from the preset, the duplicate check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.audit.services import record_event
from jiayuan.cases import workflow
from jiayuan.cases.campaign_hooks import campaign_hooks
from jiayuan.cases.choices import EventKind, Source, Urgency
from jiayuan.cases.deadlines import accept_due, rectify_due
from jiayuan.cases.models import Case
from jiayuan.cases.services.notify import notify_complainant
from jiayuan.cases.services.timeline import add_event, required
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import Conflict, DomainError
from jiayuan.core.services import require_in_scope, validate
from jiayuan.estates.models import Estate
from jiayuan.policy.loader import active_preset


class DuplicateSuspected(Conflict):
    """An open case on the same problem (estate and category) exists; `case` is the oldest of them."""

    code = "duplicate_suspected"

    def __init__(self, case: Case) -> None:
        super().__init__(
            _(
                "Case %(number)s on the same problem at this estate is still open. "
                "Add to it, or confirm that this is a different problem."
            )
            % {"number": case.number},
            details={"case": case.number, "id": case.pk},
        )
        self.case = case


@transaction.atomic
def case_file(
    *,
    actor: Actor,
    estate: Estate,
    category: str,
    description: str,
    source: str,
    urgency: str = Urgency.NORMAL,
    complainant_name: str = "",
    complainant_phone: str = "",
    confirm_not_duplicate: bool = False,
    campaign: Any = None,
    now: dt.datetime | None = None,
) -> Case:
    """File a case at an estate, with its number and its deadlines from the preset.

    A second open case on the same problem (estate and category) is refused with
    `DuplicateSuspected` unless the filer confirms it is a different problem; that is recorded.
    An owner or committee member who files is the complainant and may later rate or reopen it.
    `campaign` tags the case with a campaign the filer sees that covers the estate.
    """
    actor.require(permissions.CASES_FILE)
    require_in_scope(actor, estate, permission=permissions.CASES_FILE)
    preset = active_preset()
    if category not in preset.categories:
        raise DomainError(_("Unknown category %(code)s.") % {"code": category}, field="category")
    if urgency not in Urgency.values:
        raise DomainError(_("Unknown urgency %(code)s.") % {"code": urgency}, field="urgency")
    if campaign is not None:
        campaign_hooks().require_covers(actor, campaign, estate)
    open_same = Case.objects.filter(estate=estate, category=category, state__in=workflow.OPEN_STATES)
    others = list(open_same.order_by("created_at", "id").values_list("number", flat=True))
    if others and not confirm_not_duplicate:
        raise DuplicateSuspected(open_same.order_by("created_at", "id").first())  # type: ignore[arg-type]
    now = now or timezone.now()
    line = preset.deadline_for(category, urgency)
    resident = actor.has_role(Role.OWNER, Role.COMMITTEE_MEMBER)
    case = Case(
        estate=estate,
        category=category,
        description=required(description, "description"),
        source=source,
        urgency=urgency,
        complainant_name=complainant_name.strip(),
        complainant_phone=complainant_phone.strip(),
        complainant_user=actor.user if resident else None,
        campaign=campaign,
        accept_due_at=accept_due(line, now),
        deadline=rectify_due(line, now),
        created_at=now,
        updated_at=now,
        number="-",
        number_year=timezone.localtime(now).year,
        number_serial=0,
    )
    if source not in Source.values:
        raise DomainError(_("Unknown source %(code)s.") % {"code": source}, field="source")
    validate(case, exclude=["number", "number_year", "number_serial", "complainant_user"])
    allocate_number(case, preset.data.cases.numbering.prefix)
    data: dict[str, Any] = {"number": case.number, "category": category, "source": source, "urgency": urgency}
    data["deadline_clause"] = line.clause
    if others:
        data["confirmed_not_duplicate_of"] = others
    if campaign is not None:
        data["campaign"] = campaign.pk
    add_event(
        actor=actor,
        case=case,
        at=now,
        kind=EventKind.TRANSITION,
        transition="file",
        to_state=case.state,
        data=data,
    )
    record_event(actor=actor, action="case.filed", obj=case, data=data)
    notify_complainant(case=case, transition="file")
    return case


def allocate_number(case: Case, prefix: str) -> None:
    """Insert the case under the next serial of its year; a clash with a concurrent filer retries.

    Two filers may read the same maximum; the unique constraint lets one insert and the other
    retries (in a savepoint) with the next serial, so numbers are unique without a counter row.
    """
    for _attempt in range(10):
        last = Case.objects.filter(number_year=case.number_year).aggregate(m=Max("number_serial"))["m"]
        case.number_serial = (last or 0) + 1
        case.number = f"{prefix}-{case.number_year}-{case.number_serial:06d}"
        try:
            with transaction.atomic():
                case.save(force_insert=True)
        except IntegrityError:
            case.pk = None
            continue
        return
    raise Conflict(_("Could not allocate a case number; please try again."))
