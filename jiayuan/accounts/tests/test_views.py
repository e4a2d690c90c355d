"""Logging in and out, and the lock-out after repeated failures (django-axes)."""

import pytest
from django.urls import reverse

from jiayuan.testing.world import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_the_login_page_renders(client, world):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="username"' in content
    assert 'name="password"' in content
    assert 'autocomplete="current-password"' in content


def test_a_right_password_logs_in_and_goes_home(client, world):
    response = attempt(client, "district_a_officer", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_login_follows_next_within_the_site(client, world):
    response = client.post(
        reverse("accounts:login"),
        {"username": "city_admin", "password": PASSWORD, "next": reverse("estates:list")},
    )
    assert response["Location"] == reverse("estates:list")


def test_a_wrong_password_shows_the_form_again(client, world):
    response = attempt(client, "district_a_officer", "wrong")
    assert response.status_code == 200
    assert response.context["form"].errors


def test_five_failures_lock_the_account_out(client, world):
    for _ in range(5):
        attempt(client, "district_a_officer", "wrong")
    response = attempt(client, "district_a_officer", PASSWORD)
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert response.context["failure_limit"] == 5
    assert not client.session.get("_auth_user_id")


def test_a_logged_in_user_skips_the_login_page(client, world):
    client.force_login(world.users["city_admin"])
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302


def test_logout_is_a_post(client, world):
    client.force_login(world.users["city_admin"])
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("dashboard:home")).status_code == 302
