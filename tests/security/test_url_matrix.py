"""Every URL of the project tried by every member of the cast (STYLE.md), with the status DESIGN.md
section 5 gives. The URL list comes from the URL configuration, so a new URL without an entry
in tests/security/matrix.py fails here, by name.

The Django admin is one group (DESIGN.md section 5: it serves superusers, and hub staff for
reference data only). Anyone who is not hub staff is sent to the admin's own sign-in page, from
every admin URL: that is Django's admin convention, the page says the account is not authorised,
and nothing of the admin is shown. Hub staff get 403 from every URL of a model outside their
reference data (admin_matrix.STAFF_ADMIN_MODELS: a newly registered model is superuser-only until
it is added there), and reach the changelists of theirs; tests/test_admin.py tries those in depth.
The admin's sign-in itself now redirects to the portal's (lock-out and second factor apply).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import NoReverseMatch, reverse

from tests.security import matrix
from tests.security.admin_matrix import (
    ADMIN_CATCH_ALL,
    ADMIN_SITE_URLS,
    admin_cases,
    admin_model_kind,
)
from tests.security.matrix import ADMIN_LOGIN, LOGIN, STEP, is_refusal, otp_cell, redirect
from tests.security.scenario import Scenario
from tests.security.urlwalk import all_routes

# The table covers the URL configuration ----------------------------------------------------


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
        and admin_model_kind(route) is None
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


def test_admin_group(scenario):
    run = Run(scenario)
    for label, path, cells, unsafe in admin_cases(scenario):
        for member, expected in cells.items():
            run.check(label, "GET", path, member, expected)
            if expected in (ADMIN_LOGIN, STEP, 403):
                for method in unsafe:
                    run.check(label, method, path, member, expected)
    assert run.tried > 500
    assert not run.wrong, run.report()
