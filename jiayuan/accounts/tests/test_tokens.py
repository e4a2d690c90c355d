"""API tokens (django-rest-knox): hashed, expiring, revocable by their user and by an administrator."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from knox.models import AuthToken

from jiayuan.accounts.services import api_token_issue, api_token_revoke, api_tokens_revoke_all
from jiayuan.audit.models import AuditEvent
from jiayuan.core.exceptions import NotPermitted
from jiayuan.testing import api as api_testing
from jiayuan.testing.world import PASSWORD

pytestmark = pytest.mark.django_db

api = api_testing.api
drf_api = api_testing.drf_api

MORNING = dt.datetime(2027, 3, 11, 9, 0, tzinfo=dt.UTC)
ME = "/api/v1/me/"


def client_with(drf_api, token):
    client = drf_api()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_a_token_stops_working_when_it_expires(drf_api, world, settings):
    with time_machine.travel(MORNING, tick=False) as clock:
        issued = api_token_issue(user=world.users["district_a_officer"])
        assert issued.expiry == MORNING + dt.timedelta(hours=settings.JIAYUAN_API_TOKEN_HOURS)
        client = client_with(drf_api, issued.token)
        assert client.get(ME).status_code == 200
        clock.shift(dt.timedelta(hours=settings.JIAYUAN_API_TOKEN_HOURS, minutes=1))
        assert client.get(ME).status_code == 401


def test_logout_revokes_the_token_it_carries_and_no_other(drf_api, world):
    user = world.users["district_a_officer"]
    this, other = api_token_issue(user=user), api_token_issue(user=user)
    client = client_with(drf_api, this.token)
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get(ME).status_code == 401
    assert client_with(drf_api, other.token).get(ME).status_code == 200
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert (event.actor, event.data["key"]) == (user, this.key)


def test_logout_all_revokes_every_token_of_the_caller(drf_api, world):
    user = world.users["district_a_officer"]
    tokens = [api_token_issue(user=user) for _ in range(3)]
    someone_else = api_token_issue(user=world.users["city_admin"])
    response = client_with(drf_api, tokens[0].token).post("/api/v1/auth/logout-all/")
    assert response.json() == {"revoked": 3}
    assert not AuthToken.objects.filter(user=user).exists()
    assert client_with(drf_api, someone_else.token).get(ME).status_code == 200


def test_only_the_owner_or_an_administrator_revokes_a_token(world, actor_of):
    issued = api_token_issue(user=world.users["district_a_officer"])
    token = AuthToken.objects.get(token_key=issued.key)
    with pytest.raises(NotPermitted):
        api_token_revoke(actor=actor_of("city_admin"), token=token)
    with pytest.raises(NotPermitted):
        api_tokens_revoke_all(actor=actor_of("city_admin"), user=world.users["district_a_officer"])
    api_token_revoke(actor=actor_of("system_admin"), token=token)
    assert not AuthToken.objects.exists()


def test_the_tokens_page_lists_keys_not_secrets_and_revokes(client, world):
    user = world.users["district_a_officer"]
    issued = api_token_issue(user=user)
    client.force_login(user)
    page = client.get(reverse("accounts:tokens")).content.decode()
    assert issued.key in page
    assert issued.token not in page
    client.post(reverse("accounts:tokens"), {"key": issued.key})
    assert not AuthToken.objects.filter(user=user).exists()


def test_logging_out_of_the_site_can_revoke_the_tokens_too(client, world):
    user = world.users["district_a_officer"]
    api_token_issue(user=user)
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    assert AuthToken.objects.filter(user=user).count() == 1  # a plain log-out leaves them
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    client.post(reverse("accounts:logout"), {"revoke_tokens": "1"})
    assert not AuthToken.objects.filter(user=user).exists()
    assert "_auth_user_id" not in client.session


def test_a_changed_or_revoked_role_takes_effect_on_the_next_request(drf_api, world, actor_of):
    from jiayuan.accounts.models import Membership
    from jiayuan.accounts.services import membership_revoke, membership_update

    client = drf_api("district_a_officer")
    assert client.get("/api/v1/estates/").json()["count"] > 0
    membership = Membership.objects.get(user=world.users["district_a_officer"])
    membership_update(actor=actor_of("system_admin"), membership=membership, active=False)
    assert client.get("/api/v1/estates/").json()["count"] == 0
    membership_update(actor=actor_of("system_admin"), membership=membership, active=True)
    assert client.get("/api/v1/estates/").json()["count"] > 0
    membership_revoke(actor=actor_of("system_admin"), membership=membership)
    assert client.get("/api/v1/estates/").json()["count"] == 0
