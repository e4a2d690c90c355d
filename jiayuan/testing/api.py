"""Fixtures for API tests: a persona's client over real HTTP (`api`) or in-process (`drf_api`).

Import them into a test module: `from jiayuan.testing.api import api, drf_api  # noqa: F401`.
Both build the test world (`jiayuan.testing.world`); every persona's password is `PASSWORD`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from jiayuan.accounts.services import api_token_issue
from jiayuan.testing.world import PASSWORD, World

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def api(live_server: Any, world: World) -> Iterator[Callable[[str], httpx.Client]]:
    """`api("city_admin")` logs the persona in through POST /api/v1/auth/token/ on a live server and
    returns an httpx client sending `Authorization: Bearer <token>` (the test is transactional)."""
    cache.clear()  # the "auth" throttle counts requests per address, across tests
    clients: list[httpx.Client] = []

    def login(username: str) -> httpx.Client:
        client = httpx.Client(base_url=live_server.url, timeout=10)
        clients.append(client)
        response = client.post(TOKEN_URL, json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        client.headers["Authorization"] = f"Bearer {response.json()['token']}"
        return client

    yield login
    for client in clients:
        client.close()


@pytest.fixture
def drf_api(world: World) -> Callable[..., APIClient]:
    """`drf_api("city_admin")`: an in-process client with the persona's token; `drf_api()`: anonymous."""
    cache.clear()

    def client_for(username: str | None = None) -> APIClient:
        client = APIClient()
        if username is not None:
            token = api_token_issue(user=world.users[username])
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return client_for
