"""The match lists are written by orjson (hub.api_renderers.FastJSONRenderer): the bytes on the
wire must be the ones DRF's own JSONRenderer writes, or DRF's encoder must write them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from hub.api_renderers import FastJSONRenderer
from tests.api.conftest import client_as

PAGE = {
    "next": "http://testserver/api/v1/requirements/UA-1/matches/?cursor=cD0x",
    "previous": None,
    "results": [
        {
            "capability": {
                "reference": "SR-Q4",
                "name": "Перехоплювач “Q4” <&> \u2028 line\u2029 paragraph",
                "category": "UAS.INTERCEPTOR",
                "firm": {"companies_house_number": "SC123456", "name": "Skyreach Ltd"},
            },
            "requirement": "UA-1",
            "score": 87.4,
            "eligible": True,
            "blockers": [],
            "breakdown": [
                {"component": "relevance", "value": 0.333, "weight": 0.3, "reason": "ok"},
                {"component": "price", "value": 1.0, "weight": 0.05, "reason": "no budget"},
                {"component": "maturity", "value": 0.0, "weight": 0.1, "reason": ""},
            ],
            "engine_version": "2.1",
            "computed_at": "2026-05-01T12:30:00.123456+03:00",
            "removed": False,
        }
    ],
}


def test_same_bytes_as_drf_for_a_match_page():
    fast = FastJSONRenderer().render(PAGE, "application/json")
    assert fast == JSONRenderer().render(PAGE, "application/json")
    # As DRF escapes them for JavaScript.
    assert b"\\u2028" in fast
    assert b"\\u2029" in fast
    assert "Перехоплювач".encode() in fast  # UTF-8, not \u escapes


@pytest.mark.parametrize(
    "data",
    [
        {"price": Decimal("12.50")},  # a decimal as a JSON number (COERCE_DECIMAL_TO_STRING off)
        {"detail": gettext_lazy("Not found.")},  # DRF's error bodies hold lazy translations
        None,
    ],
)
def test_what_orjson_cannot_write_goes_through_drf(data):
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_an_indent_asked_for_is_honoured():
    indented = FastJSONRenderer().render(PAGE, "application/json; indent=2", {"indent": None})
    assert indented == JSONRenderer().render(PAGE, "application/json; indent=2", {})
    assert b'\n  "next"' in indented


@pytest.mark.django_db
def test_the_match_list_answers_with_the_drf_bytes(world):
    response = client_as(world, "staff_token").get(
        f"/api/v1/requirements/{world.req_open.reference}/matches/"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["results"]
    assert response.content == JSONRenderer().render(response.json())
