"""API clients: the command, the hash-only storage, expiry, rotation, revocation, staff page."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.shortcuts import resolve_url
from rest_framework.test import APIClient as RestClient

from accounts.models import APIClient
from accounts.services import api_client_create, api_client_revoke, api_client_rotate
from tests import factories


def _get(token, url="/api/v1/requirements/"):
    client = RestClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get(url)


def test_command_prints_token_last_and_stores_only_its_hash(cast):
    out = StringIO()
    call_command(
        "create_api_client", "Alpha ERP", "--firm", cast.firm_a.companies_house_number, stdout=out
    )
    lines = out.getvalue().strip().splitlines()
    token = lines[-1]
    assert " " not in token
    assert len(token) >= 40
    client = APIClient.objects.get(name="Alpha ERP")
    assert client.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(v) for v in APIClient.objects.filter(pk=client.pk).values().get().values()]
    assert token not in stored
    assert client.user.membership.firm == cast.firm_a
    assert not client.user.has_usable_password()
    assert _get(token).status_code == 200


def test_command_staff_token_with_expiry(db):
    out = StringIO()
    call_command("create_api_client", "Analyst", "--staff", "--expires-days", "7", stdout=out)
    client = APIClient.objects.get(name="Analyst")
    assert client.scope == "STAFF"
    assert client.user.is_hub_staff
    assert client.expires_at is not None
    assert _get(out.getvalue().strip().splitlines()[-1], "/api/v1/firms/").status_code == 200


def test_command_unknown_firm_exits_1_naming_it(db):
    with pytest.raises(CommandError, match="SC999999"):
        call_command("create_api_client", "Ghost", "--firm", "SC999999")


def test_command_needs_a_scope(db):
    with pytest.raises(CommandError):
        call_command("create_api_client", "Nobody")


def test_rotation_replaces_the_token_and_revocation_ends_it(cast):
    client, token = api_client_create(name="Bravo", scope="FIRM", firm=cast.firm_b)
    new = api_client_rotate(client=client)
    assert _get(token).status_code == 401
    assert _get(new).status_code == 200
    api_client_revoke(client=client)
    assert _get(new).status_code == 401


def test_service_user_cannot_sign_in(client, cast):
    api_client, _ = api_client_create(name="Bravo", scope="FIRM", firm=cast.firm_b)
    assert not client.login(email=api_client.user.email, password="")
    assert not api_client.user.is_staff


@pytest.mark.parametrize(
    ("member", "status"),
    [("anonymous", 302), ("supplier_a", 403), ("requester_x", 403), ("staff", 200)],
)
def test_staff_page_access(client, cast, member, status):
    if member != "anonymous":
        client.force_login(getattr(cast, member))
    response = client.get("/staff/api-clients/")
    assert response.status_code == status
    if status == 302:
        # To the portal's sign-in (settings.LOGIN_URL), back to this page afterwards.
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        assert "next=/staff/api-clients/" in response["Location"]


def test_staff_page_creates_rotates_and_revokes(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        "/staff/api-clients/",
        {"action": "create", "name": "Partner", "scope": "FIRM", "firm": cast.firm_a.pk},
    )
    assert response.status_code == 200
    token = response.context["new_token"]["token"]
    assert token in response.content.decode()
    created = APIClient.objects.get(name="Partner")
    assert created.firm == cast.firm_a
    assert _get(token).status_code == 200
    response = client.post("/staff/api-clients/", {"action": "rotate", "client": created.pk})
    rotated = response.context["new_token"]["token"]
    assert _get(token).status_code == 401
    assert _get(rotated).status_code == 200
    client.post("/staff/api-clients/", {"action": "revoke", "client": created.pk})
    assert _get(rotated).status_code == 401
    page = client.get("/staff/api-clients/").content.decode()
    assert "Partner" in page
    assert rotated not in page


def test_staff_page_form_errors_name_the_field(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        "/staff/api-clients/", {"action": "create", "name": "X", "scope": "FIRM"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["firm"]
    assert not APIClient.objects.filter(name="X").exists()


def test_admin_rotate_action_shows_new_token(client, cast):
    staff = factories.StaffFactory(email="admin-staff@example.test")
    api_client, token = api_client_create(name="Via admin", scope="STAFF")
    client.force_login(staff)
    response = client.post(
        "/admin/accounts/apiclient/",
        {"action": "rotate_tokens", "_selected_action": [api_client.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert _get(token).status_code == 401
    assert "shown once" in response.content.decode()


def test_admin_add_creates_through_the_service_and_shows_the_token_once(client, cast):
    staff = factories.StaffFactory(email="admin-add@example.test")
    client.force_login(staff)
    response = client.post(
        "/admin/accounts/apiclient/add/",
        {"name": "Admin-made", "scope": "FIRM", "firm": cast.firm_b.pk, "expires_at_0": ""},
        follow=True,
    )
    assert response.status_code == 200
    created = APIClient.objects.get(name="Admin-made")
    assert created.created_by == staff
    assert created.user.membership.firm == cast.firm_b
    shown = [str(m) for m in response.context["messages"]]
    token = next(m for m in shown if "shown once" in m).rsplit(" ", 1)[-1]
    assert created.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert _get(token, "/api/v1/firms/").json()["results"][0]["name"] == cast.firm_b.name


@pytest.mark.django_db
def test_a_firm_tokens_service_user_is_not_shown_as_a_member(cast):
    from accounts.selectors import members_of_firm
    from accounts.services import api_client_create

    api_client_create(name="ERP link", scope="FIRM", firm=cast.firm_a, by=cast.staff)
    members = [m.user.email for m in members_of_firm(firm=cast.firm_a)]
    assert members == [cast.supplier_a.email]
