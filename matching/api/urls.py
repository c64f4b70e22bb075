from __future__ import annotations

from django.urls import path

from matching.api import views

urlpatterns = [
    path(
        "requirements/<reference:reference>/matches/",
        views.RequirementMatchListView.as_view(),
        name="requirement-matches",
    ),
    path("me/matches/", views.MyMatchListView.as_view(), name="my-matches"),
    path("webhooks/", views.WebhookListView.as_view(), name="webhook-list"),
    path("webhooks/<int:pk>/", views.WebhookDetailView.as_view(), name="webhook-detail"),
    path(
        "webhooks/<int:pk>/rotate-secret/",
        views.WebhookRotateSecretView.as_view(),
        name="webhook-rotate-secret",
    ),
]
