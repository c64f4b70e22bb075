from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.selectors import second_factor_pending


def portal(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs to show the right navigation for the signed-in user."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "nav_supplier": signed_in and user.is_supplier,
        # Staff links only lead back to the second-factor step until it is passed.
        "nav_staff": signed_in and user.is_hub_staff and not second_factor_pending(user),
        "nav_requester": signed_in and user.is_requester,
    }
