"""Estate pages: scoped lists and details, constant query counts, masked owners, the audited reveal."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiayuan.audit.models import AuditEvent
from jiayuan.estates.models import Estate
from jiayuan.testing.world import EXPECTED_ESTATES, estate

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def log_in(client, world, persona):
    client.force_login(world.users[persona])
    return client


def listed(response):
    return {estate.pk for estate in response.context["page_obj"]}


def keys_of(world, pks):
    return {key for key, estate in world.estates.items() if estate.pk in pks}


@pytest.mark.parametrize("persona", sorted(EXPECTED_ESTATES))
def test_the_estate_list_shows_exactly_the_estates_in_scope(client, world, persona):
    response = log_in(client, world, persona).get(reverse("estates:list"))
    assert response.status_code == 200
    assert keys_of(world, listed(response)) == EXPECTED_ESTATES[persona]


@pytest.mark.parametrize("persona", sorted(EXPECTED_ESTATES))
def test_an_estate_page_opens_in_scope_and_is_not_found_outside(client, world, persona):
    log_in(client, world, persona)
    for key, estate_obj in world.estates.items():
        response = client.get(reverse("estates:detail", args=[estate_obj.pk]))
        expected = 200 if key in EXPECTED_ESTATES[persona] else 404
        assert response.status_code == expected, (persona, key)


def test_a_missing_estate_is_a_404_page(client, world):
    response = log_in(client, world, "city_admin").get(reverse("estates:detail", args=[999999]))
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]


def test_anonymous_users_are_sent_to_the_login_page(client, world):
    response = client.get(reverse("estates:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_list_filters_by_region_mode_type_enterprise_and_name(client, world):
    log_in(client, world, "city_admin")
    url = reverse("estates:list")
    by_region = client.get(url, {"region": world.regions["sub_a1"].pk})
    assert keys_of(world, listed(by_region)) == {"estate_a1a", "estate_a1b"}
    by_enterprise = client.get(url, {"enterprise": world.enterprises["enterprise_x"].pk})
    assert keys_of(world, listed(by_enterprise)) == {"estate_a1a", "estate_b1a"}
    by_name = client.get(url, {"search": "丽景"})
    assert keys_of(world, listed(by_name)) == {"estate_a1b"}
    by_mode = client.get(url, {"management_mode": "custodial"})
    assert listed(by_mode) == set()
    by_type = client.get(url, {"estate_type": "commercial"})
    assert len(listed(by_type)) == 4


def test_the_list_shows_district_and_todays_enterprise(client, world):
    response = log_in(client, world, "district_a_officer").get(reverse("estates:list"))
    content = response.content.decode()
    assert "兴庆区" in content
    assert world.enterprises["enterprise_x"].name in content


def test_an_htmx_request_gets_only_the_results(client, world):
    log_in(client, world, "city_admin")
    response = client.get(reverse("estates:list"), {"search": "丽景"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert 'id="results"' in content
    assert "<html" not in content
    assert "丽景湾" in content


def test_page_links_keep_the_filters(client, world):
    community = world.regions["com_a1a"]
    for number in range(25):
        estate(f"加建{number:02d}", community, management_mode="custodial")
    log_in(client, world, "city_admin")
    response = client.get(reverse("estates:list"), {"management_mode": "custodial"})
    assert len(response.context["page_obj"]) == 20
    assert "management_mode=custodial&amp;page=2" in response.content.decode()
    second = client.get(reverse("estates:list"), {"management_mode": "custodial", "page": 2})
    assert len(second.context["page_obj"]) == 5


def queries_for_list(client, count):
    community = Estate.objects.first().community
    existing = Estate.objects.count()
    for number in range(existing, count):
        estate(f"测试小区{number:03d}", community, unit_count=number)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("estates:list"))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == count
    return len(queries)


def test_the_list_costs_the_same_queries_for_ten_and_for_a_hundred_estates(client, world):
    log_in(client, world, "city_admin")
    client.get(reverse("estates:list"))  # warm the session and the actor
    ten = queries_for_list(client, 10)
    hundred = queries_for_list(client, 100)
    assert ten == hundred


def test_owners_are_masked_on_the_estate_page(client, world):
    response = log_in(client, world, "community_a1a_officer").get(
        reverse("estates:detail", args=[world.estates["estate_a1a"].pk])
    )
    content = response.content.decode()
    assert PHONE not in content
    assert "139****5678" in content
    assert "业主a1a101" not in content
    assert reveal_url(world) in content  # the community officer is offered the audited reveal


def test_owners_and_committee_members_see_no_owners_list(client, world):
    for persona in ("owner_of_a1a_101", "committee_a1a_member"):
        response = log_in(client, world, persona).get(
            reverse("estates:detail", args=[world.estates["estate_a1a"].pk])
        )
        assert response.status_code == 200
        assert response.context["show_owners"] is False
        assert "139****5678" not in response.content.decode()


def reveal_url(world, estate_key="a1a", owner_key="a1a_101"):
    return reverse(
        "estates:owner_reveal", args=[world.estates[f"estate_{estate_key}"].pk, world.owners[owner_key].pk]
    )


def test_a_community_officer_reveals_an_owner_once_and_it_is_audited(client, world):
    log_in(client, world, "community_a1a_officer")
    response = client.post(reveal_url(world), {"purpose": "投诉回访"})
    assert response.status_code == 200
    content = response.content.decode()
    assert PHONE in content
    assert "业主a1a101" in content
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="owner.personal_data_viewed")
    assert event.actor_username == "community_a1a_officer"
    assert event.reason == "投诉回访"
    assert event.object_id == str(world.owners["a1a_101"].pk)
    # The estate page stays masked afterwards.
    page = client.get(reverse("estates:detail", args=[world.estates["estate_a1a"].pk]))
    assert PHONE not in page.content.decode()


def test_the_reveal_over_htmx_returns_the_owner_fragment(client, world):
    log_in(client, world, "community_a1a_officer")
    response = client.post(reveal_url(world), {"purpose": "投诉回访"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert PHONE in content
    assert "<html" not in content


def test_a_reveal_without_a_purpose_shows_nothing_and_writes_no_event(client, world):
    log_in(client, world, "community_a1a_officer")
    response = client.post(reveal_url(world), {"purpose": "  "}, follow=True)
    assert PHONE not in response.content.decode()
    assert not AuditEvent.objects.filter(action="owner.personal_data_viewed").exists()


def test_roles_without_the_permission_cannot_reveal(client, world):
    for persona in ("district_a_officer", "city_admin", "enterprise_x_staff", "owner_of_a1a_101"):
        response = log_in(client, world, persona).post(reveal_url(world), {"purpose": "看看"})
        assert response.status_code == 403, persona
    assert not AuditEvent.objects.exists()


def test_an_owner_outside_the_community_is_not_found(client, world):
    log_in(client, world, "community_a1a_officer")
    assert client.post(reveal_url(world, "b1a", "b1a_101"), {"purpose": "x"}).status_code == 404
    # An owner of another estate asked for through a visible estate: also not found.
    assert client.post(reveal_url(world, "a1a", "b1a_101"), {"purpose": "x"}).status_code == 404


def test_the_reveal_is_post_only(client, world):
    log_in(client, world, "community_a1a_officer")
    assert client.get(reveal_url(world)).status_code == 405


def test_the_estate_page_shows_contract_committee_and_buildings(client, world):
    response = log_in(client, world, "district_a_officer").get(
        reverse("estates:detail", args=[world.estates["estate_a1a"].pk])
    )
    content = response.content.decode()
    assert world.enterprises["enterprise_x"].name in content
    assert "经理a1a" in content
    assert "张*任" in content  # the director, masked
    assert response.context["committees"][0]["ending_soon"] is True
    building = response.context["buildings"][0]
    assert building.unit_total == 2
    assert building.area_total == Decimal("200.00")


@pytest.mark.parametrize(
    "persona", ["district_a_officer", "community_a1a_officer", "enterprise_x_staff", "committee_a1a_member"]
)
def test_committee_members_names_are_masked_on_the_estate_page_for_every_role(client, world, persona):
    response = log_in(client, world, persona).get(
        reverse("estates:detail", args=[world.estates["estate_a1a"].pk])
    )
    content = response.content.decode()
    assert "张*任" in content
    assert "张主任" not in content


def test_htmx_history_restores_get_the_whole_page_and_fragments_vary(client, world):
    log_in(client, world, "city_admin")
    restore = client.get(
        reverse("estates:list"), headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()
    assert "HX-Request" in restore["Vary"]


def test_a_refused_reveal_shows_the_403_page(client, world):
    response = log_in(client, world, "district_a_officer").post(reveal_url(world), {"purpose": "看看"})
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]


def queries_for_detail(client, estate_obj, units):
    from jiayuan.estates.models import Building, Owner, Ownership, Unit

    building = Building.objects.create(estate=estate_obj, number=f"B{units}")
    for number in range(units):
        unit = Unit.objects.create(
            estate=estate_obj, building=building, number=str(number), exclusive_area=Decimal("90.00")
        )
        owner = Owner.objects.create(name=f"业主{units}-{number}", phone="13800000000")
        Ownership.objects.create(owner=owner, unit=unit)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("estates:detail", args=[estate_obj.pk]))
    assert response.status_code == 200
    return len(queries)


def test_the_estate_page_costs_the_same_queries_for_few_and_many_units(client, world):
    log_in(client, world, "community_a1a_officer")
    estate_obj = world.estates["estate_a1a"]
    client.get(reverse("estates:detail", args=[estate_obj.pk]))
    few = queries_for_detail(client, estate_obj, 3)
    many = queries_for_detail(client, estate_obj, 30)
    assert few == many


@pytest.mark.parametrize(
    ("persona", "poster"), [("community_a1a_officer", True), ("owner_of_a1a_101", False)]
)
def test_the_estate_page_links_its_cases_and_for_staff_its_qr_poster(client, world, persona, poster):
    pk = world.estates["estate_a1a"].pk
    html = log_in(client, world, persona).get(reverse("estates:detail", args=[pk])).content.decode()
    assert f'href="{reverse("cases:ledger")}?estate={pk}"' in html
    assert (f'href="{reverse("intake:poster", args=[pk])}"' in html) is poster
