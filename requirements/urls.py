"""The Ukrainian requester's pages, under /requester/."""

from __future__ import annotations

from django.urls import path

from requirements import views

app_name = "requester"

urlpatterns = [
    path("", views.requester_requirements, name="requirements"),
    path("requirements/new/", views.requester_requirement_create, name="requirement-create"),
    path("requirements/<str:reference>/", views.requester_requirement, name="requirement"),
    path(
        "requirements/<str:reference>/edit/",
        views.requester_requirement_edit,
        name="requirement-edit",
    ),
    path(
        "requirements/<str:reference>/withdraw/",
        views.requester_requirement_withdraw,
        name="requirement-withdraw",
    ),
    path("field-reports/new/", views.requester_field_report, name="field-report-create"),
]
