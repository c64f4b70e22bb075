"""Match lists: shape, order, a firm's own rows only, cursor walks, incremental sync."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from matching import services as matching_services
from matching.models import Match
from requirements import services as requirement_services
from tests import factories
from tests.api.conftest import client_as

MATCH_KEYS = {
    "capability",
    "requirement",
    "score",
    "eligible",
    "blockers",
    "breakdown",
    "engine_version",
    "computed_at",
    "removed",
}


def walk(client, url):
    """Every item of a cursor-paginated list, following `next` to the end."""
    items, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        items += body["results"]
        url, pages = body["next"], pages + 1
    return items, pages


def test_staff_see_whole_list_in_contract_order(world):
    response = client_as(world, "staff_token").get(
        f"/api/v1/requirements/{world.req_open.reference}/matches/"
    )
    assert response.status_code == 200
    items = response.json()["results"]
    assert set(items[0]) == MATCH_KEYS
    assert set(items[0]["capability"]) == {"reference", "name", "category", "firm"}
    assert set(items[0]["capability"]["firm"]) == {"companies_house_number", "name"}
    assert isinstance(items[0]["score"], float)
    keys = [(not i["eligible"], -i["score"]) for i in items]
    assert keys == sorted(keys)
    stored = list(
        Match.objects.filter(requirement=world.req_open, removed=False)
        .order_by("-eligible", "-score", "capability_id")
        .values_list("capability__reference", flat=True)
    )
    assert [i["capability"]["reference"] for i in items] == stored
    assert {"ALPHA-1", "BRAVO-1"} <= set(stored)
    assert items[0]["requirement"] == world.req_open.reference


@pytest.mark.parametrize("member", ["firm_token", "supplier_a"])
def test_firm_sees_only_its_own_rows_and_no_competitor(world, member):
    response = client_as(world, member).get(
        f"/api/v1/requirements/{world.req_open.reference}/matches/"
    )
    items = response.json()["results"]
    assert {i["capability"]["reference"] for i in items} == {"ALPHA-1", "ALPHA-LOW"}
    text = response.content.decode()
    competitor = Match.objects.get(requirement=world.req_open, capability=world.cap_b)
    assert world.cast.firm_b.name not in text
    assert world.cast.firm_b.companies_house_number not in text
    assert "BRAVO-1" not in text
    assert json.dumps(competitor.score) not in {json.dumps(i["score"]) for i in items}


def test_filters_eligible_and_min_score(world):
    client = client_as(world, "staff")
    url = f"/api/v1/requirements/{world.req_open.reference}/matches/"
    eligible = client.get(url, {"eligible": "true"}).json()["results"]
    assert eligible
    assert all(i["eligible"] for i in eligible)
    blocked = client.get(url, {"eligible": "false"}).json()["results"]
    assert "ALPHA-LOW" in {i["capability"]["reference"] for i in blocked}
    high = client.get(url, {"min_score": 50}).json()["results"]
    assert all(i["score"] >= 50 for i in high)


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("eligible", "maybe"),
        ("min_score", "lots"),
        ("min_score", "101"),
        ("updated_since", "yesterday"),
        ("updated_since", "2026-13-45T00:00:00"),
    ],
)
def test_bad_filter_values_are_400_naming_the_field(world, param, value):
    response = client_as(world, "staff").get(
        f"/api/v1/requirements/{world.req_open.reference}/matches/", {param: value}
    )
    assert response.status_code == 400
    assert param in response.json()


def test_cursor_pagination_walks_the_whole_list(world):
    for n in range(7):
        factories.CapabilityFactory(firm=world.cast.firm_b, reference=f"BRAVO-X{n}", trl=7 + n % 3)
    matching_services.requirement_rescore(requirement_id=world.req_open.pk)
    client = client_as(world, "staff_token")
    url = f"/api/v1/requirements/{world.req_open.reference}/matches/?page_size=3"
    items, pages = walk(client, url)
    stored = list(
        Match.objects.filter(requirement=world.req_open, removed=False)
        .order_by("-eligible", "-score", "capability_id")
        .values_list("capability__reference", flat=True)
    )
    assert len(stored) >= 9
    assert [i["capability"]["reference"] for i in items] == stored
    assert pages == -(-len(stored) // 3)


def test_me_matches_is_the_firms_own_standing(world):
    client = client_as(world, "firm_token")
    items, _ = walk(client, "/api/v1/me/matches/?page_size=1")
    refs = {(i["requirement"], i["capability"]["reference"]) for i in items}
    assert refs == {(world.req_open.reference, "ALPHA-1"), (world.req_open.reference, "ALPHA-LOW")}


def test_sync_returns_changes_and_removals(world):
    """A firm token pulls its list, then only what changed since, including removals."""
    client = client_as(world, "firm_token")
    first, _ = walk(client, "/api/v1/me/matches/")
    assert first
    assert not any(i["removed"] for i in first)
    mark = timezone.now()
    # Without changes the delta is empty.
    delta = client.get("/api/v1/me/matches/", {"updated_since": mark.isoformat()}).json()
    assert delta["results"] == []
    # The capability stops being offered, and the requirement closes: both are removals.
    world.cap_a2.active = False
    world.cap_a2.save()
    matching_services.capability_rescore(capability_id=world.cap_a2.pk)
    requirement_services.requirement_transition(
        requirement=world.req_open, to="CLOSED", note="withdrawn", actor="test"
    )
    matching_services.requirement_rescore(requirement_id=world.req_open.pk)
    delta = client.get("/api/v1/me/matches/", {"updated_since": mark.isoformat()}).json()
    removed = {i["capability"]["reference"] for i in delta["results"] if i["removed"]}
    assert removed == {"ALPHA-1", "ALPHA-LOW"}
    # The plain list no longer shows them, and removals are not listed without updated_since.
    assert client.get("/api/v1/me/matches/").json()["results"] == []
    # The requirement list tells the firm to drop the closed requirement.
    reqs = client.get("/api/v1/requirements/", {"updated_since": mark.isoformat()}).json()
    assert reqs["results"] == [
        {
            **{k: None for k in reqs["results"][0]},
            "reference": world.req_open.reference,
            "updated_at": reqs["results"][0]["updated_at"],
            "removed": True,
        }
    ]
    assert client.get("/api/v1/requirements/").json()["results"] == []


def test_staff_sync_of_one_requirement_sees_removal_records(world):
    client = client_as(world, "staff_token")
    url = f"/api/v1/requirements/{world.req_open.reference}/matches/"
    mark = timezone.now()
    world.cap_b.active = False
    world.cap_b.save()
    matching_services.capability_rescore(capability_id=world.cap_b.pk)
    delta = client.get(url, {"updated_since": mark.isoformat()}).json()["results"]
    changed = {i["capability"]["reference"]: i["removed"] for i in delta}
    assert changed.get("BRAVO-1") is not None
    plain = {i["capability"]["reference"] for i in client.get(url).json()["results"]}
    assert (changed["BRAVO-1"] is True) == ("BRAVO-1" not in plain)


def test_sensitive_removals_never_reach_an_uncleared_firm(world):
    """A non-List X firm's row on a sensitive requirement exists but is never shown, even
    as a removal record."""
    mark = timezone.now()
    requirement_services.requirement_transition(
        requirement=world.req_sensitive, to="CLOSED", note="done", actor="test"
    )
    matching_services.requirement_rescore(requirement_id=world.req_sensitive.pk)
    for member in ("firm_token", "supplier_b"):
        client = client_as(world, member)
        text = client.get("/api/v1/me/matches/", {"updated_since": mark.isoformat()}).content
        assert world.req_sensitive.reference.encode() not in text
        text = client.get("/api/v1/requirements/", {"updated_since": mark.isoformat()}).content
        assert world.req_sensitive.reference.encode() not in text
    listx = client_as(world, "supplier_listx")
    body = listx.get("/api/v1/requirements/", {"updated_since": mark.isoformat()}).json()
    assert [(r["reference"], r["removed"]) for r in body["results"]] == [
        (world.req_sensitive.reference, True)
    ]


@pytest.mark.parametrize(
    ("member", "url"),
    [
        ("staff_token", "/api/v1/requirements/{ref}/matches/"),
        ("firm_token", "/api/v1/requirements/{ref}/matches/"),
        ("firm_token", "/api/v1/me/matches/"),
        ("staff_token", "/api/v1/requirements/"),
        ("firm_token", "/api/v1/requirements/?updated_since=2020-01-01T00:00:00Z"),
        ("staff_token", "/api/v1/firms/"),
        ("staff_token", "/api/v1/capabilities/"),
    ],
)
def test_list_query_counts_are_pinned(world, django_assert_max_num_queries, member, url):
    for n in range(15):
        factories.CapabilityFactory(firm=world.cast.firm_b, reference=f"BULK-{n}")
    matching_services.requirement_rescore(requirement_id=world.req_open.pk)
    client = client_as(world, member)
    url = url.format(ref=world.req_open.reference)
    client.get(url)  # warm: last_used_at is written at most once a minute
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["results"]
