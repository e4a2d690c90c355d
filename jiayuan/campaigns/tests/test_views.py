"""Campaign pages: the list, the form, a campaign's ledger with its counts, filters and export, and
tagging a case from its page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from jiayuan.campaigns.models import Campaign
from jiayuan.cases.ledger_xlsx import HEADER_ROW
from jiayuan.cases.models import Case
from jiayuan.cases.tests.factories import NOW, file, fresh

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}


def log_in(client, world, persona):
    client.force_login(world.users[persona])
    return client


def listed(response):
    return {row.pk for row in response.context["page_obj"]}


@pytest.fixture
def tagged(world, actor_of, campaigns):
    admin = actor_of("city_admin")
    return {
        "a1a": file(admin, world.estate_a1a, campaign=campaigns["city"]),
        "a1b": file(
            admin, world.estate_a1b, campaign=campaigns["city"], category="po_animals", source="media"
        ),
        "b1a": file(admin, world.estate_b1a, campaign=campaigns["city"]),
        "untagged": file(admin, world.estate_a2a),
    }


def test_the_list_shows_the_campaigns_in_reach_with_their_counts(client, world, campaigns, tagged):
    with translation.override("en"):
        response = log_in(client, world, "district_a_officer").get(reverse("campaigns:list"), headers=EN)
    assert response.status_code == 200
    assert listed(response) == {campaigns["city"].pk, campaigns["district_a"].pk}
    row = next(c for c in response.context["page_obj"] if c.pk == campaigns["city"].pk)
    assert row.open_count == 2  # the two in district A
    html = response.content.decode()
    assert campaigns["city"].name in html and "Active" in html
    assert campaigns["district_b"].name not in html


def test_the_nav_shows_campaigns_to_regional_staff_only(client, world):
    with translation.override("en"):
        staff = log_in(client, world, "subdistrict_a1_officer").get(reverse("cases:ledger"), headers=EN)
        staff = staff.content.decode()
        assert reverse("campaigns:list") in staff
        owner = (
            log_in(client, world, "owner_of_a1a_101")
            .get(reverse("cases:ledger"), headers=EN)
            .content.decode()
        )
        assert reverse("campaigns:list") not in owner


def queries_for(client, url, expected_rows):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    page = response.context["page_obj"]
    # The campaigns list counts by page number; the campaign's ledger takes its total from the counts.
    assert (page.paginator.count if hasattr(page, "paginator") else page.total) == expected_rows
    return len(queries)


def test_the_list_and_the_ledger_cost_the_same_queries_for_few_and_many_rows(
    client, world, actor_of, campaigns
):
    log_in(client, world, "city_admin")
    admin = actor_of("city_admin")
    client.get(reverse("campaigns:list"))  # warm the session and the actor
    ledger_url = reverse("campaigns:detail", args=[campaigns["city"].pk])
    list_url = reverse("campaigns:list")
    client.get(ledger_url)  # the campaigns of the ledger's filter are cached from here on

    def add(count):
        for i in range(Case.objects.count(), count):
            file(
                admin,
                world.estate_a1a,
                campaign=campaigns["city"],
                confirm_not_duplicate=True,
                now=NOW + dt.timedelta(minutes=i),
            )
        for i in range(Campaign.objects.count(), count):
            Campaign.objects.create(
                name=f"专项{i}", region=world.regions["city"], starts_on=NOW.date(), ends_on=NOW.date()
            )

    add(5)
    few = (queries_for(client, list_url, 5), queries_for(client, ledger_url, 5))
    add(25)
    assert (queries_for(client, list_url, 25), queries_for(client, ledger_url, 25)) == few


def test_the_campaign_ledger_has_its_cases_counts_filters_and_export_link(client, world, campaigns, tagged):
    url = reverse("campaigns:detail", args=[campaigns["city"].pk])
    log_in(client, world, "city_admin")
    with translation.override("en"):
        response = client.get(url, headers=EN)
    assert response.status_code == 200
    assert listed(response) == {tagged[key].pk for key in ("a1a", "a1b", "b1a")}
    assert response.context["counts"]["total"] == 3
    html = response.content.decode()
    assert campaigns["city"].name in html
    assert f"{reverse('cases:export')}?campaign={campaigns['city'].pk}" in html
    filtered = client.get(url, {"source": "media"})
    assert listed(filtered) == {tagged["a1b"].pk}
    assert filtered.context["counts"]["total"] == 1
    by_region = client.get(url, {"region": world.regions["district_b"].pk})
    assert listed(by_region) == {tagged["b1a"].pk}
    # Another campaign in the query string cannot widen or swap the ledger.
    swapped = client.get(url, {"campaign": campaigns["district_a"].pk})
    assert listed(swapped) == {tagged[key].pk for key in ("a1a", "a1b", "b1a")}
    # Sorted like the case ledger, the campaign kept in the export's link with the order.
    by_deadline = client.get(url, {"sort": "-deadline"})
    rows = list(by_deadline.context["page_obj"])
    assert [case.pk for case in rows] == [
        case.pk for case in sorted(rows, key=lambda case: (case.deadline, case.pk), reverse=True)
    ]
    export_link = f"{reverse('cases:export')}?sort=-deadline&amp;campaign={campaigns['city'].pk}"
    assert export_link in by_deadline.content.decode()


def test_the_htmx_request_gets_the_results_alone(client, world, campaigns, tagged):
    url = reverse("campaigns:detail", args=[campaigns["city"].pk])
    response = log_in(client, world, "city_admin").get(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="results"' in html and "<html" not in html
    assert response.context["counts"]["total"] == 3


def test_a_campaign_out_of_reach_is_not_found(client, world, campaigns):
    log_in(client, world, "district_b_officer")
    assert client.get(reverse("campaigns:detail", args=[campaigns["district_a"].pk])).status_code == 404
    assert client.get(reverse("campaigns:edit", args=[campaigns["district_a"].pk])).status_code == 404
    log_in(client, world, "enterprise_x_staff")
    assert client.get(reverse("campaigns:detail", args=[campaigns["city"].pk])).status_code == 404


def test_the_export_of_a_campaign_has_only_its_cases(client, world, campaigns, tagged):
    log_in(client, world, "district_a_officer")
    response = client.get(reverse("cases:export"), {"campaign": campaigns["city"].pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    numbers = {row[1] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    assert numbers == {tagged["a1a"].number, tagged["a1b"].number}


def test_the_body_of_a_region_launches_a_campaign_from_the_form(client, world, today):
    log_in(client, world, "district_a_officer")
    form = client.get(reverse("campaigns:new"))
    assert list(form.context["form"].fields["region"].queryset) == [world.regions["district_a"]]
    data = {
        "region": world.regions["district_a"].pk,
        "name": "兴庆区物业专项",
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=60)).isoformat(),
        "basis": "YUN §4",
    }
    response = client.post(reverse("campaigns:new"), data)
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    # The form offers only their own region; another is not a valid choice.
    refused = client.post(reverse("campaigns:new"), {**data, "region": world.regions["city"].pk})
    assert refused.status_code == 200 and "region" in refused.context["form"].errors


def test_the_form_is_refused_to_roles_without_the_permission(client, world):
    log_in(client, world, "community_a1a_officer")
    assert client.get(reverse("campaigns:new")).status_code == 403


def test_the_body_that_runs_it_edits_a_campaign(client, world, campaigns, today):
    url = reverse("campaigns:edit", args=[campaigns["district_a"].pk])
    assert log_in(client, world, "city_admin").get(url).status_code == 403
    log_in(client, world, "district_a_officer")
    data = {
        "name": "新名称",
        "starts_on": today.isoformat(),
        "ends_on": (today - dt.timedelta(days=3)).isoformat(),
    }
    with translation.override("en"):
        refused = client.post(url, data, headers=EN)
    assert "ends_on" in refused.context["form"].errors
    data["ends_on"] = today.isoformat()
    assert client.post(url, data).status_code == 302
    assert Campaign.objects.get(pk=campaigns["district_a"].pk).name == "新名称"


def test_the_case_page_shows_its_campaign_and_tags_it(client, world, actor_of, campaigns):
    case = file(actor_of("city_admin"), world.estate_a1a)
    log_in(client, world, "subdistrict_a1_officer")
    page = client.get(reverse("cases:detail", args=[case.pk]))
    choices = set(page.context["campaign_form"].fields["campaign"].queryset)
    assert choices == {campaigns["city"], campaigns["district_a"]}
    response = client.post(
        reverse("campaigns:case_set", args=[case.pk]),
        {"version": case.version, "campaign": campaigns["city"].pk},
    )
    assert response.status_code == 302
    assert fresh(case).campaign == campaigns["city"]
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.context["case_campaign"] == campaigns["city"]
    assert reverse("campaigns:detail", args=[campaigns["city"].pk]) in page.content.decode()
    # A stale page is refused; untagging with the current version works.
    client.post(reverse("campaigns:case_set", args=[case.pk]), {"version": case.version, "campaign": ""})
    assert fresh(case).campaign == campaigns["city"]
    client.post(
        reverse("campaigns:case_set", args=[case.pk]), {"version": fresh(case).version, "campaign": ""}
    )
    assert fresh(case).campaign is None


def test_a_case_page_offers_no_tagging_to_those_who_may_not(client, world, actor_of, campaigns):
    case = file(actor_of("city_admin"), world.estate_a1a, campaign=campaigns["city"])
    page = log_in(client, world, "enterprise_x_staff").get(reverse("cases:detail", args=[case.pk]))
    assert page.context["campaign_form"] is None
    assert page.context["case_campaign"] is None  # enterprises do not see the authorities' campaigns
    response = client.post(
        reverse("campaigns:case_set", args=[case.pk]), {"version": case.version, "campaign": ""}
    )
    assert response.status_code == 403
    assert fresh(case).campaign == campaigns["city"]


def test_the_hotline_form_offers_active_campaigns_and_files_with_one(client, world, campaigns, today):
    Campaign.objects.filter(pk=campaigns["district_a"].pk).update(ends_on=today - dt.timedelta(days=1))
    log_in(client, world, "subdistrict_a1_officer")
    form = client.get(reverse("cases:new")).context["form"]
    assert set(form.fields["campaign"].queryset) == {campaigns["city"]}
    data = {
        "estate": world.estate_a1a.pk,
        "category": "everyday_cleaning",
        "source": "hotline_12345",
        "urgency": "normal",
        "description": "楼道堆物",
        "campaign": campaigns["city"].pk,
    }
    response = client.post(reverse("cases:new"), data)
    assert response.status_code == 302
    assert Case.objects.get().campaign == campaigns["city"]
