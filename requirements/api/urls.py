from __future__ import annotations

from django.urls import path

from requirements.api import views

urlpatterns = [
    path("requirements/", views.RequirementListView.as_view(), name="requirement-list"),
]
