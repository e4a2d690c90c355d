"""Departments and organisations of the demo city, and what they are called.

Departments come from the policy preset's catalogue: its `city` entries sit at the city, its
`district` entries in every district. Every body a user can act for gets an Organisation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from jiayuan.accounts.choices import OrganisationKind
from jiayuan.accounts.models import Organisation
from jiayuan.demo.yinchuan import PHONE_AREA
from jiayuan.enterprises.models import Enterprise
from jiayuan.estates.models import Estate
from jiayuan.governance.models import OwnersAssembly, OwnersCommittee
from jiayuan.policy.loader import PolicyPreset
from jiayuan.regions.choices import Level
from jiayuan.regions.models import Department, Region

PLATFORM_NAME = "家园平台运维中心"


def housing_bureau_name(region: Region) -> str:
    return f"{region.name}住房和城乡建设局"


def subdistrict_office_name(name: str) -> str:
    return f"{name}办事处" if name.endswith("街道") else f"{name}人民政府"


def community_committee_name(name: str) -> str:
    return f"{name}居民委员会"


def department_name(code: str, catalogue_name: str, region: Region) -> str:
    """What the department of a catalogue code is called at a city or district (by custom)."""
    at, city = region.name, region.level == Level.CITY
    if code == "police":
        return f"{at}公安局" if city or not at.endswith("区") else f"{at}公安分局"
    if code == "fire":
        return f"{at}消防救援{'支队' if city else '大队'}"
    if code == "enforcement":
        return f"{at}综合执法{'监督局' if city else '局'}"
    if code == "market_regulation":
        return f"{at}市场监督管理局"
    if code == "housing":
        # The bureau itself supervises; referrals in its remit go to its property section.
        return f"{housing_bureau_name(region)}物业管理科"
    # Catalogue names may start with the level (市民政局): the region's name already says it.
    return f"{at}{catalogue_name.removeprefix('市' if city else '区')}"


def create_departments(preset: PolicyPreset, regions: list[Region], seed: int) -> list[Department]:
    """One department per catalogue entry at its level. Its own Random, so that a change of the
    catalogue does not reshuffle the rest of the city."""
    rng = random.Random(f"{seed}:departments")
    city = [r for r in regions if r.level == Level.CITY]
    districts = [r for r in regions if r.level == Level.DISTRICT]
    departments: list[Department] = []
    for code in sorted(preset.departments):
        entry = preset.departments[code]
        for region in city if entry.level == "city" else districts:
            departments.append(
                Department(
                    kind=code,
                    name=department_name(code, entry.name, region)[:64],
                    region=region,
                    phone=f"{PHONE_AREA}-{rng.randrange(5_000_000, 7_000_000)}",
                )
            )
    return Department.objects.bulk_create(departments)


@dataclass
class Organisations:
    """The organisations created, with lookups for the demo logins."""

    bureaus: dict[str, Organisation] = field(default_factory=dict)  # by region code
    offices: dict[str, Organisation] = field(default_factory=dict)  # subdistrict and community, by code
    departments: dict[tuple[str, str], Organisation] = field(default_factory=dict)  # (region code, kind)
    enterprises: dict[int, Organisation] = field(default_factory=dict)  # by enterprise id
    committees: dict[int, Organisation] = field(default_factory=dict)  # by estate id
    assemblies: dict[int, Organisation] = field(default_factory=dict)  # by estate id
    platform: Organisation | None = None
    count: int = 0


def create_organisations(
    *,
    regions: list[Region],
    departments: list[Department],
    enterprises: list[Enterprise],
    committees: list[OwnersCommittee],
    assemblies: list[OwnersAssembly],
    estates_by_id: dict[int, Estate],
) -> Organisations:
    result = Organisations()
    rows: list[Organisation] = []

    def add(org: Organisation) -> Organisation:
        rows.append(org)
        return org

    kind = OrganisationKind
    for region in regions:
        if region.level in (Level.CITY, Level.DISTRICT):
            result.bureaus[region.code] = add(
                Organisation(kind=kind.HOUSING_BUREAU, name=housing_bureau_name(region), region=region)
            )
        elif region.level == Level.SUBDISTRICT:
            name = subdistrict_office_name(region.name)
            result.offices[region.code] = add(
                Organisation(kind=kind.SUBDISTRICT_OFFICE, name=name, region=region)
            )
        else:
            name = community_committee_name(region.name)
            result.offices[region.code] = add(
                Organisation(kind=kind.COMMUNITY_COMMITTEE, name=name, region=region)
            )
    for department in departments:
        org = Organisation(
            kind=kind.DEPARTMENT, name=department.name, region=department.region, department=department
        )
        result.departments[(department.region.code, department.kind)] = add(org)
    for enterprise in enterprises:
        assert enterprise.registered_region is not None
        org = Organisation(
            kind=kind.ENTERPRISE,
            name=enterprise.name,
            region=enterprise.registered_region,
            enterprise=enterprise,
        )
        result.enterprises[enterprise.pk] = add(org)
    for committee in committees:
        if committee.status != "active":
            continue
        estate = estates_by_id[committee.estate_id]
        org = Organisation(
            kind=kind.OWNERS_COMMITTEE,
            name=f"{estate.name}业主委员会",
            region_id=estate.community_id,
            estate_id=estate.pk,
        )
        result.committees[estate.pk] = add(org)
    for assembly in assemblies:
        estate = estates_by_id[assembly.estate_id]
        org = Organisation(
            kind=kind.OWNERS_ASSEMBLY,
            name=f"{estate.name}业主大会",
            region_id=estate.community_id,
            estate_id=estate.pk,
        )
        result.assemblies[estate.pk] = add(org)
    city = next(r for r in regions if r.level == Level.CITY)
    result.platform = add(Organisation(kind=kind.PLATFORM, name=PLATFORM_NAME, region=city))
    Organisation.objects.bulk_create(rows, batch_size=2000)
    result.count = len(rows)
    return result
