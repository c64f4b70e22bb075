"""Requirement list, detail and the staff transition endpoint."""

from __future__ import annotations

import pytest

from requirements.models import Requirement, RequirementTransition
from tests.api.conftest import client_as, new_requirement


def test_requirement_items_carry_updated_at_and_decimals_as_numbers(world):
    body = client_as(world, "staff_token").get("/api/v1/requirements/").json()
    item = next(r for r in body["results"] if r["reference"] == world.req_open.reference)
    assert item["updated_at"]
    assert item["max_unit_price_gbp"] == 5000
    assert item["removed"] is False


def test_supplier_sees_active_cleared_requirements_only(world):
    refs = lambda member: {  # noqa: E731
        r["reference"]
        for r in client_as(world, member).get("/api/v1/requirements/").json()["results"]
    }
    assert refs("firm_token") == {world.req_open.reference}
    assert refs("supplier_listx") == {world.req_open.reference, world.req_sensitive.reference}
    assert refs("supplier_unverified") == set()
    assert refs("requester_x") == {world.req_open.reference, world.req_submitted.reference}
    assert len(refs("staff")) == 3


def test_filters(world):
    client = client_as(world, "staff")
    got = client.get("/api/v1/requirements/", {"status": "SUBMITTED"}).json()["results"]
    assert [r["reference"] for r in got] == [world.req_submitted.reference]
    got = client.get("/api/v1/requirements/", {"category": "ENERGY.STORAGE"}).json()["results"]
    assert got == []
    got = client.get("/api/v1/requirements/", {"priority": "CRITICAL"}).json()["results"]
    assert len(got) == 3


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("status", "NOPE"),
        ("category", "NOT.A_CODE"),
        ("priority", "urgent"),
        ("updated_since", "not-a-date"),
        ("updated_since", "0001-01-01T00:00:00+14:00"),
    ],
)
def test_bad_filters_are_400(world, param, value):
    response = client_as(world, "staff").get("/api/v1/requirements/", {param: value})
    if param == "updated_since" and value.startswith("0001"):
        # Parses, and is clamped rather than overflowing into a 500.
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert param in response.json()


def test_transition_moves_and_records_who(world):
    url = f"/api/v1/requirements/{world.req_submitted.reference}/transition/"
    client = client_as(world, "staff_token")
    response = client.post(url, {"to": "TRIAGED", "note": "clean"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "TRIAGED"
    record = RequirementTransition.objects.filter(requirement=world.req_submitted).last()
    assert (record.to_status, record.by, record.note) == (
        "TRIAGED",
        world.staff_client.user,
        "clean",
    )


def test_illegal_transition_is_409_naming_the_allowed(world):
    url = f"/api/v1/requirements/{world.req_submitted.reference}/transition/"
    response = client_as(world, "staff").post(url, {"to": "FULFILLED"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert set(body["allowed"]) == {"TRIAGED", "CLOSED", "REJECTED"}
    for status in ("TRIAGED", "CLOSED", "REJECTED"):
        assert status in body["detail"]
    assert Requirement.objects.get(pk=world.req_submitted.pk).status == "SUBMITTED"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "to"),
        ({"to": "SIDEWAYS"}, "to"),
        ({"to": "REJECTED", "note": ""}, "note"),
        ({"to": "CLOSED", "duplicate_of": "UA-NOPE"}, "duplicate_of"),
        ({"to": "TRIAGED", "note": ["x"]}, "note"),
    ],
)
def test_bad_transition_body_is_400_with_field(world, body, field):
    url = f"/api/v1/requirements/{world.req_submitted.reference}/transition/"
    response = client_as(world, "staff").post(url, body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_merge_links_the_kept_requirement(world):
    url = f"/api/v1/requirements/{world.req_submitted.reference}/transition/"
    response = client_as(world, "staff").post(
        url,
        {"to": "CLOSED", "note": "same need", "duplicate_of": world.req_open.reference},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["duplicate_of"] == world.req_open.reference


def test_transition_of_unknown_requirement_is_404(world):
    response = client_as(world, "staff").post(
        "/api/v1/requirements/UA-NOPE/transition/", {"to": "TRIAGED"}, format="json"
    )
    assert response.status_code == 404


def test_firms_and_capabilities_for_a_firm_token(world):
    client = client_as(world, "firm_token")
    firms = client.get("/api/v1/firms/").json()["results"]
    assert [f["companies_house_number"] for f in firms] == [
        world.cast.firm_a.companies_house_number
    ]
    caps = client.get("/api/v1/capabilities/").json()["results"]
    assert {c["reference"] for c in caps} == {"ALPHA-1", "ALPHA-LOW"}
    assert client.get("/api/v1/capabilities/", {"active": "perhaps"}).status_code == 400


def test_updated_since_lists_changed_requirements(world):
    from django.utils import timezone

    from requirements import services as requirement_services

    mark = timezone.now()
    client = client_as(world, "staff_token")
    assert client.get("/api/v1/requirements/", {"updated_since": mark.isoformat()}).json() == {
        "next": None,
        "previous": None,
        "results": [],
    }
    requirement_services.requirement_transition(
        requirement=world.req_submitted, to="TRIAGED", actor="test"
    )
    body = client.get("/api/v1/requirements/", {"updated_since": mark.isoformat()}).json()
    assert [(r["reference"], r["status"], r["removed"]) for r in body["results"]] == [
        (world.req_submitted.reference, "TRIAGED", False)
    ]


def test_cursor_pagination_walks_requirements(world):
    for n in range(5):
        new_requirement(f"UA-WALK-{n}")
    client = client_as(world, "staff_token")
    url, seen = "/api/v1/requirements/?page_size=2", []
    while url:
        body = client.get(url).json()
        seen += [r["reference"] for r in body["results"]]
        url = body["next"]
    assert seen == sorted(Requirement.objects.values_list("reference", flat=True))


def test_throttling_is_per_token(world, monkeypatch):
    from django.core.cache.backends.locmem import LocMemCache
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute"})
    monkeypatch.setattr(UserRateThrottle, "cache", LocMemCache("throttle-test", {}))
    staff = client_as(world, "staff_token")
    assert [staff.get("/api/v1/requirements/").status_code for _ in range(3)] == [200, 200, 429]
    assert client_as(world, "firm_token").get("/api/v1/requirements/").status_code == 200
