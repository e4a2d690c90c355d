"""A small two-district world with one persona per role, for tests of scope and permissions.

    city 银川市
    ├── district A 兴庆区 ── subdistrict A1 ── communities A1a, A1b
    │                    └─ subdistrict A2 ── community A2a
    └── district B 金凤区 ── subdistrict B1 ── community B1a

Estates: one per community (estate_a1a ...). Enterprise X serves a1a and b1a, Y serves a1b,
Z serves a2a. Personas hold exactly one membership each; their expected reach is spelled out in
the scope sweep (tests/test_scope_sweep.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jiayuan.accounts.choices import OrganisationKind, Role
from jiayuan.accounts.models import Membership, Organisation, User
from jiayuan.enterprises.models import Enterprise, ProjectManager, ServiceContract
from jiayuan.enterprises.uscc import build_uscc
from jiayuan.estates.models import Building, Estate, Owner, Ownership, Unit, unit_sort_key
from jiayuan.governance.models import OwnersCommittee, OwnersCommitteeMember
from jiayuan.regions.choices import Level
from jiayuan.regions.models import Department, Region

PASSWORD = "correct-horse-battery-9"


def region(code: str, name: str, level: str, parent: Region | None) -> Region:
    path = f"{parent.path if parent else ''}{code}/"
    return Region.objects.create(code=code, name=name, level=level, parent=parent, path=path)


def estate(name: str, community: Region, **extra: Any) -> Estate:
    defaults: dict[str, Any] = {
        "address": f"{community.name}{name}路1号",
        "management_mode": "enterprise",
        "estate_type": "commercial",
        "year_built": 2010,
        "unit_count": 4,
        "total_exclusive_area": Decimal("400.00"),
    }
    defaults.update(extra)
    return Estate.objects.create(name=name, community=community, **defaults)


def user_with(username: str, role: str, organisation: Organisation) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=username)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@dataclass
class World:
    regions: dict[str, Region] = field(default_factory=dict)
    estates: dict[str, Estate] = field(default_factory=dict)
    enterprises: dict[str, Enterprise] = field(default_factory=dict)
    contracts: dict[str, ServiceContract] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    committees: dict[str, OwnersCommittee] = field(default_factory=dict)
    owners: dict[str, Owner] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        for bucket in ("users", "estates", "regions", "enterprises"):
            items = self.__dict__.get(bucket, {})
            if name in items:
                return items[name]
        raise AttributeError(name)


def build_world() -> World:
    w = World()
    r = w.regions
    r["city"] = region("640100000000", "银川市", Level.CITY, None)
    r["district_a"] = region("640104000000", "兴庆区", Level.DISTRICT, r["city"])
    r["district_b"] = region("640106000000", "金凤区", Level.DISTRICT, r["city"])
    r["sub_a1"] = region("640104001000", "凤凰北街街道", Level.SUBDISTRICT, r["district_a"])
    r["sub_a2"] = region("640104002000", "解放西街街道", Level.SUBDISTRICT, r["district_a"])
    r["sub_b1"] = region("640106001000", "黄河东路街道", Level.SUBDISTRICT, r["district_b"])
    r["com_a1a"] = region("640104001001", "银古社区", Level.COMMUNITY, r["sub_a1"])
    r["com_a1b"] = region("640104001002", "丽景社区", Level.COMMUNITY, r["sub_a1"])
    r["com_a2a"] = region("640104002001", "文化社区", Level.COMMUNITY, r["sub_a2"])
    r["com_b1a"] = region("640106001001", "阅海社区", Level.COMMUNITY, r["sub_b1"])

    for key, name in (("a1a", "银古花园"), ("a1b", "丽景湾"), ("a2a", "文化苑"), ("b1a", "阅海湾")):
        w.estates[f"estate_{key}"] = estate(name, r[f"com_{key}"])

    for key, name, home in (
        ("x", "塞上物业服务有限公司", "district_a"),
        ("y", "贺兰山物业管理有限公司", "district_b"),
        ("z", "凤城物业有限公司", "district_a"),
    ):
        w.enterprises[f"enterprise_{key}"] = Enterprise.objects.create(
            uscc=build_uscc(r[home].code, f"MA{ord(key):07d}"), name=name, registered_region=r[home]
        )
    start = timezone.localdate() - dt.timedelta(days=365)
    for estate_key, ent_key in (("a1a", "x"), ("b1a", "x"), ("a1b", "y"), ("a2a", "z")):
        manager = ProjectManager.objects.create(
            enterprise=w.enterprises[f"enterprise_{ent_key}"], name=f"经理{estate_key}"
        )
        w.contracts[estate_key] = ServiceContract.objects.create(
            enterprise=w.enterprises[f"enterprise_{ent_key}"],
            estate=w.estates[f"estate_{estate_key}"],
            project_manager=manager,
            kind="regular",
            start_date=start,
            end_date=start + dt.timedelta(days=3 * 365),
            service_grade=2,
            fee_per_m2_month=Decimal("1.20"),
            filing_number=f"YC-{estate_key}",
        )

    for estate_name, estate_obj in w.estates.items():
        estate_key = estate_name.removeprefix("estate_")
        building = Building.objects.create(estate=estate_obj, number="1")
        for number in ("101", "102"):
            unit = Unit.objects.create(
                estate=estate_obj,
                building=building,
                number=number,
                exclusive_area=Decimal("100.00"),
                sort_key=unit_sort_key(building.number, number),
            )
            owner = Owner.objects.create(
                name=f"业主{estate_key}{number}",
                phone="13912345678",
                id_number="640104199001011234",
            )
            Ownership.objects.create(owner=owner, unit=unit)
            w.units[f"{estate_key}_{number}"] = unit
            w.owners[f"{estate_key}_{number}"] = owner

    committee = OwnersCommittee.objects.create(
        estate=w.estates["estate_a1a"],
        term_start=start,
        term_end=timezone.localdate() + dt.timedelta(days=30),
    )
    OwnersCommitteeMember.objects.create(committee=committee, name="张主任", post="director")
    w.committees["a1a"] = committee
    OwnersCommittee.objects.create(
        estate=w.estates["estate_b1a"],
        term_start=start,
        term_end=start + dt.timedelta(days=5 * 365),
    )

    police_a = Department.objects.create(kind="police", name="兴庆区公安分局", region=r["district_a"])
    w.departments["police_a"] = police_a
    w.departments["police_b"] = Department.objects.create(
        kind="police", name="金凤区公安分局", region=r["district_b"]
    )

    def org(kind: str, name: str, where: Region, **links: Any) -> Organisation:
        return Organisation.objects.create(kind=kind, name=name, region=where, **links)

    u = w.users
    u["city_admin"] = user_with(
        "city_admin",
        Role.CITY_ADMIN,
        org(OrganisationKind.HOUSING_BUREAU, "银川市住建局", r["city"]),
    )
    bureau_a = org(OrganisationKind.HOUSING_BUREAU, "兴庆区住建局", r["district_a"])
    u["district_a_officer"] = user_with("district_a_officer", Role.DISTRICT_OFFICER, bureau_a)
    u["district_b_officer"] = user_with(
        "district_b_officer",
        Role.DISTRICT_OFFICER,
        org(OrganisationKind.HOUSING_BUREAU, "金凤区住建局", r["district_b"]),
    )
    u["subdistrict_a1_officer"] = user_with(
        "subdistrict_a1_officer",
        Role.SUBDISTRICT_OFFICER,
        org(OrganisationKind.SUBDISTRICT_OFFICE, "凤凰北街街道办", r["sub_a1"]),
    )
    u["community_a1a_officer"] = user_with(
        "community_a1a_officer",
        Role.COMMUNITY_OFFICER,
        org(OrganisationKind.COMMUNITY_COMMITTEE, "银古社区居委会", r["com_a1a"]),
    )
    u["police_a_officer"] = user_with(
        "police_a_officer",
        Role.DEPARTMENT_OFFICER,
        org(OrganisationKind.DEPARTMENT, police_a.name, r["district_a"], department=police_a),
    )
    u["enterprise_x_staff"] = user_with(
        "enterprise_x_staff",
        Role.ENTERPRISE_STAFF,
        org(
            OrganisationKind.ENTERPRISE,
            w.enterprises["enterprise_x"].name,
            r["district_a"],
            enterprise=w.enterprises["enterprise_x"],
        ),
    )
    u["committee_a1a_member"] = user_with(
        "committee_a1a_member",
        Role.COMMITTEE_MEMBER,
        org(
            OrganisationKind.OWNERS_COMMITTEE,
            "银古花园业委会",
            r["com_a1a"],
            estate=w.estates["estate_a1a"],
        ),
    )
    owner_user = user_with(
        "owner_of_a1a_101",
        Role.OWNER,
        org(
            OrganisationKind.OWNERS_ASSEMBLY,
            "银古花园业主大会",
            r["com_a1a"],
            estate=w.estates["estate_a1a"],
        ),
    )
    w.owners["a1a_101"].user = owner_user
    w.owners["a1a_101"].save(update_fields=["user"])
    u["owner_of_a1a_101"] = owner_user
    u["auditor"] = user_with(
        "auditor", Role.AUDITOR, org(OrganisationKind.HOUSING_BUREAU, "银川市住建局审计", r["city"])
    )
    u["system_admin"] = user_with(
        "system_admin", Role.SYSTEM_ADMIN, org(OrganisationKind.PLATFORM, "平台运维", r["city"])
    )
    u["system_admin"].is_staff = True
    u["system_admin"].save(update_fields=["is_staff"])
    return w


# What each persona must see, by key of World.estates / World.enterprises. The sweep asserts these.
EXPECTED_ESTATES: dict[str, set[str]] = {
    "city_admin": {"estate_a1a", "estate_a1b", "estate_a2a", "estate_b1a"},
    "auditor": {"estate_a1a", "estate_a1b", "estate_a2a", "estate_b1a"},
    "system_admin": {"estate_a1a", "estate_a1b", "estate_a2a", "estate_b1a"},
    "district_a_officer": {"estate_a1a", "estate_a1b", "estate_a2a"},
    "district_b_officer": {"estate_b1a"},
    "subdistrict_a1_officer": {"estate_a1a", "estate_a1b"},
    "community_a1a_officer": {"estate_a1a"},
    "police_a_officer": {"estate_a1a", "estate_a1b", "estate_a2a"},
    "enterprise_x_staff": {"estate_a1a", "estate_b1a"},
    "committee_a1a_member": {"estate_a1a"},
    "owner_of_a1a_101": {"estate_a1a"},
}
EXPECTED_ENTERPRISES: dict[str, set[str]] = {
    "city_admin": {"enterprise_x", "enterprise_y", "enterprise_z"},
    "auditor": {"enterprise_x", "enterprise_y", "enterprise_z"},
    "system_admin": {"enterprise_x", "enterprise_y", "enterprise_z"},
    "district_a_officer": {"enterprise_x", "enterprise_y", "enterprise_z"},
    "district_b_officer": {"enterprise_x", "enterprise_y"},
    "subdistrict_a1_officer": {"enterprise_x", "enterprise_y"},
    "community_a1a_officer": {"enterprise_x"},
    "police_a_officer": {"enterprise_x", "enterprise_y", "enterprise_z"},
    "enterprise_x_staff": {"enterprise_x"},
    "committee_a1a_member": {"enterprise_x"},
    "owner_of_a1a_101": {"enterprise_x"},
}
