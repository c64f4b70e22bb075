"""match_items writes the match lists; MatchOutput documents them. The bytes on the wire must be
the ones the serializer would have produced for the same rows: keys and their order, floats,
datetimes in the active zone, nulls."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from firms.models import Capability, Firm
from matching import services as matching_services
from matching.api.serializers import MatchOutput, match_items
from matching.models import Match
from matching.selectors import with_reasons
from requirements.models import Requirement
from tests import factories
from tests.api.conftest import client_as
from tests.matching.test_numbers_only_rows import limits


def wire(data) -> bytes:
    return JSONRenderer().render(data)


def assert_same_bytes(rows):
    rows = list(rows)
    assert wire(match_items(rows)) == wire(MatchOutput(rows, many=True).data)


def stored_rows(requirement):
    rows = Match.objects.filter(requirement=requirement).select_related(
        "capability__firm", "requirement"
    )
    return with_reasons(rows.order_by("-eligible", "-score", "capability_id"))


@pytest.mark.django_db
def test_stored_rows_explained_numbers_only_and_removed(world):
    for n in range(4):
        factories.CapabilityFactory(firm=world.cast.firm_b, reference=f"BRAVO-N{n}", trl=5 + n)
    # A short top list: most rows are stored as numbers and explained on read.
    with override_settings(HUB_MATCHING=limits(1, 1)):
        matching_services.requirement_rescore(requirement_id=world.req_open.pk)
    # A removal record, as a sync with updated_since lists it.
    Match.objects.filter(requirement=world.req_open, capability=world.cap_b).update(removed=True)
    rows = stored_rows(world.req_open)
    assert {row.explained for row in Match.objects.filter(requirement=world.req_open)} == {
        True,
        False,
    }
    assert any(row.blockers for row in rows)
    assert any(row.removed for row in rows)
    for zone in ("Europe/Kyiv", "UTC", "America/New_York"):
        with timezone.override(zone):
            assert_same_bytes(rows)


def _row(**fields):
    firm = Firm(pk=7, companies_house_number="SC123456", name="Skyreach “Ltd” <&>")
    capability = Capability(
        pk=11, firm=firm, reference="SR-Q4", name="Quad ünterceptor", category_id="UAS.FPV"
    )
    requirement = Requirement(pk=5, reference="UA-2026-0142")
    values = {
        "pk": 3,
        "requirement": requirement,
        "capability": capability,
        "score": 87.4,
        "eligible": True,
        "blockers": [],
        "breakdown": [],
        "engine_version": "2.1",
        "computed_at": dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC),
        "removed": False,
    }
    return Match(**{**values, **fields})


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"score": 61, "eligible": False},  # an int score is written as a float (61.0)
        {"score": 1 / 3},
        {"computed_at": dt.datetime(2026, 12, 1, 23, 59, 59, 123456, tzinfo=dt.UTC)},
        {"computed_at": dt.datetime(2026, 7, 1, 12, tzinfo=ZoneInfo("Asia/Tokyo"))},
        {"computed_at": None},
        {"engine_version": None, "removed": True},
        {"blockers": None, "breakdown": None},
        {"blockers": [{"code": "TOO_LATE", "reason": None, "extra": 1}]},
        {
            "breakdown": [
                {"component": "relevance", "value": 1, "weight": Decimal("0.3"), "reason": ""},
                {"component": "price", "value": None, "weight": 0.25, "reason": "ok"},
            ]
        },
    ],
)
def test_edge_values(fields):
    with timezone.override("Europe/Kyiv"):
        assert_same_bytes([_row(**fields), _row(pk=4)])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("member", "url"),
    [
        ("staff_token", "/api/v1/requirements/{ref}/matches/?page_size=3"),
        ("firm_token", "/api/v1/requirements/{ref}/matches/"),
        ("firm_token", "/api/v1/me/matches/"),
        ("staff_token", "/api/v1/requirements/{ref}/matches/?updated_since=2020-01-01T00:00:00Z"),
    ],
)
def test_a_served_page_is_the_serializers_page(world, member, url):
    with override_settings(HUB_MATCHING=limits(1, 1)):
        matching_services.requirement_rescore(requirement_id=world.req_open.pk)
    response = client_as(world, member).get(url.format(ref=world.req_open.reference))
    assert response.status_code == 200
    body = response.json()
    served = [(item["requirement"], item["capability"]["reference"]) for item in body["results"]]
    assert served
    by_key = {
        (row.requirement.reference, row.capability.reference): row
        for row in with_reasons(
            Match.objects.select_related("capability__firm", "requirement").filter(
                requirement__reference__in={ref for ref, _ in served}
            )
        )
    }
    expected = {**body, "results": MatchOutput([by_key[k] for k in served], many=True).data}
    assert response.content == wire(expected)
    assert json.loads(response.content)["results"][0]["computed_at"]
