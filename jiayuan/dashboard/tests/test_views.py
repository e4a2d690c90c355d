"""The home page: what needs attention, for each role the user holds."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jiayuan.core.actor import system_actor
from jiayuan.governance.models import OwnersCommitteeMember
from jiayuan.testing.world import EXPECTED_ESTATES, estate
from jiayuan.workdays.choices import DayKind
from jiayuan.workdays.services import workday_adjustment_set
from tests.clock import SHANGHAI

pytestmark = pytest.mark.django_db

PERSONAS = sorted(EXPECTED_ESTATES)


def log_in(client, world, persona):
    client.force_login(world.users[persona])
    return client


def test_anonymous_users_go_to_the_login_page(client, world):
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/"


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_home_page_renders_for_every_role(client, world, persona):
    response = log_in(client, world, persona).get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert "dashboard/home.html" in [t.name for t in response.templates]


def test_the_city_sees_counts_and_what_needs_attention(client, world):
    response = log_in(client, world, "city_admin").get(reverse("dashboard:home"))
    overview = response.context["supervision"]
    assert overview["estate_count"] == 4
    assert overview["enterprise_count"] == 3
    assert overview["unit_count"] == 16
    assert overview["uncovered_count"] == 0
    assert [body.estate.name for body in overview["terms_ending"]] == ["银古花园"]


def test_a_district_sees_only_its_own_terms_ending(client, world):
    a = log_in(client, world, "district_a_officer").get(reverse("dashboard:home")).context["supervision"]
    assert a["estate_count"] == 3
    assert a["terms_ending_count"] == 1
    b = log_in(client, world, "district_b_officer").get(reverse("dashboard:home")).context["supervision"]
    assert b["estate_count"] == 1
    assert b["terms_ending_count"] == 0


def test_estates_without_a_contract_and_contracts_ending_are_flagged(client, world):
    community = world.regions["com_a1b"]
    estate("无合同小区", community)
    contract = world.contracts["a1b"]
    contract.end_date = timezone.localdate() + dt.timedelta(days=10)
    contract.save(update_fields=["end_date"])
    overview = (
        log_in(client, world, "subdistrict_a1_officer").get(reverse("dashboard:home")).context["supervision"]
    )
    assert [e.name for e in overview["uncovered"]] == ["无合同小区"]
    assert [c.estate.name for c in overview["contracts_ending"]] == ["丽景湾"]
    other = log_in(client, world, "district_b_officer").get(reverse("dashboard:home")).context["supervision"]
    assert other["uncovered_count"] == 0
    assert other["contracts_ending_count"] == 0


def test_the_home_page_costs_the_same_queries_with_more_estates(client, world):
    log_in(client, world, "city_admin")
    client.get(reverse("dashboard:home"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("dashboard:home"))
    for number in range(30):
        estate(f"首页{number:02d}", world.regions["com_a2a"])
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("dashboard:home"))
    assert len(before) == len(after)


def test_the_auditor_sees_the_city_read_only(client, world):
    response = log_in(client, world, "auditor").get(reverse("dashboard:home"))
    assert response.context["supervision"]["estate_count"] == 4
    assert response.context["read_only"] is True


def test_a_department_officer_sees_their_department_and_region(client, world):
    response = log_in(client, world, "police_a_officer").get(reverse("dashboard:home"))
    content = response.content.decode()
    assert "兴庆区公安分局" in content
    assert "supervision" not in response.context


def test_enterprise_staff_see_their_estates_and_contracts(client, world):
    response = log_in(client, world, "enterprise_x_staff").get(reverse("dashboard:home"))
    overview = response.context["enterprise"]
    assert {e.name for e in overview["estates"]} == {"银古花园", "阅海湾"}
    assert overview["contract_count"] == 2


@pytest.mark.parametrize("persona", ["owner_of_a1a_101", "committee_a1a_member"])
def test_owners_and_committee_members_see_their_estate(client, world, persona):
    response = log_in(client, world, persona).get(reverse("dashboard:home"))
    [overview] = response.context["estate_overviews"]
    assert overview["estate"].name == "银古花园"
    assert overview["contract"].enterprise.name == world.enterprises["enterprise_x"].name
    assert overview["committee"].members.all()[0].name == "张主任"
    assert overview["committee_ending_soon"] is True
    content = response.content.decode()
    assert "经理a1a" in content
    assert "银古社区居委会" in content


def test_the_committee_lists_its_director_before_its_deputies(client, world):
    committee = world.committees["a1a"]
    OwnersCommitteeMember.objects.create(committee=committee, name="王委员", post="member")
    OwnersCommitteeMember.objects.create(committee=committee, name="李副主任", post="deputy_director")
    response = log_in(client, world, "committee_a1a_member").get(reverse("dashboard:home"))
    [overview] = response.context["estate_overviews"]
    assert [m.name for m in overview["committee"].members.all()] == ["张主任", "李副主任", "王委员"]


def test_an_owner_sees_their_own_units(client, world):
    response = log_in(client, world, "owner_of_a1a_101").get(reverse("dashboard:home"))
    [overview] = response.context["estate_overviews"]
    assert [unit.number for unit in overview["units"]] == ["101"]


class TestTheHolidayScheduleNotice:
    """The system administrator is told when a year's working days rest on the weekday rule alone."""

    ADJUSTMENTS = "/admin/workdays/workdayadjustment/"

    def notice(self, client, world, persona="system_admin"):
        response = log_in(client, world, persona).get(reverse("dashboard:home"))
        return response.context.get("years_without_schedule"), response.content.decode()

    def test_it_is_silent_while_this_years_schedule_is_published(self, client, world):
        years, content = self.notice(client, world)  # 16 March 2026: the package knows 2026
        assert years == []
        assert self.ADJUSTMENTS not in content

    def test_it_names_next_year_within_sixty_days_of_its_start(self, client, world, time_machine):
        time_machine.move_to(dt.datetime(2026, 11, 1, 10, tzinfo=SHANGHAI))  # 61 days before
        assert self.notice(client, world)[0] == []
        time_machine.move_to(dt.datetime(2026, 11, 2, 10, tzinfo=SHANGHAI))  # 60 days before
        years, content = self.notice(client, world)
        assert years == [2027]
        assert "2027" in content and self.ADJUSTMENTS in content

    def test_it_names_the_current_year_when_nothing_is_known_of_it(self, client, world, time_machine):
        time_machine.move_to(dt.datetime(2027, 3, 1, 10, tzinfo=SHANGHAI))
        assert self.notice(client, world)[0] == [2027]

    def test_it_goes_once_an_administrator_entered_the_years_holidays(self, client, world, time_machine):
        time_machine.move_to(dt.datetime(2027, 3, 1, 10, tzinfo=SHANGHAI))
        workday_adjustment_set(
            actor=system_actor(), day=dt.date(2027, 4, 5), kind=DayKind.DAY_OFF, name="清明节"
        )
        years, content = self.notice(client, world)
        assert years == []
        assert self.ADJUSTMENTS not in content

    def test_other_roles_are_not_told(self, client, world, time_machine):
        time_machine.move_to(dt.datetime(2027, 3, 1, 10, tzinfo=SHANGHAI))
        assert self.notice(client, world, "city_admin")[0] is None


def test_the_auditor_sees_the_latest_verification_of_the_audit_chain(client, world):
    from jiayuan.audit.services import verification_run

    page = log_in(client, world, "auditor").get(reverse("dashboard:home"))
    assert page.context["audit"]["verification"] is None
    assert page.context["audit"]["late"]
    result, _report = verification_run()
    page = log_in(client, world, "auditor").get(reverse("dashboard:home"))
    assert page.context["audit"]["verification"] == result
    assert not page.context["audit"]["late"]
    assert reverse("audit:verifications") in page.content.decode()


@pytest.mark.parametrize("persona", ["district_a_officer", "community_a1a_officer", "enterprise_x_staff"])
def test_other_roles_do_not_see_the_audit_chain(client, world, persona):
    assert log_in(client, world, persona).get(reverse("dashboard:home")).context["audit"] is None


@pytest.mark.parametrize(("persona", "sees"), [("system_admin", True), ("owner_of_a1a_101", False)])
def test_the_sms_outbox_is_in_the_navigation_of_those_who_may_read_it(client, world, persona, sees):
    page = log_in(client, world, persona).get(reverse("dashboard:home")).content.decode()
    assert (f'href="{reverse("notifications:outbox")}"' in page) is sees


def test_a_city_officer_sees_the_outbox_only_on_a_development_deployment(client, world, settings):
    settings.DEBUG = False
    page = log_in(client, world, "city_admin").get(reverse("dashboard:home")).content.decode()
    assert reverse("notifications:outbox") not in page
    settings.DEBUG = True
    page = client.get(reverse("dashboard:home")).content.decode()
    assert reverse("notifications:outbox") in page
