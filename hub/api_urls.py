"""REST API v1 routes; each app contributes its own `api/urls.py`."""

from __future__ import annotations

from django.urls import include, path, register_converter


class ReferenceConverter:
    """A requirement or capability reference (DESIGN.md section 3); anything else is a 404
    before it reaches the database (PostgreSQL refuses NUL bytes with an error, not a miss)."""

    regex = r"[A-Za-z0-9._-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class CompaniesHouseConverter(ReferenceConverter):
    regex = r"[A-Za-z0-9]{1,8}"


register_converter(ReferenceConverter, "reference")
register_converter(CompaniesHouseConverter, "chn")

urlpatterns: list = [
    # Matching first: its `requirements/<ref>/matches/` must win over the requirement detail.
    path("", include("matching.api.urls")),
    path("", include("requirements.api.urls")),
    path("", include("firms.api.urls")),
]
