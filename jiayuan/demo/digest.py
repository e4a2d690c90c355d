"""A fingerprint of the seeded city: the same seed and anchor date must give the same digest.

Each table is read by natural keys (codes, names, numbers, USCCs, ID numbers, usernames) rather
than primary keys, which differ between runs, and without auto timestamps and password hashes.
Rows are ordered by every column read, so ties are identical rows and the order is stable; they
are streamed (values_list + iterator), so this also works for a city of a million units.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from django.db import models

from jiayuan.accounts.models import Membership, Organisation, User
from jiayuan.campaigns.models import Campaign
from jiayuan.cases.models import Case
from jiayuan.enterprises.models import Enterprise, ProjectManager, ServiceContract
from jiayuan.estates.models import Building, Estate, Owner, Ownership, Unit
from jiayuan.governance.models import (
    ManagementCommittee,
    ManagementCommitteeMember,
    OwnersAssembly,
    OwnersCommittee,
    OwnersCommitteeMember,
)
from jiayuan.regions.models import Department, Region

CHUNK = 5000
ESTATE = ("estate__community__code", "estate__name")
COMMITTEE = ("committee__estate__community__code", "committee__estate__name", "committee__term_start")
TERM = ("term_start", "term_end", "status", "filing_number", "filing_date")
MEMBER = ("post", "name", "phone", "owner__id_number")

SECTIONS: tuple[tuple[str, type[models.Model], tuple[str, ...]], ...] = (
    ("regions", Region, ("code", "name", "level", "parent__code", "path")),
    ("departments", Department, ("region__code", "kind", "name", "phone")),
    (
        "enterprises",
        Enterprise,
        ("uscc", "name", "legal_representative", "registered_region__code", "address", "phone"),
    ),
    ("project_managers", ProjectManager, ("enterprise__uscc", "name", "phone", "certificate_number")),
    (
        "estates",
        Estate,
        (
            "community__code",
            "name",
            "address",
            "management_mode",
            "estate_type",
            "year_built",
            "latitude",
            "longitude",
            "unit_count",
            "total_exclusive_area",
        ),
    ),
    ("buildings", Building, (*ESTATE, "number", "floors")),
    ("units", Unit, (*ESTATE, "building__number", "number", "exclusive_area")),
    ("owners", Owner, ("id_number", "kind", "name", "phone", "user__username")),
    (
        "ownerships",
        Ownership,
        (
            "unit__estate__community__code",
            "unit__estate__name",
            "unit__building__number",
            "unit__number",
            "owner__id_number",
            "since",
        ),
    ),
    (
        "service_contracts",
        ServiceContract,
        (
            *ESTATE,
            "start_date",
            "end_date",
            "enterprise__uscc",
            "project_manager__name",
            "project_manager__phone",
            "kind",
            "service_grade",
            "fee_per_m2_month",
            "filing_number",
            "filing_date",
            "status",
        ),
    ),
    ("owners_assemblies", OwnersAssembly, (*ESTATE, "established_on", "rules_of_procedure_filed_on")),
    ("owners_committees", OwnersCommittee, (*ESTATE, *TERM)),
    ("owners_committee_members", OwnersCommitteeMember, (*COMMITTEE, *MEMBER)),
    ("management_committees", ManagementCommittee, (*ESTATE, *TERM)),
    ("management_committee_members", ManagementCommitteeMember, (*COMMITTEE, *MEMBER, "affiliation")),
    (
        "organisations",
        Organisation,
        (
            "kind",
            "name",
            "region__code",
            "department__region__code",
            "department__kind",
            "enterprise__uscc",
            *ESTATE,
        ),
    ),
    (
        "users",
        User,
        ("username", "display_name", "phone", "email", "first_name", "last_name", "is_staff", "is_active"),
    ),
    (
        "memberships",
        Membership,
        (
            "user__username",
            "role",
            "organisation__kind",
            "organisation__name",
            "organisation__region__code",
            "active",
        ),
    ),
    (
        "cases",
        Case,
        (
            "number",
            *ESTATE,
            "category",
            "source",
            "state",
            "outcome",
            "handler_kind",
            "created_at",
            "deadline",
            "escalation_level",
            "rating",
            "reopen_count",
        ),
    ),
    ("campaigns", Campaign, ("region__code", "name", "starts_on", "ends_on", "basis", "description")),
    ("campaign_cases", Case, ("number", "campaign__region__code", "campaign__name")),
)


def text(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def section_digests() -> dict[str, str]:
    """SHA-256 of each table's rows, by section name (to see which table differs)."""
    result: dict[str, str] = {}
    for name, model, fields in SECTIONS:
        digest = hashlib.sha256()
        rows = model._default_manager.order_by(*fields).values_list(*fields).iterator(chunk_size=CHUNK)
        for row in rows:
            digest.update(("\x1f".join(map(text, row)) + "\n").encode())
        result[name] = digest.hexdigest()
    return result


def city_digest() -> str:
    """SHA-256 over the seeded data of every table, in a stable order."""
    digest = hashlib.sha256()
    for name, value in section_digests().items():
        digest.update(f"{name}:{value}\n".encode())
    return digest.hexdigest()
