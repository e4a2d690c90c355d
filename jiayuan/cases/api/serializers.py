"""Input and output of the case endpoints, one serializer per operation.

Every transition takes `version`, the version of the case the client last saw: if someone else has
changed the case since, the transition is refused with 409 `stale_version` and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiayuan.cases.campaign_hooks import campaign_hooks, campaign_model
from jiayuan.cases.choices import EventKind, HandlerKind, Outcome, Source, State, Urgency
from jiayuan.cases.deadlines import is_due_soon
from jiayuan.cases.models import Case, CaseEvent
from jiayuan.core.api import NamedRefSerializer, ScopedPrimaryKeyField, request_actor
from jiayuan.core.masking import mask_name
from jiayuan.estates.models import Estate
from jiayuan.policy.loader import active_preset
from jiayuan.regions.models import Department

# --- output -------------------------------------------------------------------------------------------


def visible_campaign_names(request: Any, cases: Any) -> dict[int, str]:
    """{campaign id: name} of the given cases' campaigns the caller sees (one query, none if untagged)."""
    ids = {case.campaign_id for case in cases if case.campaign_id is not None}
    if not ids:
        return {}
    return campaign_hooks().names(request_actor(request), ids)


def iso_datetime(value: dt.datetime | None) -> str | None:
    """As DRF's DateTimeField writes it: in the current time zone, ISO 8601, UTC as `Z`."""
    if not value:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class CaseOutputSerializer(serializers.Serializer):
    """A line of the ledger, as `cases.selectors.ledger` returns it. The complainant is masked."""

    id = serializers.IntegerField()
    number = serializers.CharField(help_text="The case number, e.g. `YC-2026-000123`.")
    version = serializers.IntegerField(help_text="Send it back with the next transition.")
    estate = NamedRefSerializer()
    community = NamedRefSerializer(source="estate.community")
    category = serializers.CharField(help_text="A code of the active policy preset's catalogue.")
    description = serializers.CharField(
        source="public_description", help_text="The moderated text if a moderator hid the original."
    )
    moderated = serializers.SerializerMethodField(help_text="Whether the description was moderated.")
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    state = serializers.ChoiceField(choices=State.choices)
    outcome = serializers.CharField(help_text="How a closed-out case ended; empty before.")
    complainant_name = serializers.CharField(source="complainant_name_masked", help_text="Masked.")
    complainant_phone = serializers.CharField(source="complainant_phone_masked", help_text="Masked.")
    handler_kind = serializers.CharField(help_text="The kind of the responsible body; empty before dispatch.")
    handler = serializers.SerializerMethodField(help_text="The responsible body, once dispatched.")
    responsible_person = serializers.CharField()
    accept_due_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField()
    is_overdue = serializers.BooleanField()
    due_soon = serializers.SerializerMethodField(help_text="Not overdue, but due within the preset's window.")
    escalation_level = serializers.IntegerField(help_text="0, or 1-3: escalated to the subdistrict ... city.")
    reopen_count = serializers.IntegerField()
    rating = serializers.IntegerField(allow_null=True)
    is_poor_rating = serializers.SerializerMethodField(help_text="Rated at or below the preset's poor mark.")
    campaign = serializers.SerializerMethodField(
        help_text="The campaign (专项行动) it is tagged with, if you see it."
    )
    created_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, instance: Case) -> dict[str, Any]:
        """The fields declared above, written out: a list page is 20 rows of 30 fields, and DRF's
        field-by-field machinery was most of the API list's time (bench/reports/cases_city.md).
        `test_serializers` checks this equals DRF's generic representation field for field."""
        case = instance
        estate, community = case.estate, case.estate.community
        return {
            "id": case.pk,
            "number": case.number,
            "version": case.version,
            "estate": {"id": estate.pk, "name": estate.name},
            "community": {"id": community.pk, "name": community.name},
            "category": case.category,
            "description": case.public_description,
            "moderated": self.get_moderated(case),
            "source": case.source,
            "urgency": case.urgency,
            "state": case.state,
            "outcome": case.outcome,
            "complainant_name": case.complainant_name_masked,
            "complainant_phone": case.complainant_phone_masked,
            "handler_kind": case.handler_kind,
            "handler": self.get_handler(case),
            "responsible_person": case.responsible_person,
            "accept_due_at": iso_datetime(case.accept_due_at),
            "deadline": iso_datetime(case.deadline),
            "is_overdue": bool(getattr(case, "is_overdue", False)),
            "due_soon": self.get_due_soon(case),
            "escalation_level": case.escalation_level,
            "reopen_count": case.reopen_count,
            "rating": case.rating,
            "is_poor_rating": self.get_is_poor_rating(case),
            "campaign": self.get_campaign(case),
            "created_at": iso_datetime(case.created_at),
            "closed_at": iso_datetime(case.closed_at),
        }

    @extend_schema_field(serializers.BooleanField())
    def get_moderated(self, case: Case) -> bool:
        return bool(case.moderated_description)

    @extend_schema_field(NamedRefSerializer(allow_null=True))
    def get_handler(self, case: Case) -> dict[str, Any] | None:
        body: Any = case.handler_region
        if case.handler_kind == HandlerKind.ENTERPRISE:
            body = case.handler_enterprise
        elif case.handler_kind == HandlerKind.DEPARTMENT:
            body = case.handler_department
        return {"id": body.pk, "name": body.name} if body is not None else None

    @extend_schema_field(NamedRefSerializer(allow_null=True))
    def get_campaign(self, case: Case) -> dict[str, Any] | None:
        if case.campaign_id is None:
            return None
        names = self.context.get("campaigns")
        if names is None and "request" in self.context:  # one case (detail, after a write)
            names = visible_campaign_names(self.context["request"], [case])
        names = names or {}
        name = names.get(case.campaign_id)
        return {"id": case.campaign_id, "name": name} if name is not None else None

    @extend_schema_field(serializers.BooleanField())
    def get_is_poor_rating(self, case: Case) -> bool:
        return bool(getattr(case, "is_poor_rating", False))

    @extend_schema_field(serializers.BooleanField())
    def get_due_soon(self, case: Case) -> bool:
        now = self.context.setdefault("now", timezone.now())
        return is_due_soon(case, now, active_preset())


class CaseEventOutputSerializer(serializers.Serializer):
    """One entry of the timeline."""

    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor_name = serializers.SerializerMethodField(help_text="Masked when it is the complainant.")
    kind = serializers.ChoiceField(choices=EventKind.choices)
    transition = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    reason = serializers.CharField()
    data = serializers.JSONField(help_text="More about the step.")  # type: ignore[assignment]

    @extend_schema_field(serializers.CharField())
    def get_actor_name(self, event: CaseEvent) -> str:
        case = self.context.get("case")
        if case is not None and event.actor_id and event.actor_id == case.complainant_user_id:
            return mask_name(event.actor_name)
        return event.actor_name


class CaseDetailOutputSerializer(CaseOutputSerializer):
    """A case with what was done about it and its timeline."""

    measures = serializers.CharField()
    evidence = serializers.CharField()
    rating_comment = serializers.CharField()
    duplicate_of = serializers.IntegerField(source="duplicate_of_id", allow_null=True)
    timeline = serializers.SerializerMethodField()

    def to_representation(self, instance: Case) -> dict[str, Any]:
        return {
            **super().to_representation(instance),
            "measures": instance.measures,
            "evidence": instance.evidence,
            "rating_comment": instance.rating_comment,
            "duplicate_of": instance.duplicate_of_id,
            "timeline": self.get_timeline(instance),
        }

    @extend_schema_field(CaseEventOutputSerializer(many=True))
    def get_timeline(self, case: Case) -> Any:
        context = {**self.context, "case": case}
        return CaseEventOutputSerializer(case.events.all(), many=True, context=context).data


class CaseCountsOutputSerializer(serializers.Serializer):
    """Counts for the top of the ledger, of the (filtered) cases the caller sees."""

    total = serializers.IntegerField()
    submitted = serializers.IntegerField()
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    dispatched = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    rectified = serializers.IntegerField()
    verified = serializers.IntegerField()
    closed_out = serializers.IntegerField()
    overdue = serializers.IntegerField()
    poor_rating = serializers.IntegerField()
    fixed = serializers.IntegerField(help_text="Closed out with outcome `fixed`.")


# --- input --------------------------------------------------------------------------------------------


class CaseCreateInputSerializer(serializers.Serializer):
    # With its community: the service checks the scope on the community's path, no query.
    estate = ScopedPrimaryKeyField(
        queryset=Estate.objects.select_related("community"), help_text="An estate you see."
    )
    category = serializers.CharField(max_length=48, help_text="A code of the active preset's catalogue.")
    description = serializers.CharField()
    source = serializers.ChoiceField(choices=Source.choices, default=Source.API)  # type: ignore[assignment]
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    complainant_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    complainant_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    campaign = ScopedPrimaryKeyField(
        queryset=campaign_model()._default_manager.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="A campaign you see that covers the estate: the case joins its ledger.",
    )
    confirm_not_duplicate = serializers.BooleanField(
        default=False,
        help_text="A case on the same problem (estate and category) is still open: file anyway, "
        "because this is a different problem. Without it such a filing is a 409 `duplicate_suspected`.",
    )


RESPONSIBLE_PHONE_HELP = (
    "The responsible person's mainland mobile number: reminders and escalations are texted there."
)


class TransitionInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The version of the case you saw.")


class CaseAcceptInputSerializer(TransitionInputSerializer):
    note = serializers.CharField(required=False, allow_blank=True)


class CaseReasonInputSerializer(TransitionInputSerializer):
    """Reject, send back, reopen: the reason is required."""

    reason = serializers.CharField(max_length=2000)


class CaseDispatchInputSerializer(TransitionInputSerializer):
    handler = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Overrides the responsibility list: enterprise, community, subdistrict, "
        "district_housing, city_housing or department:<code>. An override needs a reason.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    responsible_person = serializers.CharField(required=False, allow_blank=True, max_length=64)
    responsible_phone = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text=RESPONSIBLE_PHONE_HELP
    )


class CaseReferInputSerializer(TransitionInputSerializer):
    department = ScopedPrimaryKeyField(
        queryset=Department.objects.all(), help_text="A department you see (移交)."
    )
    reason = serializers.CharField(max_length=2000)


class CaseStartInputSerializer(TransitionInputSerializer):
    responsible_person = serializers.CharField(required=False, allow_blank=True, max_length=64)
    responsible_phone = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text=RESPONSIBLE_PHONE_HELP
    )


class CaseRectifyInputSerializer(TransitionInputSerializer):
    measures = serializers.CharField(help_text="What was done.")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class CaseVerifyInputSerializer(TransitionInputSerializer):
    note = serializers.CharField(required=False, allow_blank=True)


class CaseCloseOutInputSerializer(TransitionInputSerializer):
    outcome = serializers.ChoiceField(
        choices=Outcome.choices, help_text="`fixed` only after verification; the others need a note."
    )
    note = serializers.CharField(required=False, allow_blank=True)
    duplicate_of = ScopedPrimaryKeyField(
        queryset=Case.objects.all(),
        required=False,
        allow_null=True,
        help_text="With outcome `duplicate`: the case at the same estate this one duplicates.",
    )


class CaseRateInputSerializer(TransitionInputSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True)


class CaseModerateInputSerializer(TransitionInputSerializer):
    moderated_text = serializers.CharField(
        allow_blank=True, help_text="What public views show instead; empty restores the original."
    )
    reason = serializers.CharField(max_length=2000)


class ComplainantRevealInputSerializer(serializers.Serializer):
    purpose = serializers.CharField(
        max_length=200, help_text="Why the data is needed; kept in the audit log."
    )


class ComplainantOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
