"""The API as a whole: its OpenAPI document, its docs page, and JSON errors everywhere under /api/."""

import re

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from config import urls
from jiayuan.core.api import api_server_error

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/auth/token/",
    "/api/v1/me/",
    "/api/v1/regions/",
    "/api/v1/regions/{id}/",
    "/api/v1/estates/",
    "/api/v1/estates/{id}/",
    "/api/v1/enterprises/",
    "/api/v1/enterprises/{id}/",
    "/api/v1/contracts/",
    "/api/v1/contracts/{id}/",
    "/api/v1/contracts/{id}/terminate/",
    "/api/v1/owners-committees/",
    "/api/v1/owners-committees/{id}/",
    "/api/v1/management-committees/",
    "/api/v1/management-committees/{id}/",
]


def test_the_schema_is_openapi_3_and_lists_every_endpoint(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(ENDPOINTS) <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_the_schema_documents_filters_pagination_and_errors(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    estates = schema["paths"]["/api/v1/estates/"]

    parameters = {p["name"] for p in estates["get"]["parameters"]}
    assert {"page", "page_size", "region", "enterprise", "search", "management_mode"} <= parameters
    assert estates["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "PaginatedEstateOutputList"
    )
    assert "409" in schema["paths"]["/api/v1/contracts/"]["post"]["responses"]


def test_the_schema_generates_and_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def test_the_docs_page_loads_everything_from_this_site(client):
    page = client.get("/api/docs/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "swagger-ui" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)  # no CDN
    assert not re.search(r"<script>", html)  # no inline script: the CSP allows only 'self'
    script = re.search(r"<script src=\"([^\"]+\?[^\"]*script[^\"]*)\"", html)
    assert script is not None
    init = client.get(script.group(1).replace("&amp;", "&"))
    assert init.status_code == 200
    assert "javascript" in init["Content-Type"]
    assert "/api/schema/" in init.content.decode()
    assert "script-src 'self'" in page["Content-Security-Policy"]


def test_the_swagger_assets_are_served_from_this_site(live_server):
    import httpx

    html = httpx.get(f"{live_server.url}/api/docs/").text
    assets = re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", html)

    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert httpx.get(f"{live_server.url}{asset}").status_code == 200, asset


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_api_address_is_a_json_404(client, method):
    response = getattr(client, method)("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_an_api_address_without_its_slash_says_so(client):
    response = client.get("/api/v1/estates")

    assert response.status_code == 404
    assert response.json()["error"]["details"]["hint"].endswith("/api/v1/estates/")


def test_an_unknown_address_is_json_even_with_debug_on(client, settings):
    settings.DEBUG = True

    response = client.get("/api/v2/estates/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_method_the_endpoint_does_not_offer_is_a_json_405(client):
    response = client.delete("/api/v1/auth/token/")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_a_server_error_under_api_is_json_and_elsewhere_the_site_page():
    factory = RequestFactory()

    api_answer = api_server_error(factory.get("/api/v1/estates/"))
    page_answer = api_server_error(factory.get("/estates/"))

    assert urls.handler500 == "jiayuan.core.api.api_server_error"
    assert api_answer.status_code == 500
    assert api_answer["Content-Type"] == "application/json"
    assert b'"server_error"' in api_answer.content
    assert page_answer.status_code == 500
    assert page_answer["Content-Type"].startswith("text/html")


def test_a_crash_inside_an_api_view_reaches_the_client_as_json(client, monkeypatch, world):
    from jiayuan.regions.api import views

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "region_list", crash)
    client.raise_request_exception = False
    client.force_login(world.users["city_admin"])

    response = client.get("/api/v1/regions/")

    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
