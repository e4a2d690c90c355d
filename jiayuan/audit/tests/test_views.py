"""The auditors' page of verifications: readable with `audit.read` only."""

import pytest
from django.db import transaction
from django.urls import reverse

from jiayuan.audit.models import AuditEvent
from jiayuan.audit.services import record_event, verification_run
from jiayuan.audit.tests.tampering import tampering
from jiayuan.core.actor import system_actor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["auditor", "system_admin"])
def test_auditors_read_every_verification_newest_first(client, world, persona):
    with transaction.atomic():
        event = record_event(actor=system_actor(), action="thing.done")
    intact, _ = verification_run()
    with tampering():
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    broken, _ = verification_run()
    client.force_login(world.users[persona])
    response = client.get(reverse("audit:verifications"))
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [broken, intact]
    assert response.context["audit"]["verification"] == broken
    assert f"{event.pk}" in response.content.decode()


@pytest.mark.parametrize("persona", ["city_admin", "district_a_officer", "owner_of_a1a_101"])
def test_other_roles_are_refused(client, world, persona):
    client.force_login(world.users[persona])
    assert client.get(reverse("audit:verifications")).status_code == 403


def test_anonymous_users_go_to_the_login_page(client):
    assert client.get(reverse("audit:verifications")).status_code == 302
