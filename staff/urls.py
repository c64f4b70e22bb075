from __future__ import annotations

from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    path("firms/", views.firm_queue, name="firms"),
    path("requirements/", views.triage_board, name="triage"),
    path("requirements/<str:reference>/", views.requirement_page, name="requirement"),
]
