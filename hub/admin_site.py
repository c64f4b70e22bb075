"""The Django admin site, refusing signed-in users who are not allowed in (DESIGN.md section 5).

Django's own site sends everyone without admin access to its login page; for a supplier or a
requester who is already signed in that is a loop back to a sign-in they have passed. Signed-in
users without the role get 403, as on every other page; anonymous visitors still go to sign-in."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


class HubAdminSite(admin.AdminSite):
    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Callable[..., Any]:
        guarded = super().admin_view(view, cacheable)

        @wraps(view)
        def refuse_other_roles(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return guarded(request, *args, **kwargs)

        return refuse_other_roles


class HubAdminConfig(AdminConfig):
    default_site = "hub.admin_site.HubAdminSite"
