"""The scoping module resolves every persona to the reach the rules give it, on every scoped model."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from jiayuan.accounts.choices import OrganisationKind, Role
from jiayuan.accounts.models import Membership, Organisation, User
from jiayuan.campaigns.models import Campaign
from jiayuan.cases.links import case_follow_token
from jiayuan.cases.models import Case, CaseAttachment, CaseEvent, CaseFollowLink
from jiayuan.cases.services import case_file
from jiayuan.core.actor import actor_for, system_actor
from jiayuan.enterprises.models import Enterprise, ProjectManager, ServiceContract
from jiayuan.enterprises.services import contract_terminate
from jiayuan.estates.models import Building, Estate, Owner, Ownership, Unit
from jiayuan.governance.models import (
    ManagementCommittee,
    ManagementCommitteeMember,
    OwnersAssembly,
    OwnersCommittee,
    OwnersCommitteeMember,
)
from jiayuan.notifications.models import OutboundMessage, VerificationCode
from jiayuan.open311.models import ApiClient
from jiayuan.regions.models import Department, Region
from jiayuan.testing.world import EXPECTED_ENTERPRISES, EXPECTED_ESTATES, estate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", sorted(EXPECTED_ESTATES))
def test_each_persona_sees_exactly_its_estates(world, actor_of, persona):
    names = {
        key
        for key, obj in world.estates.items()
        if Estate.objects.visible_to(actor_of(persona)).filter(pk=obj.pk).exists()
    }
    assert names == EXPECTED_ESTATES[persona]


@pytest.mark.parametrize("persona", sorted(EXPECTED_ENTERPRISES))
def test_each_persona_sees_exactly_its_enterprises(world, actor_of, persona):
    visible = set(Enterprise.objects.visible_to(actor_of(persona)).values_list("pk", flat=True))
    names = {key for key, ent in world.enterprises.items() if ent.pk in visible}
    assert names == EXPECTED_ENTERPRISES[persona]


# --- Every scoped model, every persona ------------------------------------------------------------
# The expected rows are computed here in plain Python from the world's data and each persona's one
# membership, independently of the Q objects in jiayuan.core.scoping.

PERSONAS = sorted(EXPECTED_ESTATES)


@pytest.fixture
def full_world(world):
    """The world plus a row of every scoped model in both districts."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=100)
    for key in ("a1a", "b1a"):
        OwnersAssembly.objects.create(estate=world.estates[f"estate_{key}"])
    b1a_committee = OwnersCommittee.objects.get(estate=world.estates["estate_b1a"])
    OwnersCommitteeMember.objects.create(committee=b1a_committee, name="钱主任", post="director")
    for key in ("a1b", "a2a"):
        committee = ManagementCommittee.objects.create(
            estate=world.estates[f"estate_{key}"], term_start=start, term_end=today + dt.timedelta(days=300)
        )
        ManagementCommitteeMember.objects.create(committee=committee, name=f"社区{key}", post="director")
    Department.objects.create(kind="fire", name="银川市消防救援支队", region=world.regions["city"])
    Department.objects.create(
        kind="enforcement", name="黄河东路街道综合执法队", region=world.regions["sub_b1"]
    )
    ent_y = Organisation.objects.create(
        kind=OrganisationKind.ENTERPRISE,
        name=world.enterprises["enterprise_y"].name,
        region=world.regions["district_b"],
        enterprise=world.enterprises["enterprise_y"],
    )
    staff_y = User.objects.create_user(username="enterprise_y_staff", password="x")
    Membership.objects.create(user=staff_y, organisation=ent_y, role=Role.ENTERPRISE_STAFF)
    committee_b1a = Organisation.objects.create(
        kind=OrganisationKind.OWNERS_COMMITTEE,
        name="阅海湾业委会",
        region=world.regions["com_b1a"],
        estate=world.estates["estate_b1a"],
    )
    member_b1a = User.objects.create_user(username="committee_b1a_member", password="x")
    Membership.objects.create(user=member_b1a, organisation=committee_b1a, role=Role.COMMITTEE_MEMBER)
    for key in ("a1a", "sub_b1", "city"):
        Campaign.objects.create(
            name=f"专项行动{key}",
            region=world.regions[key if key != "a1a" else "sub_a1"],
            starts_on=start,
            ends_on=today,
        )
    for key in ("a1a", "a1b", "b1a"):
        case = case_file(
            actor=system_actor(),
            estate=world.estates[f"estate_{key}"],
            category="everyday_cleaning",
            description="楼道垃圾无人清理",
            source="hotline_12345",
        )
        CaseAttachment.objects.create(
            case=case,
            kind="photo",
            file=ContentFile(b"\x89PNG", name="photo.png"),
            original_name="现场照片.png",
            content_type="image/png",
            size=4,
            sha256="0" * 64,
            uploaded_at=timezone.now(),
        )
        case_follow_token(case)
    # The outbox and verification codes belong to no region: only system actors see them.
    OutboundMessage.objects.create(recipient="13912345678", text="测试短信", purpose="reminder")
    VerificationCode.objects.create(
        phone="13912345678", purpose="case_intake", code_hash="0" * 64, expires_at=timezone.now()
    )
    # Open311 clients are platform configuration: only system actors see them.
    ApiClient.objects.create(name="12345热线", region=world.regions["district_a"], key_hash="1" * 64)
    return world


def reach(world, persona: str) -> tuple[str, Any]:
    """What the persona's one membership reaches: ("all", None), ("region", path), ("enterprise", id),
    or ("estate", id)."""
    membership = world.users[persona].memberships.select_related("organisation__region").get()
    org = membership.organisation
    if membership.role == Role.SYSTEM_ADMIN:
        return "all", None
    if org.kind == OrganisationKind.ENTERPRISE:
        return "enterprise", org.enterprise_id
    if org.kind in (OrganisationKind.OWNERS_COMMITTEE, OrganisationKind.OWNERS_ASSEMBLY):
        return "estate", org.estate_id
    return "region", org.region.path


def estate_ids(world, persona: str) -> set[int]:
    return {world.estates[key].pk for key in EXPECTED_ESTATES[persona]}


def enterprise_ids(world, persona: str) -> set[int]:
    return {world.enterprises[key].pk for key in EXPECTED_ENTERPRISES[persona]}


def by_estate(attr: str) -> Callable[..., set[int]]:
    def expected(world, persona: str, model: Any) -> set[int]:
        seen = estate_ids(world, persona)
        return {row.pk for row in model.objects.all() if attr_of(row, attr) in seen}

    return expected


def attr_of(row: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        row = getattr(row, part)
    return row


def expected_regions(world, persona, model):
    kind, value = reach(world, persona)
    if kind == "all":
        return set(Region.objects.values_list("pk", flat=True))
    if kind == "region":
        return {r.pk for r in Region.objects.all() if r.path.startswith(value)}
    return {e.community_id for e in world.estates.values() if e.pk in estate_ids(world, persona)}


def expected_departments(world, persona, model):
    kind, value = reach(world, persona)
    if kind == "all":
        return set(Department.objects.values_list("pk", flat=True))
    if kind != "region":
        return set()
    return {
        d.pk
        for d in Department.objects.select_related("region")
        if d.region.path.startswith(value) or value.startswith(d.region.path)
    }


def expected_campaigns(world, persona, model):
    kind, value = reach(world, persona)
    if kind == "all":
        return set(Campaign.objects.values_list("pk", flat=True))
    if kind != "region":
        return set()
    return {
        c.pk
        for c in Campaign.objects.select_related("region")
        if c.region.path.startswith(value) or value.startswith(c.region.path)
    }


def expected_owners(world, persona, model):
    kind, _value = reach(world, persona)
    if kind == "estate":
        return set()  # owners' committee members and owners list no owners' records
    seen = estate_ids(world, persona)
    return {o.owner_id for o in Ownership.objects.select_related("unit") if o.unit.estate_id in seen}


def expected_enterprises(world, persona, model):
    return enterprise_ids(world, persona)


def expected_managers(world, persona, model):
    return {m.pk for m in ProjectManager.objects.all() if m.enterprise_id in enterprise_ids(world, persona)}


def expected_contracts(world, persona, model):
    kind, value = reach(world, persona)
    seen = estate_ids(world, persona)
    return {
        c.pk
        for c in ServiceContract.objects.all()
        if c.estate_id in seen or (kind == "enterprise" and c.enterprise_id == value)
    }


def expected_organisations(world, persona, model):
    kind, value = reach(world, persona)
    rows = Organisation.objects.select_related("region")
    if kind == "all":
        return {o.pk for o in rows}
    if kind == "region":
        return {o.pk for o in rows if o.region.path.startswith(value)}
    if kind == "enterprise":
        return {o.pk for o in rows if o.enterprise_id == value}
    return {o.pk for o in rows if o.estate_id == value}


def expected_memberships(world, persona, model):
    orgs = expected_organisations(world, persona, Organisation)
    return {m.pk for m in Membership.objects.all() if m.organisation_id in orgs}


def system_only(world, persona, model):
    kind, _value = reach(world, persona)
    return set(model.objects.values_list("pk", flat=True)) if kind == "all" else set()


EXPECTATIONS: dict[type, Callable[..., set[int]]] = {
    Region: expected_regions,
    Department: expected_departments,
    Estate: by_estate("pk"),
    Building: by_estate("estate_id"),
    Unit: by_estate("estate_id"),
    Owner: expected_owners,
    Ownership: by_estate("unit.estate_id"),
    Enterprise: expected_enterprises,
    ProjectManager: expected_managers,
    ServiceContract: expected_contracts,
    OwnersAssembly: by_estate("estate_id"),
    OwnersCommittee: by_estate("estate_id"),
    OwnersCommitteeMember: by_estate("committee.estate_id"),
    ManagementCommittee: by_estate("estate_id"),
    ManagementCommitteeMember: by_estate("committee.estate_id"),
    Organisation: expected_organisations,
    Membership: expected_memberships,
    Case: by_estate("estate_id"),
    CaseEvent: by_estate("case.estate_id"),
    CaseAttachment: by_estate("case.estate_id"),
    CaseFollowLink: by_estate("case.estate_id"),
    Campaign: expected_campaigns,
    OutboundMessage: system_only,
    VerificationCode: system_only,
    ApiClient: system_only,
}


def mismatches(persona: str, found: dict[type, set[int]], expected: dict[type, set[int]]) -> list[str]:
    lines = []
    for model, want in expected.items():
        got = found[model]
        if got != want:
            lines.append(
                f"{persona} / {model.__name__}: extra {sorted(got - want)}, missing {sorted(want - got)}"
            )
    return lines


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_exactly_its_rows_of_every_scoped_model(full_world, actor_of, persona):
    actor = actor_of(persona)
    found = {m: set(m.objects.visible_to(actor).values_list("pk", flat=True)) for m in EXPECTATIONS}
    expected = {m: expect(full_world, persona, m) for m, expect in EXPECTATIONS.items()}
    assert not mismatches(persona, found, expected)


def test_every_model_has_rows_inside_and_outside_some_personas_reach(full_world):
    """The sweep proves something only if each model has rows that some persona must not see."""
    for model, expect in EXPECTATIONS.items():
        total = model.objects.count()
        assert total > 0, model.__name__
        assert any(len(expect(full_world, p, model)) < total for p in PERSONAS), model.__name__


def test_a_user_with_no_membership_sees_no_row_of_any_model(full_world):
    nobody = actor_for(User.objects.create_user(username="nobody", password="x"))
    assert [m.__name__ for m in EXPECTATIONS if m.objects.visible_to(nobody).exists()] == []


def test_the_system_actor_sees_every_row(full_world):
    actor = system_actor()
    assert [
        m.__name__ for m in EXPECTATIONS if m.objects.visible_to(actor).count() != m.objects.count()
    ] == []


@pytest.mark.parametrize("persona", ["subdistrict_a1_officer", "enterprise_x_staff", "owner_of_a1a_101"])
def test_can_see_agrees_with_visible_to(full_world, actor_of, persona):
    actor = actor_of(persona)
    for model in EXPECTATIONS:
        visible = set(model.objects.visible_to(actor).values_list("pk", flat=True))
        for row in model.objects.all():
            assert actor.can_see(row) == (row.pk in visible), (model.__name__, row.pk)


class TestEnterpriseReachFollowsContracts:
    def test_enterprise_staff_stop_seeing_an_estate_when_their_contract_is_terminated(self, world, actor_of):
        contract = world.contracts["b1a"]
        contract_terminate(
            actor=actor_of("district_b_officer"),
            contract=contract,
            on=timezone.localdate() - dt.timedelta(days=1),
            reason="业主大会解聘",
        )
        staff = actor_of("enterprise_x_staff")
        b1a = world.estates["estate_b1a"]
        assert set(Estate.objects.visible_to(staff)) == {world.estates["estate_a1a"]}
        assert not Unit.objects.visible_to(staff).filter(estate=b1a).exists()
        assert not Owner.objects.visible_to(staff).filter(ownerships__unit__estate=b1a).exists()
        assert not OwnersCommittee.objects.visible_to(staff).filter(estate=b1a).exists()
        assert not Region.objects.visible_to(staff).filter(pk=b1a.community_id).exists()
        # Their own contract stays on their record.
        assert ServiceContract.objects.visible_to(staff).filter(pk=contract.pk).exists()

    def test_a_contract_ending_today_still_counts_today(self, world, actor_of):
        contract = world.contracts["b1a"]
        contract_terminate(
            actor=actor_of("district_b_officer"),
            contract=contract,
            on=timezone.localdate(),
            reason="到期前解除",
        )
        assert actor_of("enterprise_x_staff").can_see(world.estates["estate_b1a"])

    def test_a_contract_not_yet_started_gives_no_reach(self, world, actor_of):
        new_estate = estate("未来城", world.regions["com_a2a"])
        ServiceContract.objects.create(
            enterprise=world.enterprises["enterprise_x"],
            estate=new_estate,
            kind="early_stage",
            start_date=timezone.localdate() + dt.timedelta(days=1),
            service_grade=1,
            fee_per_m2_month="1.00",
        )
        assert not actor_of("enterprise_x_staff").can_see(new_estate)

    def test_a_void_contract_gives_no_reach(self, world, actor_of):
        new_estate = estate("误录园", world.regions["com_a2a"])
        ServiceContract.objects.create(
            enterprise=world.enterprises["enterprise_x"],
            estate=new_estate,
            kind="regular",
            start_date=timezone.localdate() - dt.timedelta(days=10),
            service_grade=1,
            fee_per_m2_month="1.00",
            status="void",
        )
        assert not actor_of("enterprise_x_staff").can_see(new_estate)
