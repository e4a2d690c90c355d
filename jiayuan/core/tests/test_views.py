"""The shared pages: the layout, the navigation, the admin's guard, the language switch."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def log_in(client, world, persona):
    client.force_login(world.users[persona])
    return client


def test_the_layout_has_no_inline_script_or_style_and_a_strict_csp(client, world):
    response = log_in(client, world, "city_admin").get(reverse("dashboard:home"))
    content = response.content.decode()
    assert "Content-Security-Policy" in response.headers
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", content)
    assert "<style" not in content
    assert "style=" not in content
    assert "/static/vendor/htmx.min.js" in content
    assert "/static/css/jiayuan.css" in content
    assert "//cdn" not in content


def test_the_navigation_follows_the_role(client, world):
    admin_page = log_in(client, world, "system_admin").get(reverse("dashboard:home")).content.decode()
    assert reverse("admin:index") in admin_page
    assert reverse("regions:browse") in admin_page
    owner_page = log_in(client, world, "owner_of_a1a_101").get(reverse("dashboard:home")).content.decode()
    assert reverse("admin:index") not in owner_page
    assert f'href="{reverse("regions:browse")}"' not in owner_page
    assert f'href="{reverse("estates:list")}"' in owner_page


def test_the_navigation_shows_the_user_and_roles(client, world):
    content = log_in(client, world, "community_a1a_officer").get(reverse("dashboard:home")).content.decode()
    assert "community_a1a_officer" in content
    assert reverse("accounts:logout") in content


def test_the_language_switch_turns_the_interface_to_english(client, world):
    log_in(client, world, "city_admin")
    assert 'lang="zh-hans"' in client.get(reverse("dashboard:home")).content.decode()
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
