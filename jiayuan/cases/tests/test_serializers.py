"""The case serializers write their fields by hand for speed: they must say what DRF would."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone
from rest_framework import serializers

from jiayuan.cases.api.serializers import CaseDetailOutputSerializer, CaseOutputSerializer, iso_datetime
from jiayuan.cases.selectors import case_detail, ledger
from jiayuan.cases.services import case_accept, case_dispatch, case_moderate, case_refer
from jiayuan.cases.tests.factories import POLICE_CATEGORY, file, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world, actor_of):
    """Cases in several shapes: submitted and overdue, dispatched to the enterprise, referred to
    the police, moderated, at two estates."""
    community = actor_of("community_a1a_officer")
    old = file(community, world.estate_a1a, now=timezone.now() - dt.timedelta(days=30))
    step(case_moderate, community, old, moderated_text="楼道卫生问题", reason="辱骂", now=timezone.now())
    again = {"confirm_not_duplicate": True}
    lift = file(community, world.estate_a1a, description="电梯停运", **again)
    dispatched = step(case_accept, community, lift)
    step(case_dispatch, community, dispatched, responsible_person="李四")
    referred = step(case_accept, community, file(community, world.estate_a1a, category=POLICE_CATEGORY))
    step(case_refer, community, referred, department=world.departments["police_a"], reason="涉嫌违法")
    file(community, world.estate_a1a, complainant_name="欧阳小明", description="绿地被占", **again)
    return community


def generic(serializer: serializers.Serializer, case) -> dict:
    return serializers.Serializer.to_representation(serializer, case)


@pytest.mark.parametrize("persona", ["community_a1a_officer", "owner_of_a1a_101"])
def test_a_ledger_row_is_what_drfs_generic_path_writes(cases, actor_of, persona):
    request = RequestFactory().get("/")
    request.user = actor_of(persona).user
    rows = list(ledger(actor=actor_of(persona)))
    serializer = CaseOutputSerializer(context={"request": request})

    assert len(rows) == 4
    for case in rows:
        assert serializer.to_representation(case) == generic(serializer, case)
        assert list(serializer.to_representation(case)) == list(serializer.fields)


def test_a_case_with_its_timeline_is_what_drfs_generic_path_writes(cases, actor_of):
    request = RequestFactory().get("/")
    request.user = cases.user
    for row in ledger(actor=cases):
        case = case_detail(actor=cases, pk=row.pk)
        serializer = CaseDetailOutputSerializer(context={"request": request})
        assert serializer.to_representation(case) == generic(serializer, case)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        (dt.datetime(2026, 3, 16, 2, 0, tzinfo=dt.UTC), "2026-03-16T10:00:00+08:00"),
    ],
)
def test_datetimes_are_written_in_the_current_time_zone(value, text):
    assert iso_datetime(value) == text
    with timezone.override(dt.UTC):
        assert iso_datetime(value) == (text and "2026-03-16T02:00:00Z")
