"""The shared pages: the home page per role, the layout, the admin's guard, the language switch."""

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiayuan.core.testing import EXPECTED_ESTATES, estate

pytestmark = pytest.mark.django_db

PERSONAS = sorted(EXPECTED_ESTATES)


def log_in(client, world, persona):
    client.force_login(world.users[persona])
    return client


def test_anonymous_users_go_to_the_login_page(client, world):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/"


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_home_page_renders_for_every_role(client, world, persona):
    response = log_in(client, world, persona).get(reverse("core:home"))
    assert response.status_code == 200
    assert "core/home.html" in [t.name for t in response.templates]


def test_the_city_sees_counts_and_what_needs_attention(client, world):
    response = log_in(client, world, "city_admin").get(reverse("core:home"))
    overview = response.context["supervision"]
    assert overview["estate_count"] == 4
    assert overview["enterprise_count"] == 3
    assert overview["unit_count"] == 16
    assert overview["uncovered_count"] == 0
    assert [body.estate.name for body in overview["terms_ending"]] == ["银古花园"]


def test_a_district_sees_only_its_own_terms_ending(client, world):
    a = log_in(client, world, "district_a_officer").get(reverse("core:home")).context["supervision"]
    assert a["estate_count"] == 3
    assert a["terms_ending_count"] == 1
    b = log_in(client, world, "district_b_officer").get(reverse("core:home")).context["supervision"]
    assert b["estate_count"] == 1
    assert b["terms_ending_count"] == 0


def test_estates_without_a_contract_and_contracts_ending_are_flagged(client, world):
    import datetime as dt

    from django.utils import timezone

    community = world.regions["com_a1b"]
    estate("无合同小区", community)
    contract = world.contracts["a1b"]
    contract.end_date = timezone.localdate() + dt.timedelta(days=10)
    contract.save(update_fields=["end_date"])
    overview = (
        log_in(client, world, "subdistrict_a1_officer").get(reverse("core:home")).context["supervision"]
    )
    assert [e.name for e in overview["uncovered"]] == ["无合同小区"]
    assert [c.estate.name for c in overview["contracts_ending"]] == ["丽景湾"]
    other = log_in(client, world, "district_b_officer").get(reverse("core:home")).context["supervision"]
    assert other["uncovered_count"] == 0
    assert other["contracts_ending_count"] == 0


def test_the_home_page_costs_the_same_queries_with_more_estates(client, world):
    log_in(client, world, "city_admin")
    client.get(reverse("core:home"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("core:home"))
    for number in range(30):
        estate(f"首页{number:02d}", world.regions["com_a2a"])
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("core:home"))
    assert len(before) == len(after)


def test_the_auditor_sees_the_city_read_only(client, world):
    response = log_in(client, world, "auditor").get(reverse("core:home"))
    assert response.context["supervision"]["estate_count"] == 4
    assert response.context["read_only"] is True


def test_a_department_officer_sees_their_department_and_region(client, world):
    response = log_in(client, world, "police_a_officer").get(reverse("core:home"))
    content = response.content.decode()
    assert "兴庆区公安分局" in content
    assert "supervision" not in response.context


def test_enterprise_staff_see_their_estates_and_contracts(client, world):
    response = log_in(client, world, "enterprise_x_staff").get(reverse("core:home"))
    overview = response.context["enterprise"]
    assert {e.name for e in overview["estates"]} == {"银古花园", "阅海湾"}
    assert overview["contract_count"] == 2


@pytest.mark.parametrize("persona", ["owner_of_a1a_101", "committee_a1a_member"])
def test_owners_and_committee_members_see_their_estate(client, world, persona):
    response = log_in(client, world, persona).get(reverse("core:home"))
    [overview] = response.context["estate_overviews"]
    assert overview["estate"].name == "银古花园"
    assert overview["contract"].enterprise.name == world.enterprises["enterprise_x"].name
    assert overview["committee"].members.all()[0].name == "张主任"
    assert overview["committee_ending_soon"] is True
    content = response.content.decode()
    assert "经理a1a" in content
    assert "银古社区居委会" in content


def test_an_owner_sees_their_own_units(client, world):
    response = log_in(client, world, "owner_of_a1a_101").get(reverse("core:home"))
    [overview] = response.context["estate_overviews"]
    assert [unit.number for unit in overview["units"]] == ["101"]


def test_the_layout_has_no_inline_script_or_style_and_a_strict_csp(client, world):
    response = log_in(client, world, "city_admin").get(reverse("core:home"))
    content = response.content.decode()
    assert "Content-Security-Policy" in response.headers
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", content)
    assert "<style" not in content
    assert "style=" not in content
    assert "/static/vendor/htmx.min.js" in content
    assert "/static/css/jiayuan.css" in content
    assert "//cdn" not in content


def test_the_navigation_follows_the_role(client, world):
    admin_page = log_in(client, world, "system_admin").get(reverse("core:home")).content.decode()
    assert reverse("admin:index") in admin_page
    assert reverse("regions:browse") in admin_page
    owner_page = log_in(client, world, "owner_of_a1a_101").get(reverse("core:home")).content.decode()
    assert reverse("admin:index") not in owner_page
    assert f'href="{reverse("regions:browse")}"' not in owner_page
    assert f'href="{reverse("estates:list")}"' in owner_page


def test_the_navigation_shows_the_user_and_roles(client, world):
    content = log_in(client, world, "community_a1a_officer").get(reverse("core:home")).content.decode()
    assert "community_a1a_officer" in content
    assert reverse("accounts:logout") in content


def test_the_language_switch_turns_the_interface_to_english(client, world):
    log_in(client, world, "city_admin")
    assert 'lang="zh-hans"' in client.get(reverse("core:home")).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("estates:list")})
    assert response.status_code == 302
    assert response["Location"] == reverse("estates:list")
    page = client.get(reverse("estates:list")).content.decode()
    assert '<html lang="en">' in page
    assert ">Estates<" in page


def test_a_page_not_found_uses_the_site_layout(client, world):
    response = log_in(client, world, "city_admin").get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]


class TestAdmin:
    def test_a_district_officer_is_kept_out(self, client, world):
        response = log_in(client, world, "district_a_officer").get(reverse("admin:index"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        changelist = client.get(reverse("admin:estates_estate_changelist"))
        assert changelist.status_code in (302, 403)

    def test_staff_status_alone_does_not_open_it(self, client, world):
        user = world.users["district_a_officer"]
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        response = log_in(client, world, "district_a_officer").get(reverse("admin:index"))
        assert response.status_code == 302

    def test_the_system_administrator_gets_in(self, client, world):
        response = log_in(client, world, "system_admin").get(reverse("admin:index"))
        assert response.status_code == 200

    def test_every_registered_model_lists_for_the_system_administrator(self, client, world):
        log_in(client, world, "system_admin")
        for model in admin.site._registry:
            opts = model._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            assert client.get(url).status_code == 200, url

    def test_the_audit_log_is_read_only(self, client, world):
        from jiayuan.audit.models import AuditEvent

        assert AuditEvent in admin.site._registry
        log_in(client, world, "system_admin")
        assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403

    def test_owners_personal_data_is_masked_in_the_admin(self, client, world):
        log_in(client, world, "system_admin")
        content = client.get(reverse("admin:estates_owner_changelist")).content.decode()
        assert "13912345678" not in content
        assert "139****5678" in content
