"""Every endpoint tried by every cast member, with the status DESIGN.md section 5 gives."""

from __future__ import annotations

import pytest

from tests.api.conftest import MEMBERS, client_as

UNAUTHENTICATED = {"anonymous": 401, "expired_token": 401, "revoked_token": 401}


def expect(default, **overrides):
    return {member: default for member in MEMBERS} | UNAUTHENTICATED | overrides


MATRIX = {
    "requirements": (lambda w: "/api/v1/requirements/", expect(200)),
    "requirement_open": (
        lambda w: f"/api/v1/requirements/{w.req_open.reference}/",
        expect(200, supplier_unverified=404, requester_y=404),
    ),
    "requirement_sensitive": (
        lambda w: f"/api/v1/requirements/{w.req_sensitive.reference}/",
        expect(
            404,
            supplier_listx=200,
            requester_y=200,
            staff=200,
            staff_token=200,
        ),
    ),
    "requirement_submitted": (
        lambda w: f"/api/v1/requirements/{w.req_submitted.reference}/",
        expect(404, requester_x=200, staff=200, staff_token=200),
    ),
    "requirement_unknown": (lambda w: "/api/v1/requirements/UA-NOPE-1/", expect(404)),
    "matches": (
        lambda w: f"/api/v1/requirements/{w.req_open.reference}/matches/",
        expect(200, supplier_unverified=404, requester_x=403, requester_y=403),
    ),
    "matches_sensitive": (
        lambda w: f"/api/v1/requirements/{w.req_sensitive.reference}/matches/",
        expect(
            404,
            supplier_listx=200,
            staff=200,
            staff_token=200,
            requester_x=403,
            requester_y=403,
        ),
    ),
    "firms": (lambda w: "/api/v1/firms/", expect(200, requester_x=403, requester_y=403)),
    "firm_a": (
        lambda w: f"/api/v1/firms/{w.cast.firm_a.companies_house_number}/",
        expect(
            404,
            supplier_a=200,
            firm_token=200,
            staff=200,
            staff_token=200,
            requester_x=403,
            requester_y=403,
        ),
    ),
    "capabilities": (
        lambda w: "/api/v1/capabilities/",
        expect(200, requester_x=403, requester_y=403),
    ),
    "capability_a": (
        lambda w: f"/api/v1/capabilities/{w.cast.firm_a.companies_house_number}/ALPHA-1/",
        expect(
            404,
            supplier_a=200,
            firm_token=200,
            staff=200,
            staff_token=200,
            requester_x=403,
            requester_y=403,
        ),
    ),
    "me_matches": (
        lambda w: "/api/v1/me/matches/",
        expect(200, staff=403, staff_token=403, requester_x=403, requester_y=403),
    ),
    "webhooks": (
        lambda w: "/api/v1/webhooks/",
        expect(
            403,
            staff_token=200,
            firm_token=200,
        ),
    ),
}


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_read_matrix(world, endpoint):
    url_of, expected = MATRIX[endpoint]
    url = url_of(world)
    got = {member: client_as(world, member).get(url).status_code for member in MEMBERS}
    assert got == expected


def test_transition_matrix(world):
    url = f"/api/v1/requirements/{world.req_submitted.reference}/transition/"
    body = {"to": "TRIAGED", "note": "checked"}
    expected = expect(403, staff=200, staff_token=200)
    # Refusals first: a refused call must change nothing, so the staff calls still start from
    # SUBMITTED (the second staff caller then gets 409: TRIAGED -> TRIAGED is not allowed).
    got = {}
    for member in sorted(MEMBERS, key=lambda m: m in ("staff", "staff_token")):
        got[member] = client_as(world, member).post(url, body, format="json").status_code
    world.req_submitted.refresh_from_db()
    assert world.req_submitted.status == "TRIAGED"
    assert got == expected | {"staff_token": 409}


def test_unknown_and_malformed_tokens_are_401(world):
    from rest_framework.test import APIClient as RestClient

    for header in ("Token nope", "Token", "Token a b", "Bearer x", "Token \u00e9"):
        client = RestClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get("/api/v1/requirements/")
        assert response.status_code == 401, header
        assert response["WWW-Authenticate"] == "Token"


def test_api_docs_are_public(client, db):
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
