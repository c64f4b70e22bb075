from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs to show the right navigation for the signed-in user."""
    user = getattr(request, "user", None)
    is_supplier = bool(user is not None and user.is_authenticated and user.is_supplier)
    return {"nav_supplier": is_supplier}
