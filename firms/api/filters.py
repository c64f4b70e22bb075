from __future__ import annotations

from django_filters import rest_framework as filters

from firms.models import Capability, Category
from hub.api_filters import SinceFilter, StrictBooleanFilter


class CapabilityFilter(filters.FilterSet):
    category = filters.ModelChoiceFilter(
        field_name="category",
        to_field_name="code",
        queryset=Category.objects.filter(parent__isnull=False),
    )
    active = StrictBooleanFilter()
    updated_since = SinceFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Capability
        fields = ["category", "active", "updated_since"]
