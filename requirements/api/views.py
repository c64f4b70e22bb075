from __future__ import annotations

from rest_framework import generics, serializers

from requirements.models import Requirement
from requirements.selectors import requirements_visible_to


class RequirementOutput(serializers.ModelSerializer):
    category = serializers.CharField(source="category_id")

    class Meta:
        model = Requirement
        fields = [
            "reference",
            "title",
            "description",
            "title_uk",
            "description_uk",
            "category",
            "quantity",
            "unit",
            "needed_by",
            "max_unit_price_gbp",
            "min_trl",
            "required_certifications",
            "itar_free_required",
            "priority",
            "classification",
            "status",
            "source_organisation",
            "updated_at",
        ]


class RequirementListView(generics.ListAPIView):
    """Requirements the caller may see (session auth until API tokens land)."""

    serializer_class = RequirementOutput

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return requirements_visible_to(user=self.request.user).order_by("reference")
