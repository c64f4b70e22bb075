"""Query filters for the requirement list; a bad value is a 400 naming the parameter."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from firms.models import Category
from hub.api_filters import SinceFilter
from requirements.api.selectors import requirements_changed_since
from requirements.flow import Priority, Status
from requirements.models import Requirement


class RequirementFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=Status.choices)
    category = filters.ModelChoiceFilter(
        field_name="category",
        to_field_name="code",
        queryset=Category.objects.filter(parent__isnull=False),
    )
    priority = filters.ChoiceFilter(choices=Priority.choices)
    # Applied last (declaration order): it widens the list with removal records.
    updated_since = SinceFilter(method="filter_updated_since")

    class Meta:
        model = Requirement
        fields = ["status", "category", "priority", "updated_since"]

    def filter_updated_since(
        self, queryset: QuerySet[Requirement], name: str, value: datetime
    ) -> QuerySet[Requirement]:
        # Removal records ignore the status filter (a requirement leaving OPEN is exactly what
        # a client mirroring "status=OPEN" must hear about) but keep category and priority.
        data = self.form.cleaned_data
        removals_filter = Q()
        if data.get("category") is not None:
            removals_filter &= Q(category=data["category"])
        if data.get("priority"):
            removals_filter &= Q(priority=data["priority"])
        return requirements_changed_since(
            user=self.request.user,
            since=value,
            listed=queryset,
            removals_filter=removals_filter,
        )
