"""Role checks for the API (DESIGN.md section 5): a wrong role is 403, never an empty list."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.models import APIClient


class IsHubStaff(BasePermission):
    message = "Only hub staff may use this endpoint."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.is_authenticated and request.user.is_hub_staff)


class IsSupplier(BasePermission):
    """Suppliers' sessions and firm tokens (a firm token's service user is a supplier)."""

    message = "Only a firm's suppliers or firm tokens may use this endpoint."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user.is_authenticated and request.user.is_supplier)


class IsStaffOrSupplier(BasePermission):
    """Firm data and match lists: requesters see none of them (only shortlists, in the portal)."""

    message = "Requesters may read only their organisation's requirements."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user.is_authenticated and (user.is_hub_staff or user.is_supplier))


class IsAPIClient(BasePermission):
    """Webhook registrations belong to a token, so a browser session has none to manage."""

    message = "Webhook registrations need an API token."

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, APIClient)
