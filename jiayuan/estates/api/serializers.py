"""Input and output of the estate endpoints, one serializer per operation.

Owners' personal data leaves the API masked only (core/masking.py): names and phones are masked,
ID numbers never shown. A client writes them in clear (registering an ownership), never reads them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiayuan.core.api import NamedRefSerializer, ScopedPrimaryKeyField
from jiayuan.core.masking import mask_name, mask_phone
from jiayuan.estates.choices import EstateType, ManagementMode, OwnerKind
from jiayuan.estates.models import Estate, Owner, Unit
from jiayuan.regions.choices import Level
from jiayuan.regions.models import Region


class EstateOutputSerializer(serializers.Serializer):
    """An estate as `estates.selectors.estate_list` returns it (today's enterprise annotated)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    region = serializers.IntegerField(source="community_id", help_text="The community the estate belongs to.")
    region_name = serializers.CharField(source="community.name")
    management_mode = serializers.ChoiceField(choices=ManagementMode.choices)
    estate_type = serializers.ChoiceField(choices=EstateType.choices)
    year_built = serializers.IntegerField(allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    unit_count = serializers.IntegerField()
    total_exclusive_area = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="Square metres, as a decimal string."
    )
    current_enterprise = serializers.SerializerMethodField(
        help_text="The enterprise serving the estate under a contract in force today, if any."
    )
    updated_at = serializers.DateTimeField()

    @extend_schema_field(NamedRefSerializer(allow_null=True))
    def get_current_enterprise(self, estate: Estate) -> dict[str, Any] | None:
        enterprise_id = getattr(estate, "enterprise_id_now", None)
        if enterprise_id is None:
            return None
        return {"id": enterprise_id, "name": getattr(estate, "enterprise_name_now", "")}


class EstateFieldsSerializer(serializers.Serializer):
    """The fields of an estate a housing authority fills in (community apart)."""

    name = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=200)
    management_mode = serializers.ChoiceField(choices=ManagementMode.choices)
    estate_type = serializers.ChoiceField(choices=EstateType.choices)
    year_built = serializers.IntegerField(min_value=1900, max_value=2100, required=False, allow_null=True)
    latitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        required=False,
        allow_null=True,
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        required=False,
        allow_null=True,
    )
    unit_count = serializers.IntegerField(min_value=0, required=False)
    total_exclusive_area = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal(0), required=False
    )


class EstateCreateInputSerializer(EstateFieldsSerializer):
    region = ScopedPrimaryKeyField(
        queryset=Region.objects.filter(level=Level.COMMUNITY),
        help_text="The community (in your jurisdiction) the estate belongs to.",
        error_messages={"does_not_exist": _("No community with id {pk_value} in your jurisdiction.")},
    )


class EstateUpdateInputSerializer(EstateFieldsSerializer):
    """Any subset of the estate's fields (PATCH); the community cannot change."""

    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="Kept in the audit log."
    )


# --- the registry: units, owners, ownerships --------------------------------------------------------


class MaskedNameField(serializers.CharField):
    def to_representation(self, value: object) -> str:
        return mask_name(str(value))


class MaskedPhoneField(serializers.CharField):
    def to_representation(self, value: object) -> str:
        return mask_phone(str(value)) if value else ""


class OwnerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=OwnerKind.choices)
    name = MaskedNameField(help_text="Masked (personal data).")
    phone = MaskedPhoneField(help_text="Masked (personal data).")


class UnitOwnerSerializer(serializers.Serializer):
    """One ownership of a unit, as the unit lists it."""

    ownership = serializers.IntegerField(source="id")
    owner = OwnerOutputSerializer()
    since = serializers.DateField(allow_null=True)


class UnitOutputSerializer(serializers.Serializer):
    """A unit as `estates.selectors.units_visible` returns it, with the owners the caller may see."""

    id = serializers.IntegerField()
    estate = NamedRefSerializer()
    building = serializers.CharField(source="building.number", help_text="The building's number.")
    number = serializers.CharField()
    exclusive_area = serializers.DecimalField(
        max_digits=10, decimal_places=2, help_text="Square metres, as a decimal string."
    )
    owners = UnitOwnerSerializer(
        source="ownerships.all",
        many=True,
        help_text="Empty for callers who may not see the owners (owners, committee members).",
    )


AREA_FIELD = {"max_digits": 10, "decimal_places": 2, "min_value": Decimal("0.01")}


class UnitCreateInputSerializer(serializers.Serializer):
    estate = ScopedPrimaryKeyField(
        queryset=Estate.objects.all(),
        help_text="The estate (in your jurisdiction).",
        error_messages={"does_not_exist": _("No estate with id {pk_value} in your jurisdiction.")},
    )
    building = serializers.CharField(
        max_length=20, help_text="The building's number; a building not yet recorded is added."
    )
    number = serializers.CharField(max_length=20)
    exclusive_area = serializers.DecimalField(**AREA_FIELD)  # type: ignore[arg-type]


class UnitUpdateInputSerializer(serializers.Serializer):
    """Any subset (PATCH). The building cannot change: record the unit again under the right one."""

    number = serializers.CharField(max_length=20, required=False)
    exclusive_area = serializers.DecimalField(**AREA_FIELD, required=False)  # type: ignore[arg-type]
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="Kept in the audit log."
    )


class OwnerUpdateInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OwnerKind.choices)
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="Kept in the audit log."
    )


class OwnershipOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.IntegerField(source="unit_id")
    estate = serializers.IntegerField(source="unit.estate_id")
    building = serializers.CharField(source="unit.building.number")
    unit_number = serializers.CharField(source="unit.number")
    owner = OwnerOutputSerializer()
    since = serializers.DateField(allow_null=True)


class OwnershipCreateInputSerializer(serializers.Serializer):
    """A unit's owner: an owner already recorded (`owner`), or a person (`name`, `phone`,
    `id_number`), found again by ID number when one is recorded with it."""

    unit = ScopedPrimaryKeyField(
        queryset=Unit.objects.all(),
        error_messages={"does_not_exist": _("No unit with id {pk_value} in your jurisdiction.")},
    )
    owner = ScopedPrimaryKeyField(
        queryset=Owner.objects.all(),
        required=False,
        error_messages={"does_not_exist": _("No owner with id {pk_value} in your jurisdiction.")},
    )
    name = serializers.CharField(max_length=64, required=False)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=32, required=False, allow_blank=True)
    since = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        person = {"name", "phone", "id_number"} & set(attrs)
        if "owner" in attrs and person:
            raise serializers.ValidationError(
                {"owner": [_("Give either an owner's id or a person's details, not both.")]}
            )
        if "owner" not in attrs and not attrs.get("name"):
            raise serializers.ValidationError({"name": [_("Give the owner's name (or an owner's id).")]})
        return attrs


class OwnershipUpdateInputSerializer(serializers.Serializer):
    since = serializers.DateField(allow_null=True)
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="Kept in the audit log."
    )


class OwnershipEndInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why it ends (sold, entered by mistake).")
