"""Every URL of the project tried by every member of the cast (STYLE.md), with the status DESIGN.md
section 5 gives. The URL list comes from the URL configuration, so a new URL without an entry
in tests/security/matrix.py fails here, by name.

The Django admin is one group (DESIGN.md section 5: it serves superusers, and hub staff for
reference data only). Anyone who is not hub staff is sent to the admin's own sign-in page, from
every admin URL: that is Django's admin convention, the page says the account is not authorised,
and nothing of the admin is shown. Hub staff get 403 from every URL of a model outside their
reference data (the list below: a newly registered model is superuser-only until it is added
there), and reach the changelists of theirs; tests/test_admin.py tries their pages in depth.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse

from tests.security import matrix
from tests.security.matrix import ADMIN_LOGIN, LOGIN, STEP, is_refusal, otp_cell, redirect
from tests.security.scenario import Scenario, build
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


@pytest.fixture
def scenario(cast, settings, tmp_path) -> Scenario:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build(cast)


# The table covers the URL configuration ----------------------------------------------------


def _admin_model_kind(route: Route) -> tuple[Any, str] | None:
    """(model, kind) of a per-model admin URL, or None."""
    for model in admin.site._registry:
        prefix = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        rest = route.route.removeprefix(prefix)
        if rest != route.route and rest in ADMIN_MODEL_KINDS:
            return model, ADMIN_MODEL_KINDS[rest]
    return None


def test_every_url_has_an_entry():
    routes = all_routes()
    pages = {route.key for route in routes if not route.is_admin}
    missing = sorted(pages - set(matrix.PAGES))
    assert not missing, (
        "URLs with no entry in tests/security/matrix.py PAGES (add each, with who may open it): "
        + ", ".join(missing)
    )
    gone = sorted(set(matrix.PAGES) - pages)
    assert not gone, "entries for URLs that no longer exist: " + ", ".join(gone)
    unknown = [
        route.key
        for route in routes
        if route.is_admin
        and route.key not in ADMIN_SITE_URLS
        and route.key != ADMIN_CATCH_ALL
        and _admin_model_kind(route) is None
    ]
    assert not unknown, "admin URLs the admin group does not know: " + ", ".join(unknown)


def test_every_entry_names_each_member():
    members = set(matrix.BROWSER)
    for key, entry in matrix.PAGES.items():
        for case in entry.cases:
            wanted = members | (set(matrix.TOKENS) if key.startswith(("v1:", "api-")) else set())
            assert wanted <= set(case.get), (key, sorted(wanted - set(case.get)))


# Trying the cells ----------------------------------------------------------------------------


def outcome(response: Any) -> Any:
    """A response as the table spells it: a status, or where a redirect goes."""
    if response.status_code != 302:
        return response.status_code
    location = urlsplit(response["Location"])
    if location.path == reverse("accounts:sign-in") and "next=" in location.query:
        return LOGIN
    if location.path == reverse("admin:login") and "next=" in location.query:
        return ADMIN_LOGIN
    try:
        if location.path == reverse("accounts:second-factor"):
            return STEP
    except NoReverseMatch:
        pass
    return redirect(location.path)


class Run:
    """Tries cells and collects every wrong one, so a failure lists them all at once."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.wrong: list[str] = []
        self.tried = 0

    def members(self, path: str) -> tuple[str, ...]:
        tokens = matrix.TOKENS if path.startswith("/api/") else ()
        return (*self.scenario.members, *tokens)

    def expected(self, cells: dict[str, Any], member: str, path: str) -> Any:
        if member == "staff_without_otp" and member not in cells:
            return otp_cell(path, cells["staff"])
        return cells[member]

    def check(self, label: str, method: str, path: str, member: str, expected: Any) -> None:
        client = self.scenario.client(member)
        response = getattr(client, method.lower())(path)
        self.tried += 1
        got = outcome(response)
        if got != expected:
            self.wrong.append(f"{method} {path} ({label}) as {member}: want {expected}, got {got}")

    def report(self) -> str:
        return f"{len(self.wrong)} of {self.tried} cells wrong:\n" + "\n".join(self.wrong)


def _try_unsafe(
    run: Run, entry: matrix.Entry, case: matrix.Case, where: tuple[str, str, str], expected: dict
) -> None:
    """The refusals again with an unsafe method (sent on to the step, a POST has no `next`)."""
    label, method, path = where
    for member, got_on_get in expected.items():
        want = case.unsafe.get(member, got_on_get)
        if member not in case.unsafe and not is_refusal(want):
            continue  # allowed: changing data is for the app's own tests
        if entry.throwaway:
            run.scenario._clients.pop(member, None)
        run.check(label, method, path, member, want)
        if entry.throwaway:
            run.scenario._clients.pop(member, None)


def _try_entry(run: Run, key: str, entry: matrix.Entry) -> None:
    for case in entry.cases:
        # An unnamed pattern is keyed by its route (it takes no arguments then).
        path = "/" + key if key.endswith("/") else reverse(key, kwargs=case.kwargs(run.scenario))
        label = f"{key} {case.label}".strip()
        members = run.members(path)
        expected = {member: run.expected(case.get, member, path) for member in members}
        for member in members:
            run.check(label, "GET", path, member, expected[member])
        for method in (m for m in entry.methods if m != "GET"):
            _try_unsafe(run, entry, case, (label, method, path), expected)
        if "POST" not in entry.methods:
            # A page that takes no POST says so (405) to the member allowed to open it, so the
            # table's claim of which URLs accept POST (test_csrf.py relies on it) is checked.
            allowed = [m for m in members if expected[m] == 200]
            if allowed:
                run.check(label + " takes no POST", "POST", path, allowed[0], 405)


@pytest.mark.parametrize(
    "area",
    [
        (
            "public and account pages",
            ("home", "healthz", "privacy", "access", "set_", "acc", "admin/"),
        ),
        ("supplier portal", ("portal:",)),
        ("requester pages", ("requester:",)),
        ("staff pages", ("staff",)),
        ("REST API", ("v1:", "api-")),
    ],
    ids=lambda area: area[0],
)
def test_role_matrix(scenario, area):
    _name, prefixes = area
    run = Run(scenario)
    for key, entry in matrix.PAGES.items():
        if key.startswith(prefixes):
            _try_entry(run, key, entry)
    assert run.tried
    assert not run.wrong, run.report()


# The Django admin ----------------------------------------------------------------------------


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
    model, kind = _admin_model_kind(route)  # type: ignore[misc]
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


def _admin_cases(scenario: Scenario) -> list[tuple[str, str, dict[str, Any], tuple[str, ...]]]:
    """(label, path, member -> expected, unsafe methods) for every admin URL."""
    everyone_else = dict.fromkeys(
        (m for m in scenario.members if m not in ("staff", "staff_without_otp")), ADMIN_LOGIN
    )
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
            cells = dict.fromkeys(everyone_else, redirect("/admin/")) | otp
        if staff is not None:
            cells["staff"] = staff
        cases.append((route.key, path, cells, unsafe))
    assert not missing_rows, f"the scenario has no row for {missing_rows}: add one to scenario.py"
    return cases


def test_admin_group(scenario):
    run = Run(scenario)
    for label, path, cells, unsafe in _admin_cases(scenario):
        for member, expected in cells.items():
            run.check(label, "GET", path, member, expected)
            if expected in (ADMIN_LOGIN, STEP, 403):
                for method in unsafe:
                    run.check(label, method, path, member, expected)
    assert run.tried > 500
    assert not run.wrong, run.report()
