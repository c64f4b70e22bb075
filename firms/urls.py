from __future__ import annotations

from django.urls import path

from firms import views
from requirements import views as requirement_views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("firm/", views.firm_edit, name="firm-edit"),
    path("firm/members/", views.members, name="members"),
    path("firm/members/<int:pk>/remove/", views.member_remove, name="member-remove"),
    path("firm/certifications/", views.certifications, name="certifications"),
    path("firm/barriers/", views.barriers, name="barriers"),
    path("capabilities/", views.capability_list, name="capabilities"),
    path("capabilities/new/", views.capability_create, name="capability-create"),
    path("capabilities/<int:pk>/", views.capability_edit, name="capability-edit"),
    path("capabilities/<int:pk>/active/", views.capability_toggle, name="capability-toggle"),
    path("capabilities/<int:pk>/datasheet.pdf", views.datasheet, name="datasheet"),
    path("capabilities/upload/", views.csv_upload_page, name="csv-upload"),
    path("capabilities/upload/template.csv", views.csv_template, name="csv-template"),
    path("capabilities/upload/<str:job_id>/", views.csv_progress, name="csv-progress"),
    path(
        "capabilities/upload/<str:job_id>/progress.json",
        views.csv_progress_json,
        name="csv-progress-json",
    ),
    path("requirements/<str:reference>/", requirement_views.requirement_detail, name="requirement"),
    path("alerts/", views.alert_preferences, name="alerts"),
    path("alerts/unsubscribe/<str:token>/", views.alerts_unsubscribe, name="alerts-unsubscribe"),
]
