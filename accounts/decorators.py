"""Who may open a portal page (DESIGN.md section 5): anonymous visitors go to sign-in, other
roles get 403, and pages about a firm send a supplier without one to register it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts.selectors import firm_of

View = Callable[..., HttpResponse]


def supplier_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_supplier:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def firm_required(view: View) -> View:
    """A supplier page about the user's firm; `request.firm` is set for the view."""

    @supplier_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        firm = firm_of(user=request.user)
        if firm is None:
            return redirect("portal:firm-edit")
        request.firm = firm  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped


def staff_required(view: View) -> View:
    """Hub staff pages: anonymous visitors go to sign-in, other roles get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_hub_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
