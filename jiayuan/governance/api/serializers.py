"""Output of the owner-body endpoints (read-only in the API for now).

Members are owners: their names are masked and their phones are not shown.
"""

from __future__ import annotations

from rest_framework import serializers

from jiayuan.core.api import NamedRefSerializer
from jiayuan.core.masking import mask_name
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
