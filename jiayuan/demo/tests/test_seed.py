"""The demo city: deterministic, complete, and every demo login sees a sensible part of it."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.test import TestCase, override_settings
from django.utils import timezone, translation

from jiayuan.accounts.choices import ROLE_ORGANISATION_KINDS, Role
from jiayuan.accounts.models import Membership, User
from jiayuan.audit.models import AuditEvent
from jiayuan.cases.choices import Outcome, State
from jiayuan.cases.models import Case
from jiayuan.core.actor import actor_for
from jiayuan.demo.digest import city_digest, section_digests
from jiayuan.demo.logins import DEMO_LOGINS
from jiayuan.demo.people import is_valid_id_number
from jiayuan.enterprises.models import Enterprise, ServiceContract
from jiayuan.enterprises.uscc import validate_uscc
from jiayuan.estates.choices import ManagementMode, OwnerKind
from jiayuan.estates.models import Estate, Owner, Ownership, Unit
from jiayuan.governance.models import ManagementCommittee, OwnersCommittee
from jiayuan.policy.loader import load_preset
from jiayuan.regions.models import Region

PASSWORD = "demo-password-for-tests-9"
ANCHOR = "2026-01-15"
CENT = Decimal("0.01")


class Rollback(Exception):
    pass


def seed(*extra: str) -> None:
    call_command("seed", "--scale", "demo", "--demo-password", PASSWORD, *extra, stdout=StringIO())


def digest_after_seeding(seed_number: int) -> str:
    """Seed in a savepoint, take the digest, and roll the city back out again."""
    result = ""
    try:
        with transaction.atomic():
            seed("--seed", str(seed_number), "--today", ANCHOR, "--cases", "12")
            result = city_digest()
            raise Rollback
    except Rollback:
        pass
    assert not Region.objects.exists()
    return result


FIRST_DIGEST: dict[int, str] = {}


def first_digest(seed_number: int) -> str:
    if seed_number not in FIRST_DIGEST:
        FIRST_DIGEST[seed_number] = digest_after_seeding(seed_number)
    return FIRST_DIGEST[seed_number]


@pytest.mark.django_db
def test_the_same_seed_and_anchor_date_give_the_same_city():
    assert digest_after_seeding(3) == first_digest(3)


@pytest.mark.django_db
def test_another_seed_gives_another_city():
    assert digest_after_seeding(4) != first_digest(3)


@pytest.mark.django_db
def test_if_empty_leaves_a_database_with_regions_alone():
    Region.objects.create(code="640100000000", name="银川市", level="city", path="640100000000/")
    seed("--if-empty")
    assert Region.objects.count() == 1
    assert not Estate.objects.exists()


@pytest.mark.django_db
def test_it_refuses_to_seed_over_existing_data():
    Region.objects.create(code="640100000000", name="银川市", level="city", path="640100000000/")
    with pytest.raises(CommandError):
        seed()


def visible(username: str) -> set[int]:
    user = User.objects.get(username=username)
    return set(Estate.objects.visible_to(actor_for(user)).values_list("pk", flat=True))


class TheDemoCity(TestCase):
    """One seeded demo city (anchored today, as scope is computed today) for the checks below."""

    @classmethod
    def setUpTestData(cls) -> None:
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            seed("--seed", "1", "--cases", "90")

    def setUp(self) -> None:
        self.today = timezone.localdate()
        self.all_estates = set(Estate.objects.values_list("pk", flat=True))

    def test_every_demo_login_logs_in_and_reaches_its_home_page(self):
        for login in DEMO_LOGINS:
            client = self.client_class()
            logged_in = client.post("/accounts/login/", {"username": login.username, "password": PASSWORD})
            assert logged_in.status_code == 302, login.username
            response = client.get(logged_in["Location"])
            assert response.status_code == 200, login.username
            for page in ("/estates/", "/enterprises/", "/regions/", "/governance/"):
                assert client.get(page).status_code == 200, (login.username, page)

    def test_every_demo_login_with_a_ledger_has_cases_in_it_and_not_all_of_them(self):
        total = Case.objects.count()
        for username in (
            "demo_district",
            "demo_subdistrict",
            "demo_community",
            "demo_enterprise",
            "demo_committee",
            "demo_owner",
        ):
            seen = Case.objects.visible_to(actor_for(User.objects.get(username=username))).count()
            assert 0 < seen < total, username
        assert Case.objects.visible_to(actor_for(User.objects.get(username="demo_city"))).count() == total

    def test_the_demo_cases_have_lived_every_kind_of_life(self):
        states = set(Case.objects.values_list("state", flat=True))
        assert {State.SUBMITTED, State.IN_PROGRESS, State.RECTIFIED, State.CLOSED_OUT} <= states
        closed = Case.objects.filter(state=State.CLOSED_OUT)
        assert closed.filter(outcome=Outcome.FIXED, rating__isnull=False).exists()
        assert closed.exclude(outcome=Outcome.FIXED).exists()
        assert Case.objects.filter(escalation_level__gt=0).exists()
        # Every case has its full timeline: one event per step, starting with the filing.
        assert (
            not Case.objects.annotate(n=Count("events", filter=Q(events__transition="file")))
            .exclude(n=1)
            .exists()
        )

    def test_it_has_the_six_districts_and_counties_of_yinchuan_with_their_codes(self):
        districts = dict(Region.objects.filter(level="district").values_list("code", "name"))
        assert districts == {
            "640104000000": "兴庆区",
            "640105000000": "西夏区",
            "640106000000": "金凤区",
            "640121000000": "永宁县",
            "640122000000": "贺兰县",
            "640181000000": "灵武市",
        }
        assert Region.objects.get(level="city").code == "640100000000"
        for district in Region.objects.filter(level="district"):
            subdistricts = district.children.all()
            assert 2 <= len(subdistricts) <= 3
            for subdistrict in subdistricts:
                assert subdistrict.code.startswith(district.code[:6]) and subdistrict.code.endswith("000")
                assert 2 <= subdistrict.children.count() <= 3
                assert all(c.name.endswith("社区") for c in subdistrict.children.all())

    def test_every_demo_login_exists_with_its_role_in_the_right_kind_of_organisation(self):
        for login in DEMO_LOGINS:
            user = User.objects.get(username=login.username)
            membership = Membership.objects.select_related("organisation").get(user=user)
            assert membership.role == login.role
            assert membership.organisation.kind in ROLE_ORGANISATION_KINDS[login.role]
        assert User.objects.get(username="demo_admin").is_staff
        assert User.objects.get(username="demo_city").check_password(PASSWORD)

    def test_the_city_and_the_auditor_and_the_admin_see_every_estate(self):
        for username in ("demo_city", "demo_auditor", "demo_admin"):
            assert visible(username) == self.all_estates

    def test_each_level_down_sees_a_smaller_part_of_the_city(self):
        district, subdistrict, community = (
            visible("demo_district"),
            visible("demo_subdistrict"),
            visible("demo_community"),
        )
        assert community and community < subdistrict < district < self.all_estates
        assert district == set(
            Estate.objects.filter(community__code__startswith="640104").values_list("pk", flat=True)
        )

    def test_the_department_officer_sees_the_estates_of_its_department_region(self):
        user = User.objects.get(username="demo_department")
        organisation = Membership.objects.get(user=user).organisation
        assert organisation.department is not None
        expected = set(
            Estate.objects.filter(community__path__startswith=organisation.region.path).values_list(
                "pk", flat=True
            )
        )
        assert expected and visible("demo_department") == expected
        if "police" in load_preset("yinchuan").departments:
            assert organisation.department.kind == "police"

    def test_the_enterprise_sees_exactly_the_estates_it_serves_in_more_than_one_district(self):
        enterprise = Membership.objects.get(user__username="demo_enterprise").organisation.enterprise
        served = set(
            ServiceContract.objects.in_force_on(self.today)
            .filter(enterprise=enterprise)
            .values_list("estate_id", flat=True)
        )
        assert len(served) >= 2
        assert visible("demo_enterprise") == served
        districts = {
            code[:6]
            for code in Estate.objects.filter(pk__in=served).values_list("community__code", flat=True)
        }
        assert len(districts) >= 2

    def test_the_committee_member_and_the_owner_see_their_own_estate(self):
        committee_estate = Membership.objects.get(user__username="demo_committee").organisation.estate
        assert committee_estate is not None
        assert visible("demo_committee") == {committee_estate.pk}
        assert OwnersCommittee.objects.active().filter(estate=committee_estate).count() == 1
        owner = Owner.objects.get(user__username="demo_owner")
        assert visible("demo_owner") == {committee_estate.pk}
        assert Ownership.objects.filter(owner=owner, unit__estate=committee_estate).exists()
        assert committee_estate.pk in visible("demo_community")
        assert committee_estate.pk in visible("demo_enterprise")

    def test_unit_counts_and_areas_equal_the_units(self):
        totals = Unit.objects.values("estate_id").annotate(n=Count("id"), area=Sum("exclusive_area"))
        # (SQLite sums decimals as floats: round back to the cent.)
        by_estate = {row["estate_id"]: (row["n"], row["area"].quantize(CENT)) for row in totals}
        for estate in Estate.objects.all():
            assert by_estate[estate.pk] == (estate.unit_count, estate.total_exclusive_area)
        assert not Unit.objects.filter(Q(exclusive_area__lt=60) | Q(exclusive_area__gt=160)).exists()
        assert not Unit.objects.filter(ownerships__isnull=True).exists()

    def test_every_enterprise_managed_estate_has_exactly_one_contract_in_force_today(self):
        in_force = ServiceContract.objects.in_force_on(self.today)
        counts = dict(in_force.values("estate_id").annotate(n=Count("id")).values_list("estate_id", "n"))
        managed = Estate.objects.filter(management_mode=ManagementMode.ENTERPRISE)
        assert managed.exists()
        for estate_id in managed.values_list("pk", flat=True):
            assert counts.get(estate_id) == 1
        assert not in_force.exclude(estate__management_mode=ManagementMode.ENTERPRISE).exists()
        assert ServiceContract.objects.filter(end_date__lt=self.today).exists()
        assert ServiceContract.objects.filter(kind="early_stage").exists()

    def test_all_four_management_modes_occur_most_estates_by_an_enterprise(self):
        modes = dict(
            Estate.objects.values("management_mode")
            .annotate(n=Count("id"))
            .values_list("management_mode", "n")
        )
        assert set(modes) == set(ManagementMode.values)
        assert modes[ManagementMode.ENTERPRISE] > sum(modes.values()) / 2

    def test_enterprise_codes_and_owner_id_numbers_are_valid(self):
        for uscc in Enterprise.objects.values_list("uscc", flat=True):
            validate_uscc(uscc)
        people = Owner.objects.filter(kind=OwnerKind.PERSON).values_list("id_number", flat=True)
        assert all(is_valid_id_number(number) for number in people)
        assert len(set(people)) == len(people)
        for uscc in Owner.objects.filter(kind=OwnerKind.ORGANISATION).values_list("id_number", flat=True):
            validate_uscc(uscc)

    def test_some_committee_terms_end_within_the_warning_period(self):
        days = load_preset("yinchuan").data.governance.term_warning.days
        ending = OwnersCommittee.objects.ending_within(today=self.today, days=days)
        assert ending.exists()
        assert OwnersCommittee.objects.active().count() > ending.count()

    def test_management_committees_stand_in_only_where_there_is_no_owners_committee(self):
        assert ManagementCommittee.objects.exists()
        with_both = ManagementCommittee.objects.filter(
            estate__owners_committees__status="active", status="active"
        )
        assert not with_both.exists()
        assert all(c.members.count() >= 3 for c in ManagementCommittee.objects.all())

    def test_the_seed_is_recorded_in_the_audit_log_with_its_counts(self):
        event = AuditEvent.objects.get(action="demo.seeded")
        assert event.actor_username == "system"
        assert event.data["counts"]["units"] == Unit.objects.count()
        assert event.data["counts"]["estates"] == Estate.objects.count()

    def test_demo_logins_prints_every_login_and_the_address(self):
        out = StringIO()
        call_command("demo_logins", "--demo-password", PASSWORD, stdout=out)
        text = out.getvalue()
        assert "http://127.0.0.1:8000" in text
        with translation.override("zh-hans"):
            for login in DEMO_LOGINS:
                assert login.username in text and str(Role(login.role).label) in text
        assert "兴庆区" in text
        assert "another password" not in text

    def test_the_digest_covers_every_section(self):
        sections = section_digests()
        assert {"units", "ownerships", "memberships", "organisations"} <= set(sections)
        assert len(city_digest()) == 64


def test_roles_of_the_demo_logins_cover_every_role():
    assert {login.role for login in DEMO_LOGINS} == set(Role.values)
