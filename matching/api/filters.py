from __future__ import annotations

from typing import Any

from django_filters import rest_framework as filters

from hub.api_filters import SinceFilter, StrictBooleanFilter
from matching.models import Match


class MatchFilter(filters.FilterSet):
    eligible = StrictBooleanFilter()
    min_score = filters.NumberFilter(
        field_name="score", lookup_expr="gte", min_value=0, max_value=100
    )
    # Validated and documented here; the view hands it to the selector, which also admits the
    # removal records a plain `computed_at >= since` filter on the live list would miss.
    updated_since = SinceFilter(method="leave_to_selector")

    class Meta:
        model = Match
        fields = ["eligible", "min_score", "updated_since"]

    def leave_to_selector(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset
