"""Input and output of the accounts endpoints: the token exchange and `me`."""

from __future__ import annotations

from rest_framework import serializers

from jiayuan.accounts.choices import OrganisationKind, Role


class TokenInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send it back as `Authorization: Bearer <token>`. Shown once: only its hash is kept."
    )
    expiry = serializers.DateTimeField(
        allow_null=True, help_text="When it stops working; ask for a new one by logging in again."
    )


class RevokedOutputSerializer(serializers.Serializer):
    revoked = serializers.IntegerField(help_text="How many tokens stopped working.")


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)


class MembershipOutputSerializer(serializers.Serializer):
    organisation = OrganisationRefSerializer()
    role = serializers.ChoiceField(choices=Role.choices)
    region = serializers.IntegerField(
        source="organisation.region_id", help_text="Where the organisation sits."
    )


class MeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    permissions = serializers.ListField(
        child=serializers.CharField(), help_text="What the user's roles allow, e.g. `estates.change`."
    )
    memberships = MembershipOutputSerializer(many=True)
