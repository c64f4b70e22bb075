"""Rate limits: the API (anonymous and per token, 429 as JSON), sign-in and sign-up per client
address, and the lock-out after repeated failed sign-ins for every role."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.urls import reverse
from rest_framework.test import APIClient as RestClient
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from accounts.models import User
from accounts.services import api_client_create
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
SIGN_IN = reverse("accounts:sign-in")
SIGN_UP = reverse("accounts:sign-up")


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_rates(monkeypatch):
    # DRF binds the rates to the throttle classes when it is imported, so lowering them for a
    # test means setting them there; a private cache keeps other tests' counts out.
    def lower(**rates: str) -> None:
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
        monkeypatch.setattr(AnonRateThrottle, "cache", LocMemCache("anon-throttle-test", {}))
        monkeypatch.setattr(UserRateThrottle, "cache", LocMemCache("user-throttle-test", {}))

    return lower


def test_anonymous_api_calls_are_limited_per_address_with_a_json_429(api_rates):
    api_rates(anon="1/minute", user="1000/minute")
    client = RestClient()
    assert client.get("/api/schema/").status_code == 200
    refused = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")
    assert "throttled" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0
    # Another address has its own allowance.
    assert client.get("/api/schema/", REMOTE_ADDR="198.51.100.7").status_code == 200


def test_a_token_over_its_rate_gets_a_json_429(api_rates):
    api_rates(anon="1000/minute", user="2/minute")
    _, token = api_client_create(name="Partner sync", scope="STAFF")
    client = RestClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    codes = [client.get("/api/v1/requirements/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    refused = client.get("/api/v1/requirements/")
    assert "throttled" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0


def test_sign_in_posts_are_limited_per_address(client, settings):
    settings.HUB_SIGN_IN_RATE = "3/minute"
    user = factories.MembershipFactory().user
    for number in range(3):
        response = client.post(SIGN_IN, {"email": f"nobody{number}@example.test", "password": "x"})
        assert response.status_code == 200
    # Even the right password is not checked once the address is over its rate.
    response = client.post(SIGN_IN, {"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts from your network" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Reading the page is not an attempt, and another address is not affected.
    assert client.get(SIGN_IN).status_code == 200
    other = client.post(
        SIGN_IN, {"email": user.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert other.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(client, settings):
    settings.HUB_SIGN_IN_RATE = "2/minute"
    codes = [
        client.post(
            SIGN_IN,
            {"email": "nobody@example.test", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        ).status_code
        for number in range(4)
    ]
    assert codes == [200, 200, 429, 429]


def test_sign_up_posts_are_limited_per_address(client, settings):
    settings.HUB_SIGN_UP_RATE = "2/hour"
    form = {"full_name": "Ann Smith", "password": "tight-rotor-blades-9", "accept_privacy": "on"}
    for number in range(2):
        response = client.post(SIGN_UP, {**form, "email": f"ann{number}@example.test"})
        assert response.status_code == 302
    response = client.post(SIGN_UP, {**form, "email": "ann9@example.test"})
    assert response.status_code == 429
    assert "Too many attempts from your network" in response.content.decode()
    assert not User.objects.filter(email="ann9@example.test").exists()
    assert User.objects.filter(email__startswith="ann").count() == 2


@pytest.mark.parametrize("role", ["supplier_a", "requester_x", "staff", "superuser"])
def test_repeated_failures_lock_every_role_out(client, settings, cast, role):
    settings.HUB_SIGN_IN_MAX_FAILURES = 5
    user = factories.StaffFactory(is_superuser=True) if role == "superuser" else getattr(cast, role)
    for _ in range(5):
        response = client.post(SIGN_IN, {"email": user.email, "password": "wrong-password"})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    assert "locked" in response.content.decode()
    response = client.post(SIGN_IN, {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The lock is per account: a colleague signs in as usual.
    colleague = cast.supplier_b
    response = client.post(SIGN_IN, {"email": colleague.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)
