"""Headers on every answer, and the production settings `check --deploy` accepts (docs/operations.md)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]

# The production environment docs/operations.md documents (the secret is made up here).
PRODUCTION_ENVIRONMENT = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-secret-of-fifty-chars-or-more",
    "ALLOWED_HOSTS": "wuye.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://wuye.example.gov.cn",
    "SITE_URL": "https://wuye.example.gov.cn",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "JIAYUAN_AUDIT_KEY": "a-separate-secret-for-the-audit-checkpoints-0123456789",
    "JIAYUAN_SMS_BACKEND": "jiayuan.notifications.backends.OutboxOnlyBackend",
}


def test_pages_and_api_answers_are_not_stored_by_browsers_or_proxies(client, world):
    client.force_login(world.users["community_a1a_officer"])
    for url in (reverse("dashboard:home"), reverse("estates:list"), "/api/v1/estates/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_the_login_page_and_owners_pages_are_not_stored_either(client, world):
    assert "no-store" in client.get(reverse("accounts:login"))["Cache-Control"]


def test_every_answer_names_what_the_browser_may_not_use(client, world):
    response = client.get(reverse("accounts:login"))
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def check_deploy(**overrides: str) -> subprocess.CompletedProcess[str]:
    """`manage.py check --deploy --fail-level WARNING` in the documented environment, plus overrides."""
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION_ENVIRONMENT}
    env.pop("DATABASE_URL", None)
    env.update({**PRODUCTION_ENVIRONMENT, **overrides})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        # No timeout: its polling sleep fails under libfaketime (CI's shifted-clock run).
    )


def test_the_documented_production_environment_passes_check_deploy():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_when_texts_go_to_the_log():
    result = check_deploy(JIAYUAN_SMS_BACKEND="jiayuan.notifications.backends.LoggingBackend")
    assert result.returncode != 0
    assert "notifications.W001" in result.stdout + result.stderr


def test_behind_the_proxy_https_is_recognised_and_plain_http_redirected(client, world, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get(reverse("accounts:login")).status_code == 301
    assert client.get(reverse("accounts:login"), HTTP_X_FORWARDED_PROTO="https").status_code == 200
