"""Input and output of the enterprise and contract endpoints, one serializer per operation."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiayuan.core.api import NamedRefSerializer, ScopedPrimaryKeyField
from jiayuan.enterprises.choices import ContractKind, ContractStatus, ServiceGrade
from jiayuan.enterprises.models import Enterprise, ProjectManager, ServiceContract
from jiayuan.enterprises.uscc import validate_uscc
from jiayuan.estates.models import Estate
from jiayuan.regions.models import Region


class EnterpriseOutputSerializer(serializers.Serializer):
    """An enterprise as `enterprises.selectors.enterprise_list` returns it."""

    id = serializers.IntegerField()
    uscc = serializers.CharField(help_text="Unified social credit code (GB 32100-2015).")
    name = serializers.CharField()
    legal_representative = serializers.CharField()
    registered_region = serializers.IntegerField(source="registered_region_id", allow_null=True)
    registered_region_name = serializers.CharField(
        source="registered_region.name", allow_null=True, default=None
    )
    address = serializers.CharField()
    phone = serializers.CharField(help_text="The enterprise's service phone.")
    estates_served = serializers.IntegerField(help_text="Estates served under a contract in force today.")


class EnterpriseCreateInputSerializer(serializers.Serializer):
    uscc = serializers.CharField(
        validators=[validate_uscc], help_text="18 characters, checked (GB 32100-2015)."
    )
    name = serializers.CharField(max_length=128)
    legal_representative = serializers.CharField(max_length=64, required=False, allow_blank=True)
    # Required here (the model allows none): an enterprise is visible through its registration region
    # until it serves an estate, so one registered nowhere would vanish from its registrar's view.
    registered_region = ScopedPrimaryKeyField(
        queryset=Region.objects.all(),
        help_text="Where the enterprise is registered: a region in your jurisdiction.",
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)


class EnterpriseUpdateInputSerializer(serializers.Serializer):
    """Any subset of these fields (PATCH). The USCC and the registration region do not change."""

    name = serializers.CharField(max_length=128)
    legal_representative = serializers.CharField(max_length=64, allow_blank=True)
    address = serializers.CharField(max_length=200, allow_blank=True)
    phone = serializers.CharField(max_length=32, allow_blank=True)
    reason = serializers.CharField(max_length=500, allow_blank=True, help_text="Kept in the audit log.")


class ContractOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    enterprise = NamedRefSerializer()
    estate = NamedRefSerializer()
    project_manager = NamedRefSerializer(allow_null=True)
    kind = serializers.ChoiceField(choices=ContractKind.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    service_grade = serializers.ChoiceField(choices=ServiceGrade.choices)
    fee_per_m2_month = serializers.DecimalField(
        max_digits=6, decimal_places=2, help_text="Yuan per m² per month, as a decimal string."
    )
    filing_number = serializers.CharField()
    filing_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=ContractStatus.choices)
    in_force = serializers.SerializerMethodField(help_text="Whether the contract is in force today.")

    @extend_schema_field(serializers.BooleanField())
    def get_in_force(self, contract: ServiceContract) -> bool:
        return contract.in_force_on(self.context.setdefault("today", timezone.localdate()))


class ContractCreateInputSerializer(serializers.Serializer):
    # Any registered enterprise: the registry (name and USCC) is public information (SH §2(二)3), and
    # an estate in one district is often served by an enterprise registered in another. The estate
    # must be in the actor's scope; the service checks that the project manager is the enterprise's.
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    estate = ScopedPrimaryKeyField(queryset=Estate.objects.all())
    project_manager = serializers.PrimaryKeyRelatedField(
        queryset=ProjectManager.objects.all(), required=False, allow_null=True
    )
    kind = serializers.ChoiceField(choices=ContractKind.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField(
        required=False, allow_null=True, help_text="Empty for an open-ended contract."
    )
    service_grade = serializers.ChoiceField(choices=ServiceGrade.choices)
    fee_per_m2_month = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0)
    filing_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    filing_date = serializers.DateField(required=False, allow_null=True)


class ContractTerminateInputSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="The last day the contract is in force.")
    reason = serializers.CharField(max_length=500)
