"""Input and output of the owner-body endpoints: owners' committees are registered and their filing
(备案) and term end recorded here; management committees are read-only in the API.

Members are owners: their names are masked and their phones are not shown.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jiayuan.core.api import NamedRefSerializer, ScopedPrimaryKeyField
from jiayuan.core.masking import mask_name
from jiayuan.estates.models import Estate
from jiayuan.governance.choices import BodyStatus, Post


class MaskedNameField(serializers.CharField):
    def to_representation(self, value: object) -> str:
        return mask_name(str(value))


class CommitteeMemberOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = MaskedNameField(help_text="Masked (personal data).")
    post = serializers.ChoiceField(choices=Post.choices)


class ManagementCommitteeMemberOutputSerializer(CommitteeMemberOutputSerializer):
    affiliation = serializers.CharField()


class CommitteeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    estate = NamedRefSerializer()
    region = serializers.IntegerField(source="estate.community_id", help_text="The estate's community.")
    term_start = serializers.DateField()
    term_end = serializers.DateField()
    filing_number = serializers.CharField()
    filing_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=BodyStatus.choices)


class OwnersCommitteeOutputSerializer(CommitteeOutputSerializer):
    members = CommitteeMemberOutputSerializer(many=True)


class ManagementCommitteeOutputSerializer(CommitteeOutputSerializer):
    members = ManagementCommitteeMemberOutputSerializer(many=True)


class CommitteeMemberInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    post = serializers.ChoiceField(choices=Post.choices, default=Post.MEMBER)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)


class OwnersCommitteeCreateInputSerializer(serializers.Serializer):
    estate = ScopedPrimaryKeyField(
        queryset=Estate.objects.all(),
        error_messages={"does_not_exist": _("No estate with id {pk_value} in your jurisdiction.")},
    )
    term_start = serializers.DateField()
    term_end = serializers.DateField()
    filing_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    filing_date = serializers.DateField(required=False, allow_null=True)
    members = CommitteeMemberInputSerializer(many=True, allow_empty=False, max_length=50)  # type: ignore[call-arg]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["term_end"] <= attrs["term_start"]:
            raise serializers.ValidationError({"term_end": [_("The term must end after it starts.")]})
        return attrs


class OwnersCommitteeUpdateInputSerializer(serializers.Serializer):
    """Any subset (PATCH): the filing (备案) and the end of the term."""

    filing_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    filing_date = serializers.DateField(required=False, allow_null=True)
    term_end = serializers.DateField(required=False)
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="Kept in the audit log."
    )


class CommitteeEndInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why the committee's office ends.")
