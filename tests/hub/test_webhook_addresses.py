"""Webhook URLs on loopback or private addresses are refused when HUB_WEBHOOK_ALLOW_PRIVATE is
off (the production default), at registration and again before each delivery."""

from __future__ import annotations

import threading
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from rest_framework.test import APIClient as RestClient

from accounts.services import api_client_create
from matching.models import WebhookDelivery, WebhookEndpoint
from matching.webhooks import webhook_delivery_attempt, webhook_endpoint_create
from tests import factories

pytestmark = pytest.mark.django_db

PRIVATE_URLS = [
    "http://127.0.0.1:8000/hook",
    "http://10.20.30.40/hook",
    "http://192.168.1.10/hook",
    "http://172.16.0.5/hook",
    "http://[::1]:8080/hook",
    "http://localhost/hook",  # a host name resolving to loopback
    "http://169.254.169.254/latest/meta-data",  # cloud metadata (link-local)
    "http://[::ffff:127.0.0.1]/hook",  # IPv4-mapped loopback
]


@pytest.fixture
def staff_api():
    _, token = api_client_create(name="Partner system", scope="STAFF")
    client = RestClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_registration_refuses_private_addresses(staff_api, settings, url):
    settings.HUB_WEBHOOK_ALLOW_PRIVATE = False
    response = staff_api.post("/api/v1/webhooks/", {"url": url}, format="json")
    assert response.status_code == 400
    assert "non-public address" in str(response.json()["url"])
    assert not WebhookEndpoint.objects.exists()


def test_a_public_address_is_accepted(staff_api, settings):
    settings.HUB_WEBHOOK_ALLOW_PRIVATE = False
    # A literal public address: no DNS look-up is needed to decide.
    response = staff_api.post("/api/v1/webhooks/", {"url": "https://8.8.8.8/hook"}, format="json")
    assert response.status_code == 201, response.content
    assert WebhookEndpoint.objects.get().url == "https://8.8.8.8/hook"


def test_local_and_test_runs_may_use_loopback(staff_api, settings):
    assert settings.HUB_WEBHOOK_ALLOW_PRIVATE is True  # the test settings' default
    response = staff_api.post("/api/v1/webhooks/", {"url": PRIVATE_URLS[0]}, format="json")
    assert response.status_code == 201


class _Receiver(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_POST(self):  # noqa: N802 - the http.server hook name
        self.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_delivery_to_an_address_since_refused_is_not_sent(settings):
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client, _ = api_client_create(name="Partner system", scope="STAFF")
        url = f"http://127.0.0.1:{server.server_port}/hook"
        endpoint, _ = webhook_endpoint_create(client=client, url=url)
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_id=uuid.uuid4(),
            requirement=factories.RequirementFactory(),
            payload={"event": "match_list.changed"},
        )
        settings.HUB_WEBHOOK_ALLOW_PRIVATE = False
        webhook_delivery_attempt(delivery_id=delivery.pk)
    finally:
        server.shutdown()
        server.server_close()
    delivery.refresh_from_db()
    assert _Receiver.hits == []
    assert "non-public address" in delivery.error
    assert delivery.state != WebhookDelivery.State.DELIVERED
