"""等保 2.0 session rules: an idle session ends; a password an administrator set must be changed."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from jiayuan.accounts import services
from jiayuan.audit.models import AuditEvent
from jiayuan.core.actor import system_actor
from jiayuan.core.exceptions import DomainError
from jiayuan.testing.world import PASSWORD

pytestmark = pytest.mark.django_db

MORNING = dt.datetime(2027, 3, 11, 9, 0, tzinfo=dt.UTC)
NEW_PASSWORD = "a-new-and-long-passphrase-7"


def log_in(client, username):
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_session_idle_longer_than_the_setting_is_logged_out(client, world, settings):
    settings.JIAYUAN_SESSION_IDLE_MINUTES = 30
    with time_machine.travel(MORNING, tick=False) as clock:
        log_in(client, "district_a_officer")
        assert client.get(reverse("estates:list")).status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("estates:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_activity_keeps_a_session_alive(client, world, settings):
    settings.JIAYUAN_SESSION_IDLE_MINUTES = 30
    with time_machine.travel(MORNING, tick=False) as clock:
        log_in(client, "district_a_officer")
        for _ in range(4):
            clock.shift(dt.timedelta(minutes=20))
            assert client.get(reverse("estates:list")).status_code == 200


def test_an_idle_api_session_answers_as_logged_out(client, world, settings):
    settings.JIAYUAN_SESSION_IDLE_MINUTES = 30
    with time_machine.travel(MORNING, tick=False) as clock:
        log_in(client, "district_a_officer")
        assert client.get("/api/v1/estates/").status_code == 200
        clock.shift(dt.timedelta(hours=1))
        assert client.get("/api/v1/estates/").status_code in (401, 403)


def test_a_password_set_by_an_administrator_must_be_changed_first(client, world):
    user = world.users["district_a_officer"]
    services.user_set_password(actor=system_actor(), user=user, password=PASSWORD)
    log_in(client, "district_a_officer")
    assert client.get(reverse("estates:list"))["Location"] == reverse("accounts:password_change")
    api = client.get("/api/v1/estates/")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "password_change_required"
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    assert 'autocomplete="new-password"' in page.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("dashboard:home")
    assert client.get(reverse("estates:list")).status_code == 200  # still logged in, free to go
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    actions = list(AuditEvent.objects.filter(object_id=str(user.pk)).values_list("action", flat=True))
    assert "user.password_set" in actions
    assert "user.password_changed" in actions


def test_a_wrong_current_password_changes_nothing(client, world):
    log_in(client, "district_a_officer")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    assert world.users["district_a_officer"].check_password(PASSWORD)


def test_the_new_password_must_differ_and_pass_the_validators(world):
    user = world.users["district_a_officer"]
    with pytest.raises(DomainError):
        services.password_change(user=user, old_password=PASSWORD, new_password=PASSWORD)
    with pytest.raises(DomainError):
        services.password_change(user=user, old_password=PASSWORD, new_password="12345678901")


def test_only_an_administrator_sets_someone_elses_password(world, actor_of):
    with pytest.raises(DomainError):
        services.user_set_password(
            actor=actor_of("city_admin"), user=world.users["auditor"], password=NEW_PASSWORD
        )
