"""Every URL that accepts POST (or another unsafe method) refuses it without a CSRF token, for
the very member who may use it; with the token the same request gets past the check. The list of
such URLs is the matrix's (test_url_matrix.py holds the table's methods to the views)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.conftest import HubClient
from tests.security import matrix
from tests.security.admin_matrix import admin_cases

# Token-only endpoints: a token is sent by the client program in a header, never by a browser on
# its own, so there is no ambient credential for a forged request to ride on.
TOKEN_ONLY = {"v1:webhook-list", "v1:webhook-detail", "v1:webhook-rotate-secret"}


def _member_allowed(case: matrix.Case) -> str | None:
    """The first browser member the URL is meant for: one the role check lets through."""
    return next((m for m in matrix.BROWSER if not matrix.is_refusal(case.get[m])), None)


def _is_csrf_refusal(response: Any) -> bool:
    body = response.content.decode(errors="replace")
    # Django's page for pages, DRF's JSON for a session's API call.
    return response.status_code == 403 and (
        "CSRF verification failed" in body or "CSRF Failed" in body
    )


def _with_token(client: Client) -> dict[str, str]:
    client.get(reverse("accounts:sign-in"))  # any page with a form sets the cookie
    return {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def _try(
    client: Client, method: str, path: str, label: str, wrong: list[str], control: bool = True
) -> None:
    send = getattr(client, method.lower())
    refused = send(path)
    if not _is_csrf_refusal(refused):
        wrong.append(f"{method} {path} ({label}) without a token: {refused.status_code}")
    if not control:
        return
    passed = send(path, **_with_token(client))
    if _is_csrf_refusal(passed):
        wrong.append(f"{method} {path} ({label}) with a token is still refused")


def test_every_form_refuses_a_post_without_csrf_token(scenario):
    wrong: list[str] = []
    tried, token_only = [], set()
    for key, entry in matrix.PAGES.items():
        unsafe = [method for method in entry.methods if method != "GET"]
        if not unsafe:
            continue
        case = entry.cases[0]
        member = _member_allowed(case)
        if member is None:
            token_only.add(key)
            continue
        path = reverse(key, kwargs=case.kwargs(scenario))
        for method in unsafe:
            client = scenario.fresh_client(member, enforce_csrf_checks=True)
            _try(client, method, path, f"{key} as {member}", wrong)
            tried.append(key)
    assert token_only == TOKEN_ONLY
    assert {"accounts:sign-in", "portal:capability-edit", "staff:shortlist-publish"} <= set(tried)
    assert {"v1:requirement-transition", "requester:field-report-create"} <= set(tried)
    assert not wrong, "\n".join(wrong)


def test_every_admin_form_refuses_a_post_without_csrf_token(scenario):
    superuser = get_user_model().objects.create_superuser("root@example.test", "Admin-pass-42")
    client = HubClient(enforce_csrf_checks=True)
    client.force_login(superuser)
    wrong: list[str] = []
    posted = 0
    for label, path, _cells, unsafe in admin_cases(scenario):
        for method in unsafe:
            # The check with a token only where an empty POST changes nothing (no action chosen).
            _try(client, method, path, label, wrong, control=label.endswith("_changelist"))
            posted += 1
    assert posted > 50
    assert not wrong, "\n".join(wrong)
