"""Help texts and errors are wired to their fields: every `aria-describedby`, `aria-labelledby` and
label `for` on a page names an element that exists, on every form page, blank and after bad input."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jiayuan.intake.services import estate_token
from jiayuan.testing.sms import last_code

pytestmark = pytest.mark.django_db

REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls")


class References(HTMLParser):
    """The ids a page defines and the ids its attributes point at."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.pointers: list[tuple[str, str, str]] = []  # (tag, attribute, id)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in REFERENCES and value:
                self.pointers.extend((tag, name, ref) for ref in value.split())
            elif name == "for" and tag == "label" and value:
                self.pointers.append((tag, name, value))


def dangling(html: str) -> list[tuple[str, str, str]]:
    parser = References()
    parser.feed(html)
    return [pointer for pointer in parser.pointers if pointer[2] not in parser.ids]


def assert_wired(response, where: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, (where, response.status_code)
    html = response.content.decode()
    assert not dangling(html), f"{where}: points at no element: {dangling(html)}"


def test_the_checker_finds_a_help_text_that_is_not_there() -> None:
    page = '<label for="id_a">A</label><input id="id_a" aria-describedby="id_a_helptext id_a_error">'
    assert dangling(page) == [
        ("input", "aria-describedby", "id_a_helptext"),
        ("input", "aria-describedby", "id_a_error"),
    ]
    assert dangling(page + '<p id="id_a_helptext"></p><ul id="id_a_error"></ul>') == []


def page_routes() -> list[str]:
    """Every page route that takes no argument (the API, the admin and downloads aside)."""

    def walk(patterns, prefix=""):  # type: ignore[no-untyped-def]
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield "/" + prefix + str(pattern.pattern)

    skipped = ("/api", "/admin", "/i18n", "/open311", "/accounts/logout")
    return [
        route
        for route in walk(get_resolver().url_patterns)
        if "<" not in route
        and "^" not in route
        and not route.startswith(skipped)
        and "template" not in route
        and "export" not in route
    ]


@pytest.mark.parametrize(
    "persona",
    ["system_admin", "city_admin", "community_a1a_officer", "enterprise_x_staff", "owner_of_a1a_101"],
)
def test_every_page_without_arguments_is_wired(client, world, persona):
    client.force_login(world.users[persona])
    for route in page_routes():
        response = client.get(route)
        if response.status_code in (302, 403, 404):
            continue
        assert_wired(response, f"{persona} GET {route}")


def test_forms_after_bad_input_are_wired(client, world):
    client.force_login(world.users["community_a1a_officer"])
    assert_wired(client.post(reverse("cases:new"), {}), "blank hotline case")
    assert_wired(
        client.get(reverse("cases:ledger"), {"filed_after": "0001-01-01", "estate": "x"}), "bad filters"
    )
    assert_wired(client.get(reverse("estates:list"), {"region": "x"}), "bad estate filter")
    assert_wired(client.post(reverse("accounts:password_change"), {"new_password1": "a"}), "bad password")
    client.force_login(world.users["city_admin"])
    assert_wired(client.post(reverse("campaigns:new"), {"name": ""}), "blank campaign")
    assert_wired(
        client.get(reverse("governance:list"), {"estate": "x", "term_ends_before": "x"}), "bad filters"
    )
    client.force_login(world.users["system_admin"])
    assert_wired(client.get(reverse("notifications:outbox"), {"phone": "x" * 40}), "bad outbox filter")
    client.logout()
    assert_wired(client.post(reverse("accounts:login"), {"username": "x"}), "bad login")


def test_the_case_page_with_its_action_forms_is_wired(client, world):
    from jiayuan.cases.services import case_file
    from jiayuan.core.actor import actor_for

    officer = actor_for(world.users["community_a1a_officer"])
    case = case_file(
        actor=officer,
        estate=world.estate_a1a,
        category="everyday_cleaning",
        description="楼道",
        source="hotline_12345",
    )
    for persona in ("community_a1a_officer", "subdistrict_a1_officer", "city_admin"):
        client.force_login(world.users[persona])
        assert_wired(client.get(reverse("cases:detail", args=[case.pk])), f"{persona} case page")


def test_the_owners_phone_forms_are_wired_blank_and_after_bad_input(client, world):
    token = estate_token(world.estate_a1a)
    report, complaint = reverse("intake:report", args=[token]), reverse("intake:complaint", args=[token])
    assert_wired(client.get(report), "phone step")
    assert_wired(client.post(report, {"phone": "12"}), "bad phone")
    client.post(report, {"phone": "13800138000"})
    assert_wired(client.get(complaint), "complaint step")
    response = client.post(complaint, {"code": "1", "category": "nonsense", "description": ""})
    assert response.context["form"].errors.keys() >= {"code", "category", "description"}
    assert_wired(response, "bad complaint")
    response = client.post(
        complaint,
        {"code": last_code("13800138000"), "category": "everyday_elevator", "description": "电梯停了"},
    )
    assert response.status_code == 302
