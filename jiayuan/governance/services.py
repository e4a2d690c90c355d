"""All writes to owner bodies: assemblies, owners' committees and management committees."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jiayuan.audit.services import record_event
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import Conflict, DomainError
from jiayuan.core.services import apply_changes, require_in_scope, validate
from jiayuan.estates.models import Estate
from jiayuan.governance.choices import BodyStatus
from jiayuan.governance.models import (
    CommitteeBase,
    ManagementCommittee,
    ManagementCommitteeMember,
    OwnersAssembly,
    OwnersCommittee,
    OwnersCommitteeMember,
)

Committee = TypeVar("Committee", OwnersCommittee, ManagementCommittee)


@transaction.atomic
def assembly_register(*, actor: Actor, estate: Estate, established_on: dt.date | None) -> OwnersAssembly:
    actor.require(permissions.GOVERNANCE_CHANGE)
    require_in_scope(actor, estate, permission=permissions.GOVERNANCE_CHANGE)
    assembly, created = OwnersAssembly.objects.get_or_create(
        estate=estate, defaults={"established_on": established_on}
    )
    if not created:
        raise Conflict(_("This estate already has an owners' assembly."))
    record_event(actor=actor, action="assembly.registered", obj=assembly)
    return assembly


def create_committee(
    *,
    actor: Actor,
    model: type[Committee],
    member_model: type[Any],
    estate: Estate,
    term_start: dt.date,
    term_end: dt.date,
    members: list[dict[str, Any]],
    **fields: Any,
) -> Committee:
    actor.require(permissions.GOVERNANCE_CHANGE)
    require_in_scope(actor, estate, permission=permissions.GOVERNANCE_CHANGE)
    if not members:
        raise DomainError(_("A committee needs at least one member."), field="members")
    if isinstance(term_start, dt.date) and isinstance(term_end, dt.date) and term_end <= term_start:
        raise DomainError(_("The term must end after it starts."), field="term_end")
    # Serialise committee writes per estate, then refuse a second active body in plain words (the
    # unique constraint stays the last line of defence).
    Estate.objects.select_for_update().filter(pk=estate.pk).first()
    if model.objects.filter(estate=estate, status=BodyStatus.ACTIVE).exists():
        raise Conflict(_("This estate already has an active committee of this kind."))
    committee = model(estate=estate, term_start=term_start, term_end=term_end, **fields)
    validate(committee)
    try:
        with transaction.atomic():
            committee.save()
    except IntegrityError as error:
        raise Conflict(_("This estate already has an active committee of this kind.")) from error
    rows = [member_model(committee=committee, **member) for member in members]
    for row in rows:
        validate(row, exclude=["committee"])
    member_model.objects.bulk_create(rows)
    return committee


@transaction.atomic
def owners_committee_register(
    *,
    actor: Actor,
    estate: Estate,
    term_start: dt.date,
    term_end: dt.date,
    members: list[dict[str, Any]],
    filing_number: str = "",
    filing_date: dt.date | None = None,
) -> OwnersCommittee:
    """Register an elected owners' committee with its members and term (filed with the subdistrict)."""
    committee = create_committee(
        actor=actor,
        model=OwnersCommittee,
        member_model=OwnersCommitteeMember,
        estate=estate,
        term_start=term_start,
        term_end=term_end,
        members=members,
        filing_number=filing_number,
        filing_date=filing_date,
    )
    record_event(
        actor=actor,
        action="owners_committee.registered",
        obj=committee,
        data={"term": [term_start, term_end], "members": len(members)},
    )
    return committee


COMMITTEE_FIELDS = ("term_end", "filing_number", "filing_date")


@transaction.atomic
def owners_committee_update(
    *, actor: Actor, committee: OwnersCommittee, reason: str = "", **fields: Any
) -> OwnersCommittee:
    """Record the committee's filing (备案: number and date) or correct the end of its term.

    An ended committee is history: it is not changed any more. The event records what changed.
    """
    actor.require(permissions.GOVERNANCE_CHANGE)
    require_in_scope(actor, committee.estate, permission=permissions.GOVERNANCE_CHANGE)
    current = OwnersCommittee.objects.select_for_update().get(pk=committee.pk)
    if current.status != BodyStatus.ACTIVE:
        raise Conflict(_("This committee has ended; its record is no longer changed."))
    term_end = fields.get("term_end")
    if isinstance(term_end, dt.date) and term_end <= current.term_start:
        raise DomainError(_("The term must end after it starts."), field="term_end")
    changed = apply_changes(current, fields, allowed=COMMITTEE_FIELDS)
    if not changed:
        return current
    current.save(update_fields=list(changed))  # a save, so that the model history records it
    record_event(actor=actor, action="owners_committee.updated", obj=current, reason=reason, data=changed)
    return current


@transaction.atomic
def management_committee_register(
    *,
    actor: Actor,
    estate: Estate,
    term_start: dt.date,
    term_end: dt.date,
    members: list[dict[str, Any]],
) -> ManagementCommittee:
    """Set up a management committee (物管会) where no owners' committee is active."""
    # Permission and scope first: a Conflict would tell an outsider the estate has a committee.
    actor.require(permissions.GOVERNANCE_CHANGE)
    require_in_scope(actor, estate, permission=permissions.GOVERNANCE_CHANGE)
    Estate.objects.select_for_update().filter(pk=estate.pk).first()  # as create_committee: one writer
    if OwnersCommittee.objects.filter(estate=estate, status=BodyStatus.ACTIVE).exists():
        raise Conflict(
            _("This estate has an owners' committee; a management committee is only for estates without one.")
        )
    committee = create_committee(
        actor=actor,
        model=ManagementCommittee,
        member_model=ManagementCommitteeMember,
        estate=estate,
        term_start=term_start,
        term_end=term_end,
        members=members,
    )
    record_event(actor=actor, action="management_committee.registered", obj=committee)
    return committee


@transaction.atomic
def committee_end(*, actor: Actor, committee: CommitteeBase, reason: str) -> CommitteeBase:
    actor.require(permissions.GOVERNANCE_CHANGE)
    require_in_scope(actor, committee.estate, permission=permissions.GOVERNANCE_CHANGE)
    # Decide on the locked row, not the caller's copy: a stale copy or a second click cannot end
    # the committee twice. (A save, not a queryset update, so that the model history records it.)
    current = type(committee).objects.select_for_update().get(pk=committee.pk)
    if current.status != BodyStatus.ACTIVE:
        raise Conflict(_("This committee has already ended."))
    current.status = BodyStatus.ENDED
    current.save(update_fields=["status"])
    committee.status = current.status
    record_event(actor=actor, action=f"{committee._meta.model_name}.ended", obj=committee, reason=reason)
    return committee
