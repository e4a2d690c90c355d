"""Enterprise pages: scoped list with search, and a detail with the contracts the actor may see."""

import pytest
from django.urls import reverse

from jiayuan.testing.world import EXPECTED_ENTERPRISES

pytestmark = pytest.mark.django_db


def log_in(client, world, persona):
    client.force_login(world.users[persona])
    return client


def keys(world, enterprises):
    pks = {enterprise.pk for enterprise in enterprises}
    return {key for key, enterprise in world.enterprises.items() if enterprise.pk in pks}


@pytest.mark.parametrize("persona", sorted(EXPECTED_ENTERPRISES))
def test_the_list_shows_exactly_the_enterprises_in_scope(client, world, persona):
    response = log_in(client, world, persona).get(reverse("enterprises:list"))
    assert response.status_code == 200
    assert keys(world, response.context["page_obj"]) == EXPECTED_ENTERPRISES[persona]


@pytest.mark.parametrize("persona", sorted(EXPECTED_ENTERPRISES))
def test_a_detail_opens_in_scope_and_is_not_found_outside(client, world, persona):
    log_in(client, world, persona)
    for key, enterprise in world.enterprises.items():
        response = client.get(reverse("enterprises:detail", args=[enterprise.pk]))
        assert response.status_code == (200 if key in EXPECTED_ENTERPRISES[persona] else 404), key


def test_search_by_name_or_uscc(client, world):
    log_in(client, world, "city_admin")
    by_name = client.get(reverse("enterprises:list"), {"search": "贺兰山"})
    assert keys(world, by_name.context["page_obj"]) == {"enterprise_y"}
    uscc = world.enterprises["enterprise_z"].uscc
    by_code = client.get(reverse("enterprises:list"), {"search": uscc[-8:].lower()})
    assert keys(world, by_code.context["page_obj"]) == {"enterprise_z"}


def test_the_list_counts_the_estates_served_today(client, world):
    response = log_in(client, world, "city_admin").get(reverse("enterprises:list"))
    served = {e.name: e.estates_served for e in response.context["page_obj"]}
    assert served[world.enterprises["enterprise_x"].name] == 2


def test_the_detail_shows_only_the_contracts_the_actor_sees(client, world):
    enterprise = world.enterprises["enterprise_x"]
    response = log_in(client, world, "district_b_officer").get(
        reverse("enterprises:detail", args=[enterprise.pk])
    )
    assert [c.estate.name for c in response.context["contracts_page"]] == ["阅海湾"]
    content = response.content.decode()
    assert enterprise.uscc in content
    assert "银古花园" not in content
    staff = log_in(client, world, "enterprise_x_staff").get(
        reverse("enterprises:detail", args=[enterprise.pk])
    )
    assert {c.estate.name for c in staff.context["contracts_page"]} == {"银古花园", "阅海湾"}
    assert {m.name for m in staff.context["project_managers"]} == {"经理a1a", "经理b1a"}


def test_the_list_costs_the_same_queries_for_few_and_many_enterprises(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jiayuan.enterprises.models import Enterprise
    from jiayuan.enterprises.uscc import build_uscc

    log_in(client, world, "city_admin")
    client.get(reverse("enterprises:list"))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("enterprises:list")).status_code == 200
        return len(captured)

    few = queries()
    district = world.regions["district_a"]
    for number in range(30):
        Enterprise.objects.create(
            uscc=build_uscc(district.code, f"QC{number:07d}"),
            name=f"测试物业{number}",
            registered_region=district,
        )
    assert queries() == few
