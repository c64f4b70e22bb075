from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views as accounts_views
from hub import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("account/", include("accounts.urls")),
    path("portal/", include("firms.urls")),
    path("requester/", include("requirements.urls")),
    path("privacy/", TemplateView.as_view(template_name="portal/privacy.html"), name="privacy"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="portal/accessibility.html"),
        name="accessibility",
    ),
    # The admin's own login would skip the lock-out and the second factor: use the portal's.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:sign-in", query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("staff/", include("staff.urls")),
    path("staff/api-clients/", accounts_views.api_clients, name="staff-api-clients"),
    path("staff/requesters/", accounts_views.requesters, name="staff-requesters"),
    path("api/v1/", include(("hub.api_urls", "v1"), namespace="v1")),
    # Public documentation (DESIGN.md section 5): no authentication, so a session of any kind,
    # staff still at the second-factor step included, is served what anonymous visitors are.
    path(
        "api/schema/",
        SpectacularAPIView.as_view(api_version="v1", authentication_classes=[]),
        name="api-schema",
    ),
    path(
        "api/docs/",
        # The split view serves Swagger UI's set-up script as a file, so CSP needs no inline script.
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api_docs.html", authentication_classes=[]
        ),
        name="api-docs",
    ),
    # Before Django's own: the same switch, which also keeps a signed-in user's choice.
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
]
