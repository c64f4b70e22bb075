from __future__ import annotations

from django.urls import path

from requirements.api import views

urlpatterns = [
    path("requirements/", views.RequirementListView.as_view(), name="requirement-list"),
    path(
        "requirements/<reference:reference>/",
        views.RequirementDetailView.as_view(),
        name="requirement-detail",
    ),
    path(
        "requirements/<reference:reference>/transition/",
        views.RequirementTransitionView.as_view(),
        name="requirement-transition",
    ),
]
