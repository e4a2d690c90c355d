"""All writes to enterprises, project managers and service contracts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiayuan.audit.services import record_event
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import Conflict, DomainError
from jiayuan.core.services import apply_changes, require_in_scope, require_region_in_scope, validate
from jiayuan.enterprises.choices import ContractStatus
from jiayuan.enterprises.models import Enterprise, ProjectManager, ServiceContract
from jiayuan.enterprises.uscc import normalise_uscc
from jiayuan.estates.models import Estate
from jiayuan.regions.models import Region

ENTERPRISE_FIELDS = ("name", "legal_representative", "address", "phone")
CONTRACT_FIELDS = (
    "kind",
    "start_date",
    "end_date",
    "service_grade",
    "fee_per_m2_month",
    "filing_number",
    "filing_date",
    "project_manager",
)
REGISTERED_REGION_NEEDED = gettext_lazy(
    "Give the district the enterprise is registered in: without it the enterprise would not appear "
    "in your lists."
)


def registered_region_needed(actor: Actor, permission: str) -> bool:
    """Whether an enterprise the actor registers must name its registered region.

    An enterprise registered nowhere is visible only city-wide until it serves an estate (see
    `Enterprise.scope_filter`): registered by an actor whose reach is less than a whole city, it
    would vanish from their own lists.
    """
    return not actor.scope_for(permission).covers_a_city


@transaction.atomic
def enterprise_create(
    *, actor: Actor, uscc: str, name: str, registered_region: Region | None = None, **fields: Any
) -> Enterprise:
    """Register an enterprise. The housing bureau does this; the USCC must be valid and new.

    Below city level the registered region is required: see `registered_region_needed`.
    """
    actor.require(permissions.ENTERPRISES_CHANGE)
    if registered_region is not None:
        require_region_in_scope(actor, registered_region.path, permission=permissions.ENTERPRISES_CHANGE)
    elif registered_region_needed(actor, permissions.ENTERPRISES_CHANGE):
        raise DomainError(str(REGISTERED_REGION_NEEDED), field="registered_region")
    code = normalise_uscc(uscc)
    if Enterprise.objects.filter(uscc=code).exists():
        raise Conflict(
            _("An enterprise with the code %(uscc)s is already registered.") % {"uscc": code},
            field="uscc",
        )
    enterprise = Enterprise(
        uscc=code,
        name=name.strip(),
        registered_region=registered_region,
        **{k: v for k, v in fields.items() if k in ENTERPRISE_FIELDS},
    )
    validate(enterprise)
    enterprise.save()
    record_event(actor=actor, action="enterprise.created", obj=enterprise, data={"uscc": code})
    return enterprise


@transaction.atomic
def enterprise_update(*, actor: Actor, enterprise: Enterprise, reason: str = "", **fields: Any) -> Enterprise:
    actor.require(permissions.ENTERPRISES_CHANGE)
    require_in_scope(actor, enterprise, permission=permissions.ENTERPRISES_CHANGE)
    changed = apply_changes(enterprise, fields, allowed=ENTERPRISE_FIELDS)
    if changed:
        enterprise.save(update_fields=list(changed))
        record_event(actor=actor, action="enterprise.updated", obj=enterprise, reason=reason, data=changed)
    return enterprise


@transaction.atomic
def project_manager_create(
    *,
    actor: Actor,
    enterprise: Enterprise,
    name: str,
    phone: str = "",
    certificate_number: str = "",
) -> ProjectManager:
    actor.require(permissions.ENTERPRISES_CHANGE)
    require_in_scope(actor, enterprise, permission=permissions.ENTERPRISES_CHANGE)
    manager = ProjectManager(
        enterprise=enterprise, name=name, phone=phone, certificate_number=certificate_number
    )
    validate(manager)
    manager.save()
    record_event(actor=actor, action="project_manager.created", obj=manager)
    return manager


def refuse_overlap(
    *, estate: Estate, start: dt.date, end: dt.date | None, exclude_pk: int | None = None
) -> None:
    clash = ServiceContract.objects.overlapping(estate_id=estate.pk, start=start, end=end)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    other = clash.select_related("enterprise").first()
    if other is not None:
        raise Conflict(
            _(
                "%(estate)s already has a contract in force from %(start)s (%(enterprise)s); "
                "an estate has at most one contract in force on any day."
            )
            % {
                "estate": estate.name,
                "start": date_format(other.start_date),
                "enterprise": other.enterprise.name,
            },
            code="contract_overlap",
        )


@transaction.atomic
def contract_create(
    *, actor: Actor, enterprise: Enterprise, estate: Estate, **fields: Any
) -> ServiceContract:
    """File a service contract. Refused if the estate would have two contracts in force on a day."""
    actor.require(permissions.CONTRACTS_CHANGE)
    require_in_scope(actor, estate, permission=permissions.CONTRACTS_CHANGE)
    manager = fields.get("project_manager")
    if manager is not None and manager.enterprise_id != enterprise.pk:
        raise DomainError(_("The project manager works for another enterprise."), field="project_manager")
    # Serialise contract writes per estate: the overlap check and the insert must not interleave.
    Estate.objects.select_for_update().filter(pk=estate.pk).first()
    contract = ServiceContract(
        enterprise=enterprise,
        estate=estate,
        **{k: v for k, v in fields.items() if k in CONTRACT_FIELDS},
    )
    start, end = contract.start_date, contract.end_date
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        # Checked here so that the message names the field (the model's check constraint cannot).
        raise DomainError(_("The end date cannot be before the start date."), field="end_date")
    validate(contract)
    refuse_overlap(estate=estate, start=contract.start_date, end=contract.end_date)
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError as error:
        raise Conflict(
            _("The estate already has a contract in force in that period."), code="contract_overlap"
        ) from error
    record_event(
        actor=actor,
        action="contract.created",
        obj=contract,
        data={
            "enterprise": enterprise.uscc,
            "estate": estate.pk,
            "start": contract.start_date,
            "end": contract.end_date,
        },
    )
    return contract


@transaction.atomic
def contract_terminate(
    *, actor: Actor, contract: ServiceContract, on: dt.date, reason: str
) -> ServiceContract:
    """End a contract early: it stays on record, in force up to and including `on`."""
    actor.require(permissions.CONTRACTS_CHANGE)
    require_in_scope(actor, contract.estate, permission=permissions.CONTRACTS_CHANGE)
    # Decide on the row as it is now, locked: the caller's copy may be stale, and two concurrent
    # terminations must not both succeed.
    current = ServiceContract.objects.select_for_update().get(pk=contract.pk)
    if current.status != ContractStatus.ACTIVE:
        raise Conflict(_("Only an active contract can be terminated."))
    if on < current.start_date or (current.end_date and on > current.end_date):
        raise DomainError(_("The termination date must fall within the contract's term."), field="on")
    if not reason.strip():
        raise DomainError(_("Give the reason for the termination."), field="reason")
    current.status = ContractStatus.TERMINATED
    current.end_date = on
    current.save(update_fields=["status", "end_date"])
    contract.status, contract.end_date = current.status, current.end_date
    record_event(actor=actor, action="contract.terminated", obj=contract, reason=reason, data={"on": on})
    return contract
