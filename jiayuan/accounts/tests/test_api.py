"""The token exchange and `me`: the API's front door."""

import pytest
from axes.models import AccessLog
from django.contrib.sessions.models import Session
from rest_framework.throttling import ScopedRateThrottle

from jiayuan.testing import api as api_testing
from jiayuan.testing.api import TOKEN_URL
from jiayuan.testing.world import PASSWORD

pytestmark = pytest.mark.django_db

# The API fixtures, re-exported so that pytest finds them in this module.
api = api_testing.api
drf_api = api_testing.drf_api


def test_a_persona_logs_in_over_http_and_reads_me_with_the_bearer_token(api, world):
    client = api("district_a_officer")

    response = client.get("/api/v1/me/")

    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "district_a_officer"
    assert me["id"] == world.users["district_a_officer"].pk
    assert me["memberships"] == [
        {
            "organisation": {
                "id": me["memberships"][0]["organisation"]["id"],
                "name": "兴庆区住建局",
                "kind": "housing_bureau",
            },
            "role": "district_officer",
            "region": world.regions["district_a"].pk,
        }
    ]
    assert "estates.change" in me["permissions"]


def test_the_token_is_the_same_on_every_login(drf_api):
    anonymous = drf_api()
    credentials = {"username": "city_admin", "password": PASSWORD}

    first = anonymous.post(TOKEN_URL, credentials, format="json").json()["token"]
    second = anonymous.post(TOKEN_URL, credentials, format="json").json()["token"]

    assert first == second


def test_a_token_login_is_logged_and_leaves_no_session_behind(drf_api):
    response = drf_api().post(TOKEN_URL, {"username": "city_admin", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()
    assert AccessLog.objects.filter(username="city_admin").exists()


def test_a_wrong_password_is_a_json_error_with_a_code(drf_api):
    response = drf_api().post(TOKEN_URL, {"username": "city_admin", "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "invalid_credentials"
    assert response.json()["error"]["message"]


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(drf_api):
    response = drf_api().post(TOKEN_URL, {"username": "nobody", "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_credentials"


def test_missing_fields_are_named(drf_api):
    response = drf_api().post(TOKEN_URL, {"username": "city_admin"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["details"]) == {"password"}


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(drf_api, settings):
    anonymous = drf_api()
    wrong = {"username": "city_admin", "password": "wrong"}
    answers = [anonymous.post(TOKEN_URL, wrong, format="json") for _ in range(settings.AXES_FAILURE_LIMIT)]

    right = anonymous.post(TOKEN_URL, {"username": "city_admin", "password": PASSWORD}, format="json")

    assert [a.status_code for a in answers[:-1]] == [400] * (settings.AXES_FAILURE_LIMIT - 1)
    assert answers[-1].status_code == 429
    assert right.status_code == 429
    assert right["Content-Type"] == "application/json"
    assert right.json()["error"]["code"] == "locked_out"
    assert "15" in right.json()["error"]["message"]  # the cool-off, in minutes


def test_a_success_clears_earlier_failures(drf_api, settings):
    anonymous = drf_api()
    wrong = {"username": "city_admin", "password": "wrong"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        anonymous.post(TOKEN_URL, wrong, format="json")
    assert (
        anonymous.post(TOKEN_URL, {"username": "city_admin", "password": PASSWORD}, format="json").status_code
        == 200
    )

    again = anonymous.post(TOKEN_URL, wrong, format="json")

    assert again.status_code == 400


def test_the_token_endpoint_is_throttled(drf_api, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "2/minute"})
    anonymous = drf_api()
    credentials = {"username": "city_admin", "password": PASSWORD}

    answers = [anonymous.post(TOKEN_URL, credentials, format="json") for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[-1].json()["error"]["code"] == "throttled"


def test_me_without_a_token_is_401_json(drf_api):
    response = drf_api().get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_bad_token_is_401_json(drf_api):
    client = drf_api()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_an_inactive_user_cannot_get_a_token(drf_api, world):
    user = world.users["auditor"]
    user.is_active = False
    user.save(update_fields=["is_active"])

    response = drf_api().post(TOKEN_URL, {"username": "auditor", "password": PASSWORD}, format="json")

    assert response.status_code == 400
