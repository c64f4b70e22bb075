"""REST API v1 routes; each app contributes its own `api/urls.py`."""

from __future__ import annotations

from django.urls import include, path

urlpatterns: list = [
    path("", include("requirements.api.urls")),
]
