"""Every write through the Django admin is audited or refused (等保 2.0, docs/audit.md).

Walks every registered model admin as a system administrator: each write the admin allows must be
backed by a service (`ServiceAdmin`), and a change or deletion posted to it either leaves an audit
event naming the object or leaves the row as it was.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.test import RequestFactory
from django.urls import reverse

from jiayuan.audit.models import AuditEvent
from jiayuan.audit.services import checkpoint_create, record_event, verification_run
from jiayuan.core.actor import system_actor
from jiayuan.core.admin_site import ServiceAdmin

pytestmark = pytest.mark.django_db

REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
LABELS = [model._meta.label for model, _admin in REGISTRY]


def model_admin(label: str) -> tuple[type[models.Model], admin.ModelAdmin]:
    return next((model, model_admin) for model, model_admin in REGISTRY if model._meta.label == label)


@pytest.fixture
def rows(world):
    """Rows of the registered models the test world does not hold."""
    from axes.models import AccessAttempt, AccessFailureLog
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jiayuan.accounts.services import api_token_issue
    from jiayuan.campaigns.models import Campaign
    from jiayuan.core.actor import actor_for
    from jiayuan.governance.models import ManagementCommittee, OwnersAssembly
    from jiayuan.imports.services import import_job_create
    from jiayuan.notifications.services import verification_request
    from jiayuan.open311.services import api_client_create
    from jiayuan.workdays.choices import DayKind
    from jiayuan.workdays.services import workday_adjustment_set

    api_token_issue(user=world.users["city_admin"])
    with transaction.atomic():
        record_event(actor=system_actor(), action="thing.done")
    checkpoint_create()
    verification_run()
    api_client_create(actor=system_actor(), name="市12345", region=world.regions["city"])
    verification_request(phone="13912345678", purpose="case_intake")
    import_job_create(
        actor=actor_for(world.users["district_a_officer"]),
        kind="estates",
        file=SimpleUploadedFile("台账.xlsx", b"PK not read: the job stays queued"),
    )
    attempt = {
        "user_agent": "x",
        "ip_address": "10.0.0.1",
        "username": "u",
        "http_accept": "*",
        "path_info": "/",
    }
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=3)
    AccessFailureLog.objects.create(**attempt)
    today = dt.date(2026, 3, 16)
    Campaign.objects.create(
        name="专项行动", region=world.regions["district_a"], starts_on=today, ends_on=today
    )
    ManagementCommittee.objects.create(
        estate=world.estates["estate_a2a"], term_start=today, term_end=today + dt.timedelta(days=365)
    )
    OwnersAssembly.objects.create(estate=world.estates["estate_a1a"], established_on=today)
    workday_adjustment_set(actor=system_actor(), day=dt.date(2027, 4, 5), kind=DayKind.DAY_OFF, name="清明节")
    return world


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.users["system_admin"])
    return client


def admin_url(model: type[models.Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def snapshot(model: type[models.Model], pk: Any) -> dict[str, Any] | None:
    return model._default_manager.filter(pk=pk).values().first()


def events_about(model: type[models.Model], pk: Any, since: int) -> list[AuditEvent]:
    """Events naming the row (a token's event names its user: the key is a secret)."""
    label = model._meta.concrete_model._meta.label_lower
    if model._meta.label == "knox.AuthToken":  # its events name its user and key: the digest is a secret
        return list(AuditEvent.objects.filter(id__gt=since, action__startswith="api_token.revoked"))
    return list(AuditEvent.objects.filter(id__gt=since, object_type=label, object_id=str(pk)))


def last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def changed_value(field: forms.Field, value: Any) -> Any:
    """Another valid value for a form field, or None when this kind of field is not tried."""
    if isinstance(field, forms.BooleanField):
        return not value
    if isinstance(field, forms.DecimalField):
        return (value or Decimal(0)) + 1
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        others = [key for key, _label in field.choices if key not in ("", value)]
        return others[0] if others else None
    if isinstance(field, forms.CharField) and not isinstance(field, forms.EmailField):
        return f"{value or ''}改"[: field.max_length or 100]
    return None


def form_data(response: Any) -> dict[str, Any]:
    """What the change page would post back unchanged: the form's and the inlines' initial data."""
    data: dict[str, Any] = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
    return data


def test_every_write_the_admin_allows_goes_through_a_service(rows, world):
    request = RequestFactory().get("/admin/")
    request.user = world.users["system_admin"]
    for model, admin_instance in REGISTRY:
        obj = model._default_manager.first()
        allowed = {
            "create": admin_instance.has_add_permission(request),
            "update": admin_instance.has_change_permission(request, obj),
            "remove": admin_instance.has_delete_permission(request, obj),
        }
        for hook, granted in allowed.items():
            if granted:
                assert isinstance(admin_instance, ServiceAdmin), (model._meta.label, hook)
                assert type(admin_instance).implements(hook), (model._meta.label, hook)
        for inline in admin_instance.get_inline_instances(request, obj):
            assert not inline.has_add_permission(request, obj), model._meta.label
            assert not inline.has_change_permission(request, obj), model._meta.label
            assert not inline.has_delete_permission(request, obj), model._meta.label


@pytest.mark.parametrize("label", LABELS)
def test_a_change_in_the_admin_leaves_an_audit_event_or_is_refused(rows, admin_client, label):
    model, _admin = model_admin(label)
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"add a {label} to the rows fixture: every admin is tried on a row"
    url = admin_url(model, "change", obj.pk)
    page = admin_client.get(url)
    assert page.status_code == 200, url
    data = form_data(page)
    form = page.context["adminform"].form
    tried = None
    for name, field in form.fields.items():
        value = changed_value(field, form[name].value())
        if value is not None and not field.disabled:
            data[name] = "on" if value is True else value
            if value is False:
                data.pop(name, None)
            tried = name
            break
    before, since = snapshot(model, obj.pk), last_event_id()
    response = admin_client.post(url, data)
    after = snapshot(model, obj.pk)
    if after != before:
        assert events_about(model, obj.pk, since), f"{label}: {tried} changed without an audit event"
    else:
        assert response.status_code in (302, 403) or tried is None, (label, tried, response.status_code)


@pytest.mark.parametrize("label", LABELS)
def test_a_deletion_in_the_admin_leaves_an_audit_event_or_is_refused(rows, admin_client, label):
    model, _admin = model_admin(label)
    obj = model._default_manager.order_by("-pk").first()
    assert obj is not None, f"add a {label} to the rows fixture: every admin is tried on a row"
    since = last_event_id()
    admin_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"})
    if snapshot(model, obj.pk) is None:
        assert events_about(model, obj.pk, since), f"{label} deleted without an audit event"


@pytest.mark.parametrize("label", LABELS)
def test_the_bulk_delete_action_leaves_an_audit_event_or_is_refused(rows, admin_client, label):
    model, _admin = model_admin(label)
    obj = model._default_manager.order_by("-pk").first()
    assert obj is not None, f"add a {label} to the rows fixture: every admin is tried on a row"
    since = last_event_id()
    admin_client.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    if snapshot(model, obj.pk) is None:
        assert events_about(model, obj.pk, since), f"{label} deleted in bulk without an audit event"


# --- the writes the admin allows, one by one ----------------------------------------------------------


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def test_renaming_an_estate_in_the_admin_is_audited(rows, admin_client):
    from jiayuan.estates.models import Estate

    estate = rows.estates["estate_a1a"]
    page = admin_client.get(admin_url(Estate, "change", estate.pk))
    data = {**form_data(page), "name": "改名小区"}
    assert admin_client.post(admin_url(Estate, "change", estate.pk), data).status_code == 302
    event = AuditEvent.objects.get(action="estate.updated", object_id=str(estate.pk))
    assert event.actor_username == "system_admin"
    assert event.data["name"] == [estate.name, "改名小区"]


def test_a_role_is_granted_in_the_admin_through_the_service(rows, admin_client):
    from jiayuan.accounts.models import Membership

    user, bureau = (
        rows.users["owner_of_a1a_101"],
        rows.users["district_a_officer"].memberships.get().organisation,
    )
    refused = admin_client.post(
        admin_url(Membership, "add"),
        {"user": user.pk, "organisation": bureau.pk, "role": "owner"},
        follow=True,
    )
    assert messages_of(refused)  # the service's refusal, in the interface language
    assert not Membership.objects.filter(user=user, organisation=bureau).exists()
    admin_client.post(
        admin_url(Membership, "add"), {"user": user.pk, "organisation": bureau.pk, "role": "auditor"}
    )
    granted = Membership.objects.get(user=user, organisation=bureau)
    assert AuditEvent.objects.filter(action="membership.granted", object_id=str(granted.pk)).exists()
    admin_client.post(admin_url(Membership, "delete", granted.pk), {"post": "yes"})
    assert not Membership.objects.filter(pk=granted.pk).exists()
    assert AuditEvent.objects.get(action="membership.revoked").data["role"] == "auditor"


def test_a_user_is_added_and_given_a_password_in_the_admin_through_the_services(rows, admin_client):
    from jiayuan.accounts.models import User

    password = "a-long-pass-9483"
    added = admin_client.post(
        admin_url(User, "add"),
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": password,
            "password2": password,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert added.status_code == 302, added.context["adminform"].form.errors if added.context else added
    user = User.objects.get(username="newcomer")
    assert AuditEvent.objects.filter(action="user.created", object_id=str(user.pk)).exists()
    other = "another-long-pass-2741"
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=(user.pk,)),
        {"usable_password": "true", "password1": other, "password2": other},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(other)
    event = AuditEvent.objects.get(action="user.password_set", object_id=str(user.pk))
    assert other not in str(event.data) and user.password not in str(event.data)


def test_only_a_superuser_makes_a_superuser(rows, admin_client):
    from jiayuan.accounts.models import User

    user = rows.users["district_a_officer"]
    page = admin_client.get(admin_url(User, "change", user.pk))
    response = admin_client.post(
        admin_url(User, "change", user.pk), {**form_data(page), "is_superuser": "on"}, follow=True
    )
    assert messages_of(response)
    user.refresh_from_db()
    assert not user.is_superuser


def test_a_user_on_record_in_the_audit_log_is_not_deleted(rows, admin_client):
    from jiayuan.accounts.models import User
    from jiayuan.core.actor import actor_for

    user = rows.users["district_a_officer"]
    with transaction.atomic():
        record_event(actor=actor_for(user), action="thing.done")
    response = admin_client.post(admin_url(User, "delete", user.pk), {"post": "yes"}, follow=True)
    assert User.objects.filter(pk=user.pk).exists()
    assert response.status_code == 200


def test_units_and_ownerships_are_added_and_removed_in_the_admin_through_the_services(rows, admin_client):
    from jiayuan.estates.models import Ownership, Unit

    building = rows.estates["estate_a1a"].buildings.first()
    admin_client.post(
        admin_url(Unit, "add"), {"building": building.pk, "number": "9901", "exclusive_area": "88.50"}
    )
    unit = Unit.objects.get(number="9901")
    assert unit.estate_id == building.estate_id
    owner = Ownership.objects.first().owner
    admin_client.post(
        admin_url(Ownership, "add"), {"unit": unit.pk, "owner": owner.pk, "since": "2024-05-01"}
    )
    ownership = Ownership.objects.get(unit=unit)
    refused = admin_client.post(admin_url(Unit, "delete", unit.pk), {"post": "yes"}, follow=True)
    assert messages_of(refused) and Unit.objects.filter(pk=unit.pk).exists()
    admin_client.post(admin_url(Ownership, "delete", ownership.pk), {"post": "yes"})
    admin_client.post(admin_url(Unit, "delete", unit.pk), {"post": "yes"})
    assert not Unit.objects.filter(pk=unit.pk).exists()
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-4:] == ["unit.created", "ownership.registered", "ownership.ended", "unit.deleted"]


def test_a_read_only_admin_refuses_to_add(rows, admin_client):
    from jiayuan.enterprises.models import Enterprise

    assert admin_client.post(admin_url(Enterprise, "add"), {"name": "x"}).status_code == 403
