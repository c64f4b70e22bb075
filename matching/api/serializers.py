"""Match items in exactly the shape of DESIGN.md section 5, and webhook registrations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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


# MatchOutput documents the match lists (the schema names it) and match_items writes them: a
# page of 50 rows through the nested serializer fields cost about 20 ms of CPU, most of the
# request, in per-field attribute lookups. tests/api/test_match_items.py holds the two
# byte-for-byte equal; a field added to one must be added to the other.
_COMPUTED_AT = serializers.DateTimeField()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _blockers(blockers: Any) -> list[dict[str, Any]] | None:
    if blockers is None:
        return None
    return [{"code": _text(b["code"]), "reason": _text(b["reason"])} for b in blockers]


def _breakdown(parts: Any) -> list[dict[str, Any]] | None:
    if parts is None:
        return None
    return [
        {
            "component": _text(part["component"]),
            "value": _number(part["value"]),
            "weight": _number(part["weight"]),
            "reason": _text(part["reason"]),
        }
        for part in parts
    ]


def _capability(capability: Any) -> dict[str, Any] | None:
    if capability is None:
        return None
    firm = capability.firm
    return {
        "reference": _text(capability.reference),
        "name": _text(capability.name),
        "category": _text(capability.category_id),
        "firm": None
        if firm is None
        else {
            "companies_house_number": _text(firm.companies_house_number),
            "name": _text(firm.name),
        },
    }


def match_items(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """MatchOutput(rows, many=True).data as plain dicts, with the same keys, order and values;
    `rows`: Match instances, or the objects matching.api.selectors.with_item_relations makes."""
    return [
        {
            "capability": _capability(row.capability),
            "requirement": None if row.requirement is None else _text(row.requirement.reference),
            "score": _number(row.score),
            "eligible": _flag(row.eligible),
            "blockers": _blockers(row.blockers),
            "breakdown": _breakdown(row.breakdown),
            "engine_version": _text(row.engine_version),
            # DRF's own field: the same zone (the active one) and ISO 8601 form, "Z" for UTC.
            "computed_at": _COMPUTED_AT.to_representation(row.computed_at),
            "removed": _flag(row.removed),
        }
        for row in rows
    ]


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
