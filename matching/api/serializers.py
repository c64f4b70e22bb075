"""Match items in exactly the shape of DESIGN.md section 5, and webhook registrations."""

from __future__ import annotations

from rest_framework import serializers

from matching.models import WebhookEndpoint


class MatchFirmOutput(serializers.Serializer):
    companies_house_number = serializers.CharField()
    name = serializers.CharField()


class MatchCapabilityOutput(serializers.Serializer):
    reference = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField(source="category_id")
    firm = MatchFirmOutput()


class BlockerOutput(serializers.Serializer):
    code = serializers.CharField()
    reason = serializers.CharField()


class ComponentOutput(serializers.Serializer):
    component = serializers.CharField()
    value = serializers.FloatField()
    weight = serializers.FloatField()
    reason = serializers.CharField()


class MatchOutput(serializers.Serializer):
    capability = MatchCapabilityOutput()
    requirement = serializers.CharField(source="requirement.reference")
    score = serializers.FloatField()
    eligible = serializers.BooleanField()
    blockers = BlockerOutput(many=True)
    breakdown = ComponentOutput(many=True)
    engine_version = serializers.CharField()
    computed_at = serializers.DateTimeField()
    removed = serializers.BooleanField(
        help_text="true on a removal record (only listed with updated_since): drop this row"
    )


class WebhookOutput(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "active", "secret_id", "created_at", "secret_rotated_at"]
        read_only_fields = fields


class WebhookWithSecretOutput(WebhookOutput):
    secret = serializers.CharField(
        read_only=True,
        help_text="HMAC-SHA256 key for X-Hub-Signature; shown only now. Keep it safe.",
    )

    class Meta(WebhookOutput.Meta):
        fields = [*WebhookOutput.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookInput(serializers.Serializer):
    url = serializers.URLField(max_length=500)
