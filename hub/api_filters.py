"""Filter types shared by the API's lists: strict about bad values (400), never a 500."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django_filters import fields as filter_fields
from django_filters import rest_framework as filters

# Nothing in the portal predates this; clamping also keeps far-past values (year 1 in Kyiv
# time) from overflowing when the database layer converts them to UTC.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
INVALID_MOMENT = "Enter an ISO 8601 date/time, e.g. 2026-05-01T12:00:00Z."


class SinceField(filter_fields.IsoDateTimeField):
    default_error_messages = {"invalid": INVALID_MOMENT}

    def to_python(self, value: Any) -> datetime | None:
        try:
            moment = super().to_python(value)
            return None if moment is None else min(max(moment, EARLIEST), LATEST)
        except (OverflowError, ValueError) as error:
            raise forms.ValidationError(INVALID_MOMENT, code="invalid") from error


class SinceFilter(filters.IsoDateTimeFilter):
    """Rows changed at or after an ISO 8601 moment, and the removal records since then."""

    field_class = SinceField


class StrictBooleanFilter(filters.TypedChoiceFilter):
    """`true` or `false`; anything else is a 400 (django-filter's own ignores bad values)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)


class FilterBackend(filters.DjangoFilterBackend):
    """django-filter's backend for every API list, without building and validating the filter
    set's form for a request that names none of its parameters (most partner pulls carry only
    a cursor): no filter would apply, and the form costs about a millisecond a request."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not (
            set(request.query_params) & set(filterset_class.base_filters)
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)
