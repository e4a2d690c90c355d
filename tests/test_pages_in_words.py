"""Every page that shows a case's states, sources, channels or timeline says them in words: no
internal code (`close_out`, `in_progress`, `qr_code`, `qr:1`) in the text a person reads. The API
keeps the codes."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jiayuan.campaigns.services import campaign_create, case_set_campaign
from jiayuan.cases.choices import Outcome, Source, State
from jiayuan.cases.links import case_follow_token
from jiayuan.cases.services import (
    case_accept,
    case_close_out,
    case_dispatch,
    case_rectify,
    case_send_back,
    case_start,
    case_verify,
)
from jiayuan.cases.tests.factories import file, step
from jiayuan.intake.services import intake_actor

pytestmark = pytest.mark.django_db

# The codes no English or Chinese word can be mistaken for (a state "accepted" is also a word).
CODES = sorted(
    code
    for code in {*State.values, *Source.values, *Outcome.values, "qr:", "send_back", "close_out"}
    if "_" in code or ":" in code
)


def visible_text(page: str) -> str:
    """What a reader sees: no tags, attributes, scripts or styles."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def lived_case(world, actor_of):
    community, staff = actor_of("community_a1a_officer"), actor_of("enterprise_x_staff")
    supervisor = actor_of("subdistrict_a1_officer")
    case = file(intake_actor(world.estate_a1a), world.estate_a1a, source=Source.QR_CODE)
    step(case_accept, community, case)
    step(case_dispatch, community, case)
    step(case_start, staff, case)
    step(case_rectify, staff, case, measures="已清理", evidence="照片")
    step(case_send_back, supervisor, case, reason="仍有垃圾")
    step(case_rectify, staff, case, measures="再次清理", evidence="照片")
    step(case_verify, supervisor, case)
    step(case_close_out, supervisor, case, outcome=Outcome.FIXED)
    today = timezone.localdate()
    campaign = campaign_create(
        actor=actor_of("city_admin"),
        region=world.regions["city"],
        name="物业服务质量提升专项行动",
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=100),
        basis="YUN §4",
    )
    case_set_campaign(actor=supervisor, case=case, campaign=campaign)
    return case, campaign


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_page_that_shows_cases_reads_out_an_internal_code(client, world, lived_case, language):
    case, campaign = lived_case
    client.force_login(world.users["subdistrict_a1_officer"])
    pages = [
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:ledger"),
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("campaigns:list"),
        reverse("intake:follow", args=[case_follow_token(case)]),
    ]
    for url in pages:
        response = client.get(url, headers={"accept-language": language})
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        for code in CODES:
            assert not re.search(rf"\b{re.escape(code)}\b", text), (url, code)
