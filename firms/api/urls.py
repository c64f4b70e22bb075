from __future__ import annotations

from django.urls import path

from firms.api import views

urlpatterns = [
    path("firms/", views.FirmListView.as_view(), name="firm-list"),
    path("firms/<chn:companies_house_number>/", views.FirmDetailView.as_view(), name="firm-detail"),
    path("capabilities/", views.CapabilityListView.as_view(), name="capability-list"),
    path(
        "capabilities/<chn:companies_house_number>/<reference:reference>/",
        views.CapabilityDetailView.as_view(),
        name="capability-detail",
    ),
]
