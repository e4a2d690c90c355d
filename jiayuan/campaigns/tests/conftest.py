"""Campaigns of the test world: one of the city, one of district A, one of district B."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jiayuan.campaigns.models import Campaign
from jiayuan.campaigns.services import campaign_create


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def campaigns(world: Any, actor_of: Any, today: dt.date) -> dict[str, Campaign]:
    def launch(persona: str, region: str, name: str) -> Campaign:
        return campaign_create(
            actor=actor_of(persona),
            region=world.regions[region],
            name=name,
            starts_on=today - dt.timedelta(days=10),
            ends_on=today + dt.timedelta(days=100),
            basis="YUN §4",
        )

    return {
        "city": launch("city_admin", "city", "物业服务质量提升专项行动"),
        "district_a": launch("district_a_officer", "district_a", "兴庆区电梯安全专项整治"),
        "district_b": launch("district_b_officer", "district_b", "金凤区消防通道专项整治"),
    }
