"""The scoping module resolves every persona to the reach the rules give it."""

import pytest

from jiayuan.core.testing import EXPECTED_ENTERPRISES, EXPECTED_ESTATES
from jiayuan.enterprises.models import Enterprise
from jiayuan.estates.models import Estate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", sorted(EXPECTED_ESTATES))
def test_each_persona_sees_exactly_its_estates(world, actor_of, persona):
    names = {
        key
        for key, estate in world.estates.items()
        if Estate.objects.visible_to(actor_of(persona)).filter(pk=estate.pk).exists()
    }
    assert names == EXPECTED_ESTATES[persona]


@pytest.mark.parametrize("persona", sorted(EXPECTED_ENTERPRISES))
def test_each_persona_sees_exactly_its_enterprises(world, actor_of, persona):
    visible = set(Enterprise.objects.visible_to(actor_of(persona)).values_list("pk", flat=True))
    names = {key for key, ent in world.enterprises.items() if ent.pk in visible}
    assert names == EXPECTED_ENTERPRISES[persona]
