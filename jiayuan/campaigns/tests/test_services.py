"""Campaign services: who may launch and change a campaign where, tagging only covered cases, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from jiayuan.audit.models import AuditEvent
from jiayuan.campaigns.models import Campaign
from jiayuan.campaigns.services import campaign_create, campaign_update, case_set_campaign
from jiayuan.cases.choices import EventKind
from jiayuan.cases.tests.factories import file, fresh
from jiayuan.core.actor import system_actor
from jiayuan.core.exceptions import Conflict, DomainError, NotPermitted

pytestmark = pytest.mark.django_db


def launch(actor, region, today, **extra):
    values = {"name": "专项行动", "starts_on": today, "ends_on": today + dt.timedelta(days=30), **extra}
    return campaign_create(actor=actor, region=region, **values)


@pytest.mark.parametrize(
    ("persona", "region"),
    [("city_admin", "city"), ("district_a_officer", "district_a"), ("subdistrict_a1_officer", "sub_a1")],
)
def test_the_body_of_a_region_launches_its_campaign_and_it_is_audited(
    world, actor_of, today, persona, region
):
    campaign = launch(actor_of(persona), world.regions[region], today, basis=" YUN §4 ")
    assert campaign.region == world.regions[region]
    assert campaign.basis == "YUN §4"
    assert campaign.created_by == world.users[persona]
    event = AuditEvent.objects.get(action="campaign.created")
    assert event.object_id == str(campaign.pk)
    assert event.data["region"] == world.regions[region].code


@pytest.mark.parametrize(
    ("persona", "region"),
    [
        ("subdistrict_a1_officer", "city"),  # above them
        ("subdistrict_a1_officer", "sub_a2"),  # a neighbour
        ("district_a_officer", "district_b"),  # another district
        ("district_a_officer", "sub_a1"),  # below them: the subdistrict runs its own
        ("city_admin", "com_a1a"),  # communities run no campaigns
    ],
)
def test_nobody_launches_a_campaign_for_a_region_they_do_not_administer(
    world, actor_of, today, persona, region
):
    with pytest.raises(NotPermitted):
        launch(actor_of(persona), world.regions[region], today)
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    "persona", ["community_a1a_officer", "auditor", "enterprise_x_staff", "owner_of_a1a_101"]
)
def test_roles_without_the_permission_launch_nothing(world, actor_of, today, persona):
    with pytest.raises(NotPermitted):
        launch(actor_of(persona), world.regions["city"], today)


def test_a_campaign_cannot_end_before_it_starts_or_lack_a_name(world, actor_of, today):
    actor = actor_of("city_admin")
    with pytest.raises(DomainError) as refused:
        launch(actor, world.regions["city"], today, ends_on=today - dt.timedelta(days=1))
    assert refused.value.field == "ends_on"
    with pytest.raises(DomainError) as refused:
        launch(actor, world.regions["city"], today, name="  ")
    assert refused.value.field == "name"


def test_update_changes_the_fields_and_records_what_changed(world, actor_of, campaigns, today):
    campaign = campaigns["district_a"]
    new_end = today + dt.timedelta(days=5)
    campaign_update(actor=actor_of("district_a_officer"), campaign=campaign, ends_on=new_end, name="新名称")
    campaign.refresh_from_db()
    assert (campaign.name, campaign.ends_on) == ("新名称", new_end)
    event = AuditEvent.objects.get(action="campaign.updated")
    assert set(event.data) == {"name", "ends_on"}


def test_update_is_for_the_body_that_runs_it(world, actor_of, campaigns):
    # The city admin sees district A's campaign but does not run it; district B does not see it at all.
    with pytest.raises(NotPermitted):
        campaign_update(actor=actor_of("city_admin"), campaign=campaigns["district_a"], name="x")
    with pytest.raises(Http404):
        campaign_update(actor=actor_of("district_b_officer"), campaign=campaigns["district_a"], name="x")
    with pytest.raises(DomainError):
        campaign_update(actor=actor_of("district_a_officer"), campaign=campaigns["district_a"], region=1)


def test_tagging_a_covered_case_notes_it_on_the_timeline_and_audits_it(world, actor_of, campaigns):
    actor = actor_of("subdistrict_a1_officer")
    case = file(actor, world.estate_a1a)
    version = case.version
    case_set_campaign(actor=actor, case=case, campaign=campaigns["district_a"], version=version)
    case = fresh(case)
    assert case.campaign == campaigns["district_a"]
    assert case.version == version + 1
    note = case.events.get(kind=EventKind.NOTE)
    assert note.data["campaign"] == campaigns["district_a"].pk
    assert campaigns["district_a"].name in note.reason
    assert AuditEvent.objects.filter(action="case.campaign_set", object_id=str(case.pk)).count() == 1

    case_set_campaign(actor=actor, case=case, campaign=None)
    case = fresh(case)
    assert case.campaign is None
    assert case.events.filter(kind=EventKind.NOTE).count() == 2


def test_a_case_is_tagged_only_with_a_campaign_that_covers_its_estate(world, actor_of, campaigns):
    case = file(actor_of("district_b_officer"), world.estate_b1a)
    with pytest.raises(DomainError) as refused:
        case_set_campaign(actor=system_actor(), case=case, campaign=campaigns["district_a"])
    assert refused.value.code == "campaign_does_not_cover"
    assert refused.value.field == "campaign"
    assert fresh(case).campaign is None
    case_set_campaign(actor=system_actor(), case=case, campaign=campaigns["city"])
    assert fresh(case).campaign == campaigns["city"]


def test_tagging_needs_the_case_in_reach_and_the_current_version(world, actor_of, campaigns):
    case = file(actor_of("subdistrict_a1_officer"), world.estate_a1a)
    with pytest.raises(Http404):
        case_set_campaign(actor=actor_of("district_b_officer"), case=case, campaign=campaigns["city"])
    with pytest.raises(NotPermitted):
        case_set_campaign(actor=actor_of("enterprise_x_staff"), case=case, campaign=campaigns["city"])
    with pytest.raises(Conflict):
        case_set_campaign(
            actor=actor_of("city_admin"), case=case, campaign=campaigns["city"], version=case.version + 1
        )
    assert fresh(case).campaign is None


def test_filing_with_a_campaign_checks_that_it_covers_the_estate(world, actor_of, campaigns):
    actor = actor_of("city_admin")
    with pytest.raises(DomainError) as refused:
        file(actor, world.estate_b1a, campaign=campaigns["district_a"])
    assert refused.value.field == "campaign"
    case = file(actor, world.estate_a1a, campaign=campaigns["district_a"])
    assert fresh(case).campaign == campaigns["district_a"]
    assert AuditEvent.objects.get(action="case.filed", object_id=str(case.pk)).data["campaign"] == (
        campaigns["district_a"].pk
    )
