"""Explicit input and output shapes for requirements; serializers never write to the database."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from requirements.flow import Status
from requirements.models import REQUIREMENT_FIELDS, Requirement

# A removal record tells a syncing client which requirement to drop and nothing more.
REMOVAL_KEEPS = ("reference", "updated_at", "removed")


class RequirementOutput(serializers.ModelSerializer):
    # Declared fields take no extra_kwargs: nullable here too, for removal records.
    category = serializers.CharField(source="category_id", allow_null=True)
    duplicate_of = serializers.SlugRelatedField(
        slug_field="reference", read_only=True, allow_null=True
    )
    removed = serializers.BooleanField(
        read_only=True,
        help_text="true on a removal record (only with updated_since): drop this requirement; "
        "its other fields are null",
    )

    class Meta:
        model = Requirement
        fields = [
            *REQUIREMENT_FIELDS,
            "status",
            "source_organisation",
            "duplicate_of",
            "created_at",
            "updated_at",
            "removed",
        ]
        read_only_fields = fields
        extra_kwargs = {name: {"allow_null": True} for name in fields if name not in REMOVAL_KEEPS}

    def to_representation(self, instance: Requirement) -> dict[str, Any]:
        data = super().to_representation(instance)
        if getattr(instance, "removed", False):
            return {name: (data[name] if name in REMOVAL_KEEPS else None) for name in data}
        return data


class TransitionInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    duplicate_of = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        max_length=64,
        help_text="For a merge (to CLOSED): the reference of the requirement kept.",
    )


class TransitionConflict(serializers.Serializer):
    detail = serializers.CharField()
    allowed = serializers.ListField(child=serializers.ChoiceField(choices=Status.choices))
