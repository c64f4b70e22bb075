"""The Django admin as one group of the URL matrix: every admin URL, how to build it from the
scenario, and what each cast member gets (see test_url_matrix.py's docstring for the rule)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.security.matrix import ADMIN_LOGIN, STEP, redirect
from tests.security.scenario import Scenario
from tests.security.urlwalk import Route, all_routes

# Reference data hub staff keep in the admin themselves (app_label.model_name).
STAFF_ADMIN_MODELS = {
    "firms.category",
    "firms.categoryrelation",
    "firms.firmbarrier",
    "matching.synonym",
    "matching.enginesettings",
    "matching.webhookendpoint",
    "matching.webhookdelivery",
    "requirements.reportcondition",
    "requirements.interest",
    "accounts.apiclient",
}
# What follows admin/<app>/<model>/ in each kind of per-model admin URL.
ADMIN_MODEL_KINDS = {
    "": "changelist",
    "add/": "add",
    "<path:object_id>/": "object",
    "<path:object_id>/change/": "change",
    "<path:object_id>/history/": "history",
    "<path:object_id>/delete/": "delete",
    "<id>/password/": "password",
    "<int:pk>/config/": "config",
    "<int:pk>/qrcode/": "qrcode",
}
ADMIN_UNSAFE = {"changelist", "add", "change", "delete", "password"}
ADMIN_SITE_URLS = {
    "admin:index",
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:autocomplete",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:app_list",
}
ADMIN_CATCH_ALL = "admin/(?P<url>.*)$"


def admin_model_kind(route: Route) -> tuple[Any, str] | None:
    """(model, kind) of a per-model admin URL, or None."""
    for model in admin.site._registry:
        prefix = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        rest = route.route.removeprefix(prefix)
        if rest != route.route and rest in ADMIN_MODEL_KINDS:
            return model, ADMIN_MODEL_KINDS[rest]
    return None


def _admin_object_kwargs(route: Route, model: Any) -> dict[str, Any] | None:
    names = [
        name
        for name in ("object_id", "id", "pk")
        if f"<{name}>" in route.route or name in route.route
    ]
    if not names:
        return {}
    row = model._default_manager.order_by("pk").first()
    return None if row is None else {names[0]: row.pk}


def _admin_model_case(route: Route) -> tuple[str, Any, tuple[str, ...]] | None:
    """(path, what staff get, unsafe methods) of a per-model admin URL; None without a row."""
    model, kind = admin_model_kind(route)  # type: ignore[misc]
    kwargs = _admin_object_kwargs(route, model)
    if kwargs is None:
        return None
    if route.name:
        path = reverse(route.key, kwargs=kwargs)
    else:
        path = "/" + route.route.replace("<path:object_id>", str(kwargs["object_id"]))
    unsafe = ("POST",) if kind in ADMIN_UNSAFE else ()
    if f"{model._meta.app_label}.{model._meta.model_name}" not in STAFF_ADMIN_MODELS:
        return path, (redirect(path + "change/") if kind == "object" else 403), unsafe
    # Their own pages in depth: tests/test_admin.py.
    return path, (200 if kind == "changelist" else None), unsafe


def admin_cases(scenario: Scenario) -> list[tuple[str, str, dict[str, Any], tuple[str, ...]]]:
    """(label, path, member -> expected, unsafe methods) for every admin URL."""
    # Signed in without the role: 403 (hub.admin_site); no session (anonymous, API tokens): the
    # sign-in.
    everyone_else = {
        m: ADMIN_LOGIN if m in ("anonymous", "firm_token", "staff_token") else 403
        for m in scenario.members
        if m not in ("staff", "staff_without_otp")
    }
    otp = {"staff_without_otp": STEP} if "staff_without_otp" in scenario.members else {}
    firm = scenario.cast.firm_a
    site = {
        "admin:index": ({}, 200),
        # Shadowed by the redirect to the portal's sign-in (hub/urls.py).
        "admin:login": ({}, redirect("/account/sign-in/")),
        "admin:logout": ({}, 405),
        "admin:password_change": ({}, 200),
        "admin:password_change_done": ({}, 200),
        # Without its query the autocomplete refuses; with a model of theirs it would answer.
        "admin:autocomplete": ({}, 403),
        "admin:jsi18n": ({}, 200),
        "admin:view_on_site": (
            {"content_type_id": ContentType.objects.get_for_model(firm).pk, "object_id": firm.pk},
            404,
        ),
        "admin:app_list": ({"app_label": "matching"}, 200),
    }
    cases = []
    missing_rows = []
    for route in all_routes():
        if not route.is_admin:
            continue
        unsafe: tuple[str, ...] = ()
        if route.key == ADMIN_CATCH_ALL:
            path, staff = "/admin/no/such/page/", 404
        elif route.key in site:
            kwargs, staff = site[route.key]
            path = reverse(route.key, kwargs=kwargs)
        else:
            model_case = _admin_model_case(route)
            if model_case is None:
                missing_rows.append(route.key)
                continue
            path, staff, unsafe = model_case
        cells = {**everyone_else, **otp}
        if route.key == "admin:login":
            cells = dict.fromkeys(everyone_else, redirect("/account/sign-in/")) | otp
        elif route.key == "admin:logout":
            cells = {
                m: 403 if refused == 403 else redirect("/admin/")
                for m, refused in everyone_else.items()
            } | otp
        if staff is not None:
            cells["staff"] = staff
        cases.append((route.key, path, cells, unsafe))
    assert not missing_rows, f"the scenario has no row for {missing_rows}: add one to scenario.py"
    return cases
