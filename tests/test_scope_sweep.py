"""The scope sweep: every persona over every list and detail, page and API.

Nothing outside a persona's scope is listed or named, and asking for it by id gives 404, exactly as
for an id that does not exist. The expected reach comes from `EXPECTED_ESTATES` /
`EXPECTED_ENTERPRISES` (jiayuan.testing.world) and the region table below, reasoned from the rules in
docs/architecture.md ("How scope works"), never from the scoping code itself. A guard fails when a
page or API route taking an object id has no entry in the sweep.

Each test collects every finding of its persona before failing, so one run reports every leak.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from jiayuan.campaigns.models import Campaign
from jiayuan.cases.models import Case, CaseAttachment
from jiayuan.cases.services import case_file
from jiayuan.core.actor import actor_for
from jiayuan.estates.models import Ownership
from jiayuan.governance.models import ManagementCommittee, ManagementCommitteeMember, OwnersCommittee
from jiayuan.testing import api as api_testing
from jiayuan.testing.world import EXPECTED_ENTERPRISES, EXPECTED_ESTATES, World

pytestmark = pytest.mark.django_db

# The API fixtures, re-exported so that pytest finds them in this module.
api = api_testing.api
drf_api = api_testing.drf_api

PERSONAS = sorted(EXPECTED_ESTATES)
MISSING = 987_654_321  # an id no row has: out of scope must look exactly like this

# --- What each persona reaches ---------------------------------------------------------------------
# Regions, by key of World.regions. A regional role reaches its organisation's region subtree; an
# enterprise's staff and estate-bound users reach only the communities of the estates they see.

DISTRICT_A = frozenset({"district_a", "sub_a1", "sub_a2", "com_a1a", "com_a1b", "com_a2a"})
DISTRICT_B = frozenset({"district_b", "sub_b1", "com_b1a"})
ALL_REGIONS = frozenset({"city", *DISTRICT_A, *DISTRICT_B})
REGION_REACH: dict[str, frozenset[str]] = {
    "city_admin": ALL_REGIONS,
    "auditor": ALL_REGIONS,
    "system_admin": ALL_REGIONS,
    "district_a_officer": DISTRICT_A,
    "police_a_officer": DISTRICT_A,  # a department of district A serves its subtree
    "district_b_officer": DISTRICT_B,
    "subdistrict_a1_officer": frozenset({"sub_a1", "com_a1a", "com_a1b"}),
    "community_a1a_officer": frozenset({"com_a1a"}),
    "enterprise_x_staff": frozenset({"com_a1a", "com_b1a"}),  # the communities of a1a and b1a
    "committee_a1a_member": frozenset({"com_a1a"}),
    "owner_of_a1a_101": frozenset({"com_a1a"}),
}

# Every contract of one's own enterprise stays visible to its staff, wherever the estate lies.
STAFF_OF = {"enterprise_x_staff": "enterprise_x"}

# Campaigns, by the key of the region that runs them: a regional user sees the campaigns of their
# subtree and of the regions above it (which run over it); enterprise staff and residents see none.
CAMPAIGN_REGIONS = ("sub_a1", "district_b", "city")
CAMPAIGN_REACH: dict[str, frozenset[str]] = {
    "city_admin": frozenset(CAMPAIGN_REGIONS),
    "auditor": frozenset(CAMPAIGN_REGIONS),
    "system_admin": frozenset(CAMPAIGN_REGIONS),
    "district_a_officer": frozenset({"sub_a1", "city"}),
    "police_a_officer": frozenset({"sub_a1", "city"}),
    "district_b_officer": frozenset({"district_b", "city"}),
    "subdistrict_a1_officer": frozenset({"sub_a1", "city"}),
    "community_a1a_officer": frozenset({"sub_a1", "city"}),
    "enterprise_x_staff": frozenset(),
    "committee_a1a_member": frozenset(),
    "owner_of_a1a_101": frozenset(),
}

# Who may act where a route needs a permission (jiayuan.core.permissions, spelled out here). The
# permission is checked before the object is looked up, so whoever lacks it gets the same 403 for
# every id, a missing one included: it says nothing about the object.
OWNER_REVEALERS = frozenset({"community_a1a_officer"})  # owners.view_personal_data
ESTATE_EDITORS = frozenset(
    {
        "city_admin",
        "district_a_officer",
        "district_b_officer",
        "subdistrict_a1_officer",
        "community_a1a_officer",
        "system_admin",
    }
)
# governance.change: the same regional roles as estates.change (register committees, record filings).
GOVERNANCE_EDITORS = ESTATE_EDITORS
# Users bound to one estate (owners, committee members) see its units but none of its owners.
ESTATE_BOUND = frozenset({"committee_a1a_member", "owner_of_a1a_101"})
ENTERPRISE_EDITORS = frozenset({"city_admin", "district_a_officer", "district_b_officer", "system_admin"})
CONTRACT_EDITORS = frozenset(
    {"city_admin", "district_a_officer", "district_b_officer", "subdistrict_a1_officer", "system_admin"}
)
# cases.accept, dispatch, refer, verify, close_out, moderate; cases.handle; cases.rate.
CASE_SUPERVISORS = ESTATE_EDITORS
CASE_HANDLERS = CASE_SUPERVISORS | {"police_a_officer", "enterprise_x_staff"}
CASE_RATERS = CASE_SUPERVISORS | {"committee_a1a_member", "owner_of_a1a_101"}
CASE_TRANSITIONS = {
    "accept": CASE_SUPERVISORS,
    "reject": CASE_SUPERVISORS,
    "dispatch": CASE_SUPERVISORS,
    "refer": CASE_SUPERVISORS,
    "start": CASE_HANDLERS,
    "rectify": CASE_HANDLERS,
    "verify": CASE_SUPERVISORS,
    "send-back": CASE_SUPERVISORS,
    "close-out": CASE_SUPERVISORS,
    "reopen": CASE_RATERS,
    "rate": CASE_RATERS,
    "moderate": CASE_SUPERVISORS,
}

# --- What the sweep covers --------------------------------------------------------------------------
# Route name -> the kind of object its id names. The tests below request exactly these routes.

PAGE_LISTS = (
    "dashboard:home",
    "estates:list",
    "enterprises:list",
    "regions:browse",
    "governance:list",
    "cases:ledger",
    "campaigns:list",
)
PAGE_DETAILS = {
    "estates:detail": "estates",
    "enterprises:detail": "enterprises",
    "regions:detail": "regions",
    "cases:detail": "cases",
    "campaigns:detail": "campaigns",
}
OWNER_REVEAL = "estates:owner_reveal"  # (estate id, owner id), POST
# Page lists probed with every object of a kind as a filter value: (route, parameter, kind).
PAGE_FILTER_PROBES = (
    ("estates:list", "region", "regions"),
    ("estates:list", "enterprise", "enterprises"),
    ("governance:list", "estate", "estates"),
)

API_LISTS = {
    "api-region-list": "regions",
    "api-estate-list": "estates",
    "api-enterprise-list": "enterprises",
    "api-contract-list": "contracts",
    "api-owners-committee-list": "owners_committees",
    "api-management-committee-list": "management_committees",
    "api-unit-list": "units",
    "api-owner-list": "owners",
    "api-ownership-list": "ownerships",
    "api-case-list": "cases",
    "api-campaign-list": "campaigns",
}
API_DETAILS = {
    "api-region-detail": "regions",
    "api-estate-detail": "estates",
    "api-enterprise-detail": "enterprises",
    "api-contract-detail": "contracts",
    "api-owners-committee-detail": "owners_committees",
    "api-management-committee-detail": "management_committees",
    "api-unit-detail": "units",
    "api-owner-detail": "owners",
    "api-ownership-detail": "ownerships",
    "api-case-detail": "cases",
    "api-campaign-detail": "campaigns",
}
API_FILTER_PROBES = (
    ("api-region-list", "parent", "regions"),
    ("api-estate-list", "region", "regions"),
    ("api-estate-list", "enterprise", "enterprises"),
    ("api-contract-list", "estate", "estates"),
    ("api-contract-list", "enterprise", "enterprises"),
    ("api-owners-committee-list", "estate", "estates"),
    ("api-unit-list", "estate", "estates"),
    ("api-owner-list", "estate", "estates"),
    ("api-ownership-list", "estate", "estates"),
    ("api-ownership-list", "owner", "owners"),
    ("api-case-list", "estate", "estates"),
    ("api-case-list", "region", "regions"),
    ("api-case-list", "campaign", "campaigns"),
)


@dataclass(frozen=True)
class Write:
    """A write on one object, sent with an invalid body: in scope it reaches validation (400) and
    changes nothing; out of scope the lookup fails first (404)."""

    route: str
    method: str
    kind: str
    holders: frozenset[str]
    body: dict[str, Any]


API_WRITES = (
    Write("api-estate-detail", "patch", "estates", ESTATE_EDITORS, {"year_built": 1000}),
    Write("api-enterprise-detail", "patch", "enterprises", ENTERPRISE_EDITORS, {"name": ""}),
    Write("api-contract-terminate", "post", "contracts", CONTRACT_EDITORS, {}),
    Write("api-unit-detail", "patch", "units", ESTATE_EDITORS, {"exclusive_area": "0"}),
    Write("api-owner-detail", "patch", "owners", ESTATE_EDITORS, {"kind": "alien"}),
    Write("api-ownership-detail", "patch", "ownerships", ESTATE_EDITORS, {}),
    Write("api-ownership-end", "post", "ownerships", ESTATE_EDITORS, {}),
    Write("api-owners-committee-detail", "patch", "owners_committees", GOVERNANCE_EDITORS, {"term_end": "x"}),
    Write("api-owners-committee-end", "post", "owners_committees", GOVERNANCE_EDITORS, {}),
    *(Write(f"api-case-{name}", "post", "cases", holders, {}) for name, holders in CASE_TRANSITIONS.items()),
)


@dataclass(frozen=True)
class Probe:
    """A route on one object, for which out of scope must answer exactly as a missing id does (403 for
    whoever lacks the route's permission, whatever the id; otherwise 404), and in scope anything but 404.
    `args` turns the object (or None: the missing id) into the route's arguments."""

    route: str
    method: str
    kind: str
    args: Callable[[Model | None], list[Any]]
    api: bool = False


def own_id(obj: Model | None) -> list[Any]:
    return [obj.pk if obj else MISSING]


def transition_ids(name: str) -> Callable[[Model | None], list[Any]]:
    slug = name.replace("-", "_")  # the pages name transitions as the services do
    return lambda obj: [*own_id(obj), slug]


def attachment_ids(obj: Model | None) -> list[Any]:
    return [obj.case_id, obj.pk] if obj else [MISSING, MISSING]  # type: ignore[attr-defined]


PROBES = (
    *(Probe("cases:transition", "post", "cases", transition_ids(name)) for name in CASE_TRANSITIONS),
    Probe("cases:attach", "post", "cases", own_id),
    Probe("cases:complainant", "post", "cases", own_id),
    Probe("cases:attachment", "get", "attachments", attachment_ids),
    Probe("campaigns:edit", "get", "campaigns", own_id),
    Probe("campaigns:case_set", "post", "cases", own_id),
    # The registry's forms (an empty POST is an invalid form: nothing is written).
    Probe("estates:unit_new", "get", "estates", own_id),
    Probe("estates:unit_new", "post", "estates", own_id),
    Probe("estates:unit_edit", "get", "units", own_id),
    Probe("estates:unit_edit", "post", "units", own_id),
    Probe("estates:ownership_new", "get", "units", own_id),
    Probe("estates:ownership_new", "post", "units", own_id),
    Probe("estates:ownership_edit", "get", "ownerships", own_id),
    Probe("estates:ownership_end", "get", "ownerships", own_id),
    Probe("estates:ownership_end", "post", "ownerships", own_id),
    Probe("estates:owner_edit", "get", "owners", own_id),
    Probe("estates:owner_edit", "post", "owners", own_id),
    Probe("governance:committee_new", "get", "estates", own_id),
    Probe("governance:committee_new", "post", "estates", own_id),
    Probe("governance:committee_edit", "get", "owners_committees", own_id),
    Probe("governance:committee_edit", "post", "owners_committees", own_id),
    Probe("api-case-attachments", "get", "cases", own_id, api=True),
    Probe("api-case-attachments", "post", "cases", own_id, api=True),
    Probe("api-case-attachment", "get", "attachments", attachment_ids, api=True),
    Probe("api-case-reveal-complainant", "post", "cases", own_id, api=True),
)

SWEPT_ID_ROUTES = frozenset(
    {
        *PAGE_DETAILS,
        OWNER_REVEAL,
        *API_DETAILS,
        *(write.route for write in API_WRITES),
        *(probe.route for probe in PROBES),
    }
)
# Routes under the guarded prefixes that list no scoped objects, and why.
NOT_SCOPED_LISTS = {
    "api-auth-token": "the token exchange",
    "api-auth-logout": "revokes the caller's own token (jiayuan/accounts/tests/test_tokens.py)",
    "api-auth-logout-all": "revokes the caller's own tokens (jiayuan/accounts/tests/test_tokens.py)",
    "api-me": "the caller's own account",
    "api-case-counts": "numbers only, of the caller's ledger (scope: jiayuan/cases/tests/test_api.py)",
    "estates_import:upload": "an upload form; the import service checks each row's community",
    "estates_import:template": "an empty spreadsheet template",
    "enterprises_import:upload": "an upload form; the import service checks each row's region",
    "enterprises_import:template": "an empty spreadsheet template",
    "cases:export": "the ledger as xlsx, from the ledger selector (cases/tests/test_ledger_xlsx.py)",
    "cases:new": "the hotline entry form; filing checks the estate's scope",
    "cases:import": "an upload form; the import checks each row's estate",
    "cases:import_template": "an empty spreadsheet template",
    "campaigns:new": "a form; creating checks the region is the officer's own",
}
GUARDED_PREFIXES = ("estates/", "enterprises/", "regions/", "governance/", "cases/", "campaigns/", "api/v1/")


# --- The sweep world and each persona's expectations ------------------------------------------------


@pytest.fixture
def sweep_world(world: World) -> World:
    """The test world plus two management committees in district A (one ending soon, for the home
    page), so every API list has rows inside and outside some persona's reach."""
    today = timezone.localdate()
    for key, days_left in (("a1b", 400), ("a2a", 10)):
        committee = ManagementCommittee.objects.create(
            estate=world.estates[f"estate_{key}"],
            term_start=today - dt.timedelta(days=100),
            term_end=today + dt.timedelta(days=days_left),
        )
        ManagementCommitteeMember.objects.create(committee=committee, name=f"社区{key}主任", post="director")
    filer = actor_for(world.users["city_admin"])
    for key, estate in world.estates.items():  # one case per estate, with one photo
        case = case_file(
            actor=filer, estate=estate, category="everyday_cleaning", description="楼道", source="api"
        )
        CaseAttachment.objects.create(
            case=case,
            kind="photo",
            file=ContentFile(b"\x89PNG\r\n\x1a\n", name="photo.png"),
            original_name=f"现场照片-{key}.png",
            content_type="image/png",
            size=8,
            sha256="0" * 64,
            uploaded_at=timezone.now(),
        )
    for key in CAMPAIGN_REGIONS:
        Campaign.objects.create(
            name=f"专项行动-{key}",
            region=world.regions[key],
            starts_on=today,
            ends_on=today + dt.timedelta(days=90),
        )
    return world


def objects_of(world: World) -> dict[str, dict[str, Model]]:
    """Every object of the world, by kind and key. Committees and contracts are keyed by estate."""
    estate_key = {estate.pk: key.removeprefix("estate_") for key, estate in world.estates.items()}
    return {
        "regions": dict(world.regions),
        "estates": dict(world.estates),
        "enterprises": dict(world.enterprises),
        "contracts": dict(world.contracts),
        "owners_committees": {estate_key[c.estate_id]: c for c in OwnersCommittee.objects.all()},
        "management_committees": {estate_key[c.estate_id]: c for c in ManagementCommittee.objects.all()},
        "cases": {estate_key[c.estate_id]: c for c in Case.objects.all()},
        "attachments": {
            estate_key[a.case.estate_id]: a for a in CaseAttachment.objects.select_related("case")
        },
        "campaigns": {
            key: c for c in Campaign.objects.select_related("region") for key in [c.name.split("-")[1]]
        },
        "units": dict(world.units),
        "owners": dict(world.owners),
        "ownerships": {key: Ownership.objects.get(unit=unit) for key, unit in world.units.items()},
    }


@dataclass
class Reach:
    """What one persona must see, as keys of `objects_of(world)`, and what must never show."""

    persona: str
    world: World
    objects: dict[str, dict[str, Model]] = field(init=False)
    visible: dict[str, set[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.objects = objects_of(self.world)
        estates = set(EXPECTED_ESTATES[self.persona])
        short = {key.removeprefix("estate_") for key in estates}
        own = STAFF_OF.get(self.persona)
        own_pk = self.world.enterprises[own].pk if own else None
        self.visible = {
            "regions": set(REGION_REACH[self.persona]),
            "estates": estates,
            "enterprises": set(EXPECTED_ENTERPRISES[self.persona]),
            "contracts": {
                key
                for key, contract in self.world.contracts.items()
                if key in short or contract.enterprise_id == own_pk
            },
            "owners_committees": set(self.objects["owners_committees"]) & short,
            "management_committees": set(self.objects["management_committees"]) & short,
            "cases": set(self.objects["cases"]) & short,
            "attachments": set(self.objects["attachments"]) & short,
            "campaigns": set(CAMPAIGN_REACH[self.persona]),
            # Units are keyed "a1a_101": seen with their estate. Their owners (and so the ownerships)
            # only by those not bound to one estate: an owner does not list the neighbours.
            "units": {key for key in self.world.units if key.split("_")[0] in short},
            "owners": set()
            if self.persona in ESTATE_BOUND
            else {key for key in self.world.owners if key.split("_")[0] in short},
        }
        self.visible["ownerships"] = set(self.visible["owners"])

    def sees(self, kind: str, key: str) -> bool:
        return key in self.visible[kind]

    def pks(self, kind: str) -> set[int]:
        return {self.objects[kind][key].pk for key in self.visible[kind]}

    def key_of(self, kind: str, pk: int) -> str:
        return next((key for key, obj in self.objects[kind].items() if obj.pk == pk), f"#{pk}")

    def hidden(self, kind: str) -> dict[str, Model]:
        return {key: obj for key, obj in self.objects[kind].items() if key not in self.visible[kind]}

    def reveal_pairs(self) -> Iterator[tuple[str, str, bool]]:
        """Every (estate key, owner key) pair, and whether revealing that owner there is allowed."""
        for estate_key in self.world.estates:
            for owner_key in self.world.owners:
                allowed = (
                    self.persona in OWNER_REVEALERS
                    and self.sees("estates", estate_key)
                    and estate_key == f"estate_{owner_key.split('_')[0]}"
                )
                yield estate_key, owner_key, allowed

    @cached_property
    def hidden_words(self) -> list[tuple[str, str]]:
        """(text, what it is) that must appear in no page or API answer of this persona."""
        words = [(e.name, f"estate {key}") for key, e in self.hidden("estates").items()]
        for key, enterprise in self.hidden("enterprises").items():
            words += [(enterprise.name, f"enterprise {key}"), (enterprise.uscc, f"USCC of enterprise {key}")]
        words += [(c.filing_number, f"contract {key}") for key, c in self.hidden("contracts").items()]
        words += [(c.number, f"case {key}") for key, c in self.hidden("cases").items()]
        words += [(a.original_name, f"attachment {key}") for key, a in self.hidden("attachments").items()]
        words += [(c.name, f"campaign {key}") for key, c in self.hidden("campaigns").items()]
        return words

    @cached_property
    def hidden_links(self) -> list[tuple[str, str]]:
        """(URL, what it is) that no page of this persona may link to."""
        links = [
            (reverse(route, args=[obj.pk]), f"{kind} {key}")
            for route, kind in PAGE_DETAILS.items()
            for key, obj in self.hidden(kind).items()
        ]
        for estate_key, owner_key, allowed in self.reveal_pairs():
            if not allowed:
                url = reveal_url(self.world, estate_key, owner_key)
                links.append((url, f"reveal of owner {owner_key} in {estate_key}"))
        return links


def reveal_url(world: World, estate_key: str, owner_key: str) -> str:
    return reverse(OWNER_REVEAL, args=[world.estates[estate_key].pk, world.owners[owner_key].pk])


@dataclass
class Findings:
    """Every violation one persona's sweep finds, and how many checks it made."""

    persona: str
    reach: Reach
    problems: list[str] = field(default_factory=list)
    checks: int = 0

    def expect(self, condition: bool, message: str) -> bool:
        self.checks += 1
        if not condition:
            self.problems.append(f"{self.persona}: {message}")
        return condition

    def names_nothing_hidden(self, where: str, text: str, *, links: bool) -> None:
        for word, what in self.reach.hidden_words:
            self.expect(word not in text, f"{where} shows out-of-scope {what} ({word})")
        if links:
            for url, what in self.reach.hidden_links:
                self.expect(f'"{url}' not in text, f"{where} links to out-of-scope {what} ({url})")

    def report(self) -> str:
        return f"{len(self.problems)} scope violation(s):\n" + "\n".join(self.problems)


# --- Pages ------------------------------------------------------------------------------------------


def body_text(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def without_echo(response: Any) -> str:
    """The body, less the language switcher's echo of the address asked for (not a link)."""
    echo = f'name="next" value="{response.request["PATH_INFO"]}'
    return body_text(response).replace(echo, "")


def page(findings: Findings, response: Any, where: str, status: int) -> str:
    html = without_echo(response)
    findings.expect(
        response.status_code == status, f"{where} answered {response.status_code}, expected {status}"
    )
    findings.names_nothing_hidden(where, html, links=True)
    return html


def sweep_page_lists(client: Client, findings: Findings) -> None:
    reach = findings.reach
    shown = {}
    for route in PAGE_LISTS:
        url = reverse(route)
        shown[route] = page(findings, client.get(url), f"GET {url}", 200)
    # The lists name and link every object in scope (the world is smaller than a page).
    for key in reach.visible["estates"]:
        estate = reach.world.estates[key]
        for route in ("estates:list", "governance:list"):  # every estate has a committee
            findings.expect(estate.name in shown[route], f"{reverse(route)} does not list {key}")
        url = reverse("estates:detail", args=[estate.pk])
        findings.expect(f'"{url}"' in shown["estates:list"], f"the estate list does not link {key}")
    for key in reach.visible["enterprises"]:
        enterprise = reach.world.enterprises[key]
        url = reverse("enterprises:detail", args=[enterprise.pk])
        findings.expect(f'"{url}"' in shown["enterprises:list"], f"the enterprise list does not link {key}")
    # The region browser starts at the topmost regions in reach.
    for key in reach.visible["regions"]:
        region = reach.world.regions[key]
        parent_key = reach.key_of("regions", region.parent_id) if region.parent_id else None
        if parent_key not in reach.visible["regions"]:
            url = reverse("regions:detail", args=[region.pk])
            findings.expect(f'"{url}"' in shown["regions:browse"], f"the region browser omits root {key}")
    for route, param, kind in PAGE_FILTER_PROBES:
        for obj in [*reach.objects[kind].values(), None]:
            url = f"{reverse(route)}?{param}={obj.pk if obj else MISSING}"
            page(findings, client.get(url), f"GET {url}", 200)


def sweep_page_details(client: Client, findings: Findings) -> None:
    reach = findings.reach
    for route, kind in PAGE_DETAILS.items():
        url = reverse(route, args=[MISSING])
        page(findings, client.get(url), f"GET {url} (missing)", 404)
        for key, obj in reach.objects[kind].items():
            url = reverse(route, args=[obj.pk])
            visible = reach.sees(kind, key)
            html = page(findings, client.get(url), f"GET {url} ({kind} {key})", 200 if visible else 404)
            if visible and kind == "regions":
                for estate_key in reach.visible["estates"]:
                    estate = reach.world.estates[estate_key]
                    if estate.community_id == obj.pk:
                        findings.expect(estate.name in html, f"{url} does not list {estate_key}")
            if visible and kind == "enterprises":
                for contract_key in reach.visible["contracts"]:
                    contract = reach.world.contracts[contract_key]
                    if contract.enterprise_id == obj.pk:
                        findings.expect(
                            contract.filing_number in html, f"{url} does not list contract {contract_key}"
                        )


def sweep_owner_reveal(client: Client, findings: Findings) -> None:
    reach = findings.reach
    may_reveal = findings.persona in OWNER_REVEALERS
    refused = 404 if may_reveal else 403
    data = {"purpose": "范围核查"}
    some_estate = reach.world.estates["estate_a1a"].pk
    some_owner = reach.world.owners["a1a_101"].pk
    for estate_pk, owner_pk in ((MISSING, some_owner), (some_estate, MISSING)):
        url = reverse(OWNER_REVEAL, args=[estate_pk, owner_pk])
        page(findings, client.post(url, data), f"POST {url} (missing)", refused)
    for estate_key, owner_key, allowed in reach.reveal_pairs():
        url = reveal_url(reach.world, estate_key, owner_key)
        where = f"POST {url} (owner {owner_key} in {estate_key})"
        page(findings, client.post(url, data), where, 200 if allowed else refused)


def sweep_probes(client: Any, findings: Findings, *, api: bool) -> None:
    reach = findings.reach
    for probe in (p for p in PROBES if p.api == api):
        send = getattr(client, probe.method)
        missing_url = reverse(probe.route, args=probe.args(None))
        missing = send(missing_url)
        findings.expect(
            missing.status_code in (403, 404),
            f"{probe.method.upper()} {missing_url} (missing): {missing.status_code}",
        )
        for key, obj in reach.objects[probe.kind].items():
            url = reverse(probe.route, args=probe.args(obj))
            where = f"{probe.method.upper()} {url} ({probe.kind} {key})"
            response = send(url)
            findings.names_nothing_hidden(where, without_echo(response), links=not api)
            if reach.sees(probe.kind, key):
                findings.expect(response.status_code != 404, f"{where} answered 404 in scope")
            else:
                findings.expect(
                    response.status_code == missing.status_code,
                    f"{where} answered {response.status_code}, a missing id {missing.status_code}",
                )


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_list_and_open_only_what_is_in_scope(client, sweep_world, persona, record_property):
    findings = Findings(persona, Reach(persona, sweep_world))
    client.force_login(sweep_world.users[persona])

    sweep_page_lists(client, findings)
    sweep_page_details(client, findings)
    sweep_owner_reveal(client, findings)
    sweep_probes(client, findings, api=False)

    record_property("checks", findings.checks)
    assert not findings.problems, findings.report()


# --- API --------------------------------------------------------------------------------------------

# fetch(method, path, body) -> (status, decoded JSON body)
Fetch = Callable[[str, str, dict[str, Any] | None], tuple[int, Any]]


def drf_fetch(client: Any) -> Fetch:
    def fetch(method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        send = getattr(client, method)
        response = send(path) if body is None else send(path, body, format="json")
        return response.status_code, json.loads(response.content or b"null")

    return fetch


def http_fetch(client: Any) -> Fetch:
    def fetch(method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        response = client.request(method.upper(), path, json=body)
        return response.status_code, response.json() if response.content else None

    return fetch


def as_text(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False)


def is_not_found(body: Any) -> bool:
    error = body.get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and error.get("code") == "not_found"


def listed_ids(fetch: Fetch, findings: Findings, url: str) -> list[int] | None:
    """Every id of a list endpoint, walking all its pages."""
    ids: list[int] = []
    separator = "&" if "?" in url else "?"
    next_url: str | None = f"{url}{separator}page_size=200"
    while next_url:
        status, body = fetch("get", next_url, None)
        if not findings.expect(status == 200, f"GET {next_url} answered {status}"):
            return None
        findings.names_nothing_hidden(f"GET {next_url}", as_text(body), links=False)
        ids += [row["id"] for row in body["results"]]
        if not body["next"] and "count" in body:  # a list paged by cursor has no count
            findings.expect(body["count"] == len(ids), f"GET {url}: the count disagrees with the rows")
        next_url = body["next"] and "{0.path}?{0.query}".format(urlsplit(body["next"]))
    findings.expect(len(ids) == len(set(ids)), f"GET {url} lists a row twice: {sorted(ids)}")
    return ids


def sweep_api_lists(fetch: Fetch, findings: Findings, *, probes: bool) -> None:
    reach = findings.reach
    for route, kind in API_LISTS.items():
        url = reverse(route)
        ids = listed_ids(fetch, findings, url)
        if ids is None:
            continue
        extra = sorted(reach.key_of(kind, pk) for pk in set(ids) - reach.pks(kind))
        missing = sorted(reach.key_of(kind, pk) for pk in reach.pks(kind) - set(ids))
        findings.expect(not extra, f"GET {url} lists out-of-scope {kind}: {extra}")
        findings.expect(not missing, f"GET {url} omits {kind} in scope: {missing}")
    for route, param, kind in API_FILTER_PROBES if probes else ():
        listed_kind = API_LISTS[route]
        for obj in [*reach.objects[kind].values(), None]:
            url = f"{reverse(route)}?{param}={obj.pk if obj else MISSING}"
            ids = listed_ids(fetch, findings, url) or []
            extra = sorted(reach.key_of(listed_kind, pk) for pk in set(ids) - reach.pks(listed_kind))
            findings.expect(not extra, f"GET {url} lists out-of-scope {listed_kind}: {extra}")


def sweep_api_details(fetch: Fetch, findings: Findings) -> None:
    reach = findings.reach
    for route, kind in API_DETAILS.items():
        url = reverse(route, args=[MISSING])
        status, missing_body = fetch("get", url, None)
        findings.expect(status == 404 and is_not_found(missing_body), f"GET {url} (missing): {status}")
        for key, obj in reach.objects[kind].items():
            url = reverse(route, args=[obj.pk])
            where = f"GET {url} ({kind} {key})"
            status, body = fetch("get", url, None)
            findings.names_nothing_hidden(where, as_text(body), links=False)
            if reach.sees(kind, key):
                findings.expect(status == 200 and body.get("id") == obj.pk, f"{where} answered {status}")
            else:
                findings.expect(status == 404, f"{where} answered {status}, expected 404: {body}")
                findings.expect(body == missing_body, f"{where} differs from a missing id: {body}")


def sweep_api_writes(fetch: Fetch, findings: Findings) -> None:
    reach = findings.reach
    for write in API_WRITES:
        allowed = findings.persona in write.holders
        url = reverse(write.route, args=[MISSING])
        status, missing_body = fetch(write.method, url, write.body)
        refused = 404 if allowed else 403
        findings.expect(status == refused, f"{write.method.upper()} {url} (missing): {status}")
        for key, obj in reach.objects[write.kind].items():
            url = reverse(write.route, args=[obj.pk])
            where = f"{write.method.upper()} {url} ({write.kind} {key})"
            status, body = fetch(write.method, url, write.body)
            findings.names_nothing_hidden(where, as_text(body), links=False)
            expected = (400 if reach.sees(write.kind, key) else 404) if allowed else 403
            findings.expect(status == expected, f"{where} answered {status}, expected {expected}: {body}")
            if status != 400:
                findings.expect(body == missing_body, f"{where} differs from a missing id: {body}")


def sweep_api(fetch: Fetch, findings: Findings, *, probes: bool = True) -> None:
    """Lists (and, with `probes`, each list filtered by every object of the world), details, writes."""
    sweep_api_lists(fetch, findings, probes=probes)
    sweep_api_details(fetch, findings)
    sweep_api_writes(fetch, findings)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_lists_and_returns_only_what_is_in_scope(drf_api, sweep_world, persona, record_property):
    findings = Findings(persona, Reach(persona, sweep_world))

    client = drf_api(persona)
    sweep_api(drf_fetch(client), findings)
    sweep_probes(client, findings, api=True)

    record_property("checks", findings.checks)
    assert not findings.problems, findings.report()


def test_the_api_holds_scope_over_http_for_the_two_districts(api, sweep_world, record_property):
    """The same sweep through a live server with real bearer tokens, district A against district B
    (the filter probes, which test nothing about the wire, only in process)."""
    problems: list[str] = []
    checks = 0
    for persona in ("district_a_officer", "district_b_officer"):
        findings = Findings(persona, Reach(persona, sweep_world))
        sweep_api(http_fetch(api(persona)), findings, probes=False)
        problems += findings.problems
        checks += findings.checks
    record_property("checks", checks)
    assert not problems, "\n".join(problems)


# --- The sweep proves something, and covers every route ---------------------------------------------


def test_every_kind_has_objects_inside_and_outside_some_personas_reach(sweep_world):
    for kind, objects in objects_of(sweep_world).items():
        reaches = [Reach(persona, sweep_world).visible[kind] for persona in PERSONAS]
        assert any(0 < len(seen) < len(objects) for seen in reaches), kind
    assert set(REGION_REACH) == set(EXPECTED_ESTATES) == set(EXPECTED_ENTERPRISES)


@dataclass(frozen=True)
class Route:
    path: str
    name: str | None
    takes_id: bool


def routes(patterns: list[Any], prefix: str = "", namespace: str = "", groups: int = 0) -> Iterator[Route]:
    """Every URL pattern of the project, with its full path, namespaced name and whether it takes
    an argument (a converter like `<int:pk>` or a regex group like DRF's `(?P<pk>[^/.]+)`)."""
    for pattern in patterns:
        path = prefix + re.sub(r"^\^|\$$", "", str(pattern.pattern))
        found = groups + pattern.pattern.regex.groups
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, path, inner, found)
        elif isinstance(pattern, URLPattern):
            yield Route(path, f"{namespace}{pattern.name}" if pattern.name else None, found > 0)


def guarded_routes() -> list[Route]:
    return [route for route in routes(get_resolver().url_patterns) if route.path.startswith(GUARDED_PREFIXES)]


def test_every_route_taking_an_object_id_is_swept():
    found = [route for route in guarded_routes() if route.takes_id]
    uncovered = sorted(f"{route.name} ({route.path})" for route in found if route.name not in SWEPT_ID_ROUTES)
    assert not uncovered, f"Routes taking an object id with no entry in the scope sweep: {uncovered}"
    stale = SWEPT_ID_ROUTES - {route.name for route in found}
    assert not stale, f"Sweep entries naming no route with an object id: {sorted(stale)}"


def test_every_other_route_is_a_swept_list_or_lists_nothing_scoped():
    swept = {*PAGE_LISTS, *API_LISTS}
    others = [route for route in guarded_routes() if not route.takes_id]
    unexplained = sorted(
        f"{route.name} ({route.path})" for route in others if route.name not in swept | set(NOT_SCOPED_LISTS)
    )
    assert not unexplained, f"Routes neither swept as a list nor exempt with a reason: {unexplained}"
    known = {route.name for route in routes(get_resolver().url_patterns)}
    assert not (swept | set(NOT_SCOPED_LISTS)) - known
