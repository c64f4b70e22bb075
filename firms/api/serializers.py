"""Output shapes for firms and capabilities (the API is read-only for them)."""

from __future__ import annotations

from rest_framework import serializers

from firms.codes import CAPABILITY_FIELDS
from firms.models import Capability, Firm, FirmCertification


class CertificationOutput(serializers.ModelSerializer):
    class Meta:
        model = FirmCertification
        fields = ["code", "expires_on"]
        read_only_fields = fields


class FirmOutput(serializers.ModelSerializer):
    certifications = CertificationOutput(many=True, read_only=True)
    verified = serializers.BooleanField(source="is_verified", read_only=True)
    sme = serializers.BooleanField(source="is_sme", read_only=True)

    class Meta:
        model = Firm
        fields = [
            "companies_house_number",
            "name",
            "postcode",
            "employees",
            "annual_turnover_gbp",
            "website",
            "description",
            "certifications",
            "list_x",
            "verification_state",
            "verified",
            "sme",
            "updated_at",
        ]
        read_only_fields = fields


class CapabilityOutput(serializers.ModelSerializer):
    firm = serializers.CharField(source="firm.companies_house_number", read_only=True)
    category = serializers.CharField(source="category_id", read_only=True)
    keywords = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Capability
        fields = ["firm", *CAPABILITY_FIELDS, "updated_at"]
        read_only_fields = fields
