"""Filing a case: its number, its deadlines from the preset, the duplicate check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Model
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.audit.services import record_event
from jiayuan.cases import workflow
from jiayuan.cases.campaign_hooks import campaign_hooks
from jiayuan.cases.choices import EventKind, Source, Urgency
from jiayuan.cases.deadlines import accept_due, is_overdue, rectify_due
from jiayuan.cases.models import Case, CaseNumberCounter
from jiayuan.cases.services.notify import notify_complainant
from jiayuan.cases.services.timeline import add_event, required
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import Conflict, DomainError, NotPermitted
from jiayuan.core.scoping import Scope
from jiayuan.core.services import require_in_scope
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
    require_estate_in_scope(actor, estate, permission=permissions.CASES_FILE)
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
    check_fields(case)
    allocate_number(case, preset.data.cases.numbering.prefix)
    data: dict[str, Any] = {"number": case.number, "category": category, "source": source, "urgency": urgency}
    data["deadline_clause"] = line.clause
    if others:
        data["confirmed_not_duplicate_of"] = others
    if campaign is not None:
        data["campaign"] = campaign.pk
    event = add_event(
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
    # What the ledger selector would annotate, and the timeline: the caller can answer with the case
    # as it is, without reading it back.
    case.is_overdue = is_overdue(case, timezone.now())  # type: ignore[attr-defined]
    case.is_poor_rating = False  # type: ignore[attr-defined]
    prefetched(case, "events", [event])
    return case


def prefetched(obj: Model, name: str, rows: list[Any]) -> None:
    """Fill `obj.<name>.all()` with `rows`, as `prefetch_related` would (no query when read)."""
    manager = getattr(obj, name)
    queryset = manager.get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    obj._prefetched_objects_cache = {**getattr(obj, "_prefetched_objects_cache", {}), name: queryset}  # type: ignore[attr-defined]


def require_estate_in_scope(actor: Actor, estate: Estate, *, permission: str) -> None:
    """`require_in_scope` for an estate, answered from the actor's scope without a query when it
    reaches regions or estates (an enterprise's reach, by its contracts, needs the query)."""
    scopes: list[tuple[Scope, str | None]] = [(actor.scope, None)]
    narrower = actor.scope_for(permission)
    if narrower is not actor.scope:
        scopes.append((narrower, permission))
    for scope, needed in scopes:
        if scope.everything or estate.pk in scope.estate_ids or scope.covers_path(estate.community.path):
            continue
        if scope.enterprise_ids:
            require_in_scope(actor, estate, permission=permission)
            return
        if needed is None:
            raise Http404
        raise NotPermitted(needed)


# Checked by the database, or set by the service itself: not checked again field by field (a
# foreign key would cost a query each, the rating's check constraint another).
NOT_CHECKED = [
    "number",
    "number_year",
    "number_serial",
    "estate",
    "complainant_user",
    "campaign",
    "handler_enterprise",
    "handler_department",
    "handler_region",
    "duplicate_of",
]


def check_fields(case: Case) -> None:
    """The case's own fields (lengths, choices, required), in memory; a DomainError names the first."""
    try:
        case.clean_fields(exclude=NOT_CHECKED)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=field, details=error.message_dict) from error


# One statement: the year's counter row is created or moved on, never below the year's highest serial
# (cases written by other means, a bulk load, stay clear of it), and its new value returned. The
# row stays locked until the filing's transaction ends, so concurrent filers queue on it.
NEXT_SERIAL = {
    "postgresql": (
        "INSERT INTO {counter} (year, last) "
        "SELECT %s, COALESCE(MAX(number_serial), 0) + 1 FROM {case} WHERE number_year = %s "
        "ON CONFLICT (year) DO UPDATE SET last = GREATEST({counter}.last + 1, EXCLUDED.last) "
        "RETURNING last"
    ),
    "sqlite": (
        "INSERT INTO {counter} (year, last) "
        "SELECT %s, COALESCE(MAX(number_serial), 0) + 1 FROM {case} WHERE number_year = %s "
        "ON CONFLICT (year) DO UPDATE SET last = MAX({counter}.last + 1, excluded.last) "
        "RETURNING last"
    ),
}


def next_serial(year: int) -> int:
    sql = NEXT_SERIAL[connection.vendor].format(
        counter=connection.ops.quote_name(CaseNumberCounter._meta.db_table),
        case=connection.ops.quote_name(Case._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [year, year])
        return int(cursor.fetchone()[0])


def allocate_number(case: Case, prefix: str) -> None:
    """Insert the case under the next serial of its year, taken from the year's counter row."""
    if not connection.in_atomic_block:
        raise RuntimeError("allocate_number must run inside the filing's transaction")
    case.number_serial = next_serial(case.number_year)
    case.number = f"{prefix}-{case.number_year}-{case.number_serial:06d}"
    case.save(force_insert=True)
