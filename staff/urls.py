from __future__ import annotations

from django.urls import path

from staff import dashboard, views

app_name = "staff"

urlpatterns = [
    path("firms/", views.firm_queue, name="firms"),
    path("requirements/", views.triage_board, name="triage"),
    path("requirements/<str:reference>/", views.requirement_page, name="requirement"),
    path("requirements/<str:reference>/shortlist/", views.shortlist_add, name="shortlist-add"),
    path(
        "requirements/<str:reference>/shortlist/<int:entry_id>/remove/",
        views.shortlist_remove,
        name="shortlist-remove",
    ),
    path(
        "requirements/<str:reference>/shortlist/publish/",
        views.shortlist_publish,
        name="shortlist-publish",
    ),
    path(
        "requirements/<str:reference>/duplicates/<str:other>/merge/",
        views.duplicate_merge,
        name="duplicate-merge",
    ),
    path(
        "requirements/<str:reference>/duplicates/<str:other>/dismiss/",
        views.duplicate_dismiss,
        name="duplicate-dismiss",
    ),
    path(
        "requirements/<str:reference>/export/<str:kind>/",
        views.requirement_export,
        name="requirement-export",
    ),
    path("exports/", views.export_list, name="exports"),
    path("dashboard/", dashboard.pipeline_dashboard, name="dashboard"),
    path("gaps/", dashboard.capability_gaps, name="gaps"),
    path("gaps.csv", dashboard.capability_gaps_csv, name="gaps-csv"),
]
