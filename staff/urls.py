from __future__ import annotations

from django.urls import path

from staff import dashboard, views

app_name = "staff"

urlpatterns = [
    path("firms/", views.firm_queue, name="firms"),
    path("requirements/", views.triage_board, name="triage"),
    path("requirements/<str:reference>/", views.requirement_page, name="requirement"),
    path("dashboard/", dashboard.pipeline_dashboard, name="dashboard"),
    path("gaps/", dashboard.capability_gaps, name="gaps"),
    path("gaps.csv", dashboard.capability_gaps_csv, name="gaps-csv"),
]
