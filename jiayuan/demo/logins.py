"""The demo logins: one user per role, all with the password given to `seed --demo-password`.

demo_city         city_admin           银川市住房和城乡建设局 (the city)
demo_district     district_officer     兴庆区住房和城乡建设局 (one district of six)
demo_subdistrict  subdistrict_officer  the subdistrict office above the showcase estate
demo_community    community_officer    the community committee of the showcase estate
demo_department   department_officer   兴庆区's police department
demo_enterprise   enterprise_staff     the flagship enterprise (estates in two districts or more)
demo_committee    committee_member     the owners' committee of the showcase estate
demo_owner        owner                an owner in the showcase estate (Owner.user), its assembly
demo_auditor      auditor              the city housing bureau
demo_admin        system_admin         the platform operator, is_staff for the Django admin
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils import translation

from jiayuan.accounts.choices import Role
from jiayuan.accounts.models import Membership, Organisation, User


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("demo_city", Role.CITY_ADMIN),
    DemoLogin("demo_district", Role.DISTRICT_OFFICER),
    DemoLogin("demo_subdistrict", Role.SUBDISTRICT_OFFICER),
    DemoLogin("demo_community", Role.COMMUNITY_OFFICER),
    DemoLogin("demo_department", Role.DEPARTMENT_OFFICER),
    DemoLogin("demo_enterprise", Role.ENTERPRISE_STAFF),
    DemoLogin("demo_committee", Role.COMMITTEE_MEMBER),
    DemoLogin("demo_owner", Role.OWNER),
    DemoLogin("demo_auditor", Role.AUDITOR),
    DemoLogin("demo_admin", Role.SYSTEM_ADMIN),
)


@dataclass(frozen=True)
class Person:
    display_name: str
    phone: str


def create_logins(
    *, password: str, organisations: dict[str, Organisation], people: dict[str, Person]
) -> list[User]:
    """Create the demo users and their memberships. `organisations` and `people` are by username.

    The password is hashed once (Argon2 takes most of a second) and the hash shared: the logins
    share the password anyway, and the demo starts seconds sooner.
    """
    users: list[User] = []
    for login in DEMO_LOGINS:
        person = people[login.username]
        user = User(
            username=login.username,
            display_name=person.display_name,
            phone=person.phone,
            is_staff=login.role == Role.SYSTEM_ADMIN,
        )
        if users:
            user.password = users[0].password
        else:
            user.set_password(password)
        users.append(user)
    User.objects.bulk_create(users)
    Membership.objects.bulk_create(
        Membership(user=user, organisation=organisations[login.username], role=login.role)
        for user, login in zip(users, DEMO_LOGINS, strict=True)
    )
    return users


@dataclass(frozen=True)
class LoginLine:
    username: str
    role_zh: str
    role_en: str
    organisation: str
    where: str
    present: bool
    password_ok: bool | None


def describe_logins(password: str | None = None) -> list[LoginLine]:
    """The demo logins as they are in the database (missing ones are marked), for the table."""
    lines: list[LoginLine] = []
    for login in DEMO_LOGINS:
        with translation.override("en"):
            role_en = str(Role(login.role).label)
        with translation.override("zh-hans"):
            role_zh = str(Role(login.role).label)
        user = User.objects.filter(username=login.username).first()
        membership = (
            Membership.objects.filter(user=user, role=login.role)
            .select_related("organisation__region")
            .first()
            if user
            else None
        )
        organisation, where = "", ""
        if membership is not None:
            organisation = membership.organisation.name
            region = membership.organisation.region
            where = " / ".join(r.name for r in [*region.ancestors(), region])
        password_ok = user.check_password(password) if user and password else None
        lines.append(
            LoginLine(login.username, role_zh, role_en, organisation, where, user is not None, password_ok)
        )
    return lines


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, size: int) -> str:
    return text + " " * max(size - width(text), 0)


def format_table(rows: list[list[str]]) -> str:
    sizes = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(pad(cell, sizes[i]) for i, cell in enumerate(row)).rstrip() for row in rows)
