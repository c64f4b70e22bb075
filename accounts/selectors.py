"""Reads of accounts: who belongs where."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.models import FirmMembership


def firm_of(*, user: Any) -> Any:
    """The firm a supplier user belongs to, or None."""
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.firm if membership is not None else None


def members_of_firm(*, firm: Any) -> QuerySet[FirmMembership]:
    """The firm's people; the service users behind its API tokens are not members to show."""
    return (
        FirmMembership.objects.filter(firm=firm, user__api_client__isnull=True)
        .select_related("user")
        .order_by("user__email")
    )
