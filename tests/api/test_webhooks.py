"""Webhooks: registration, which changes a client hears about, signed delivery with retries,
against a real HTTP receiver on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from matching import webhooks
from matching.models import Match, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from matching.webhooks import MatchChange
from tests.api.conftest import client_as


class Receiver:
    """An HTTP server in a thread that answers with the queued statuses, then 200."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.requests: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def register(world, member, url):
    response = client_as(world, member).post("/api/v1/webhooks/", {"url": url}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def change_of(world, capability, before, after):
    return MatchChange(world.req_open.pk, capability.pk, before, after)


def deliver(changes, capture):
    with capture(execute=True):
        webhooks.match_changes_on_commit(changes=changes)


def test_register_list_rotate_delete(world, receiver):
    created = register(world, "firm_token", receiver.url)
    assert len(created["secret"]) == 64
    client = client_as(world, "firm_token")
    listed = client.get("/api/v1/webhooks/").json()["results"]
    assert [w["id"] for w in listed] == [created["id"]]
    assert "secret" not in listed[0]
    # Another client's registration is out of scope.
    other = client_as(world, "staff_token")
    assert other.get(f"/api/v1/webhooks/{created['id']}/").status_code == 404
    assert other.delete(f"/api/v1/webhooks/{created['id']}/").status_code == 404
    rotated = client.post(f"/api/v1/webhooks/{created['id']}/rotate-secret/").json()
    assert rotated["secret"] != created["secret"]
    assert rotated["secret_id"] != created["secret_id"]
    assert WebhookEndpoint.objects.get().secret == rotated["secret"]
    assert client.delete(f"/api/v1/webhooks/{created['id']}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/x",
        "http://10.1.2.3/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x",
        "http://localhost/x",
        "ftp://example.com/x",
    ],
)
def test_production_refuses_private_urls(world, settings, url):
    settings.HUB_WEBHOOK_ALLOW_PRIVATE = False
    response = client_as(world, "staff_token").post(
        "/api/v1/webhooks/", {"url": url}, format="json"
    )
    assert response.status_code == 400
    assert "url" in response.json()
    assert not WebhookEndpoint.objects.exists()


def test_bad_url_is_400(world):
    response = client_as(world, "staff_token").post(
        "/api/v1/webhooks/", {"url": "not a url"}, format="json"
    )
    assert response.status_code == 400
    assert "url" in response.json()


def test_signed_delivery_to_a_real_receiver(world, receiver, django_capture_on_commit_callbacks):
    secret = register(world, "firm_token", receiver.url)["secret"]
    row = Match.objects.get(requirement=world.req_open, capability=world.cap_a)
    deliver(
        [change_of(world, world.cap_a, (row.score - 10, True), (row.score, True))],
        django_capture_on_commit_callbacks,
    )
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    expected = hmac.new(
        secret.encode(), headers["X-Hub-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Hub-Signature"] == f"sha256={expected}"
    event = json.loads(body)
    assert event["requirement"] == world.req_open.reference
    assert event["changes"][0]["change"] == "score_changed"
    assert event["changes"][0]["capability"]["reference"] == "ALPHA-1"
    assert headers["X-Hub-Event-Id"] == event["id"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempt_count, delivery.status_code) == ("DELIVERED", 1, 200)


def test_retry_after_a_500(world, django_capture_on_commit_callbacks):
    with Receiver(statuses=[500]) as receiver:
        register(world, "staff_token", receiver.url)
        deliver(
            [change_of(world, world.cap_b, (50.0, True), None)],
            django_capture_on_commit_callbacks,
        )
    assert len(receiver.requests) == 2
    assert receiver.requests[0][1] == receiver.requests[1][1]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempt_count) == ("DELIVERED", 2)
    attempts = list(WebhookAttempt.objects.values_list("number", "status_code"))
    assert attempts == [(1, 500), (2, 200)]


def test_retries_are_bounded(world, settings, django_capture_on_commit_callbacks):
    settings.HUB_WEBHOOK_MAX_ATTEMPTS = 3
    with Receiver(statuses=[500, 502, 503, 200]) as receiver:
        register(world, "staff_token", receiver.url)
        deliver(
            [change_of(world, world.cap_b, (50.0, True), None)],
            django_capture_on_commit_callbacks,
        )
    assert len(receiver.requests) == 3
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempt_count, delivery.status_code) == ("FAILED", 3, 503)


def test_running_a_finished_delivery_again_sends_nothing(
    world, receiver, django_capture_on_commit_callbacks
):
    register(world, "staff_token", receiver.url)
    deliver([change_of(world, world.cap_b, (50.0, True), None)], django_capture_on_commit_callbacks)
    from matching.webhook_tasks import deliver_webhook

    deliver_webhook(WebhookDelivery.objects.get().pk)
    assert len(receiver.requests) == 1


def test_firm_hears_only_about_its_own_rows(world, receiver, django_capture_on_commit_callbacks):
    register(world, "firm_token", receiver.url)
    deliver(
        [
            change_of(world, world.cap_b, (80.0, True), None),
            change_of(world, world.cap_b, (40.0, True), (90.0, True)),
        ],
        django_capture_on_commit_callbacks,
    )
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_small_changes_are_not_events(world, receiver, django_capture_on_commit_callbacks):
    register(world, "staff_token", receiver.url)
    deliver(
        [change_of(world, world.cap_b, (50.0, True), (54.0, True))],
        django_capture_on_commit_callbacks,
    )
    assert receiver.requests == []


def test_new_eligible_match_in_top_20_is_an_event(
    world, receiver, django_capture_on_commit_callbacks
):
    register(world, "staff_token", receiver.url)
    row = Match.objects.get(requirement=world.req_open, capability=world.cap_b)
    assert row.eligible
    deliver(
        [change_of(world, world.cap_b, None, (row.score, True))], django_capture_on_commit_callbacks
    )
    event = json.loads(receiver.requests[0][1])
    assert event["changes"][0]["change"] == "new"
    assert event["changes"][0]["capability"] == {
        "reference": "BRAVO-1",
        "firm": world.cast.firm_b.companies_house_number,
    }


def test_rescoring_sends_events_end_to_end(world, receiver, django_capture_on_commit_callbacks):
    """The matching core reports its changes; a removal reaches the firm's receiver."""
    from matching import services as matching_services

    register(world, "firm_token", receiver.url)
    world.cap_a.active = False
    world.cap_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        matching_services.capability_rescore(capability_id=world.cap_a.pk)
    kinds = [
        (c["capability"]["reference"], c["change"])
        for _, body in receiver.requests
        for c in json.loads(body)["changes"]
    ]
    assert ("ALPHA-1", "no_longer_eligible") in kinds
    assert all(ref.startswith("ALPHA") for ref, _ in kinds)


def test_staff_read_the_delivery_log_in_the_admin(
    world, receiver, client, django_capture_on_commit_callbacks
):
    register(world, "staff_token", receiver.url)
    deliver([change_of(world, world.cap_b, (50.0, True), None)], django_capture_on_commit_callbacks)
    client.force_login(world.cast.staff)
    delivery = WebhookDelivery.objects.get()
    page = client.get(f"/admin/matching/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200
    assert str(delivery.event_id) in page.content.decode()


def test_a_try_cut_short_by_a_dead_worker_is_picked_up_again(world, receiver):
    """The worker claimed try 1 and died before posting; the sweep sends it later."""
    import datetime as dt

    from django.utils import timezone

    from matching.webhook_tasks import retry_stalled_webhooks

    register(world, "staff_token", receiver.url)
    endpoint = WebhookEndpoint.objects.get()
    long_ago = timezone.now() - dt.timedelta(hours=1)
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id="00000000-0000-0000-0000-000000000001",
        requirement=world.req_open,
        payload={"id": "00000000-0000-0000-0000-000000000001", "changes": []},
        attempt_count=1,
        last_attempt_at=long_ago,
    )
    fresh = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id="00000000-0000-0000-0000-000000000002",
        requirement=world.req_open,
        payload={"id": "00000000-0000-0000-0000-000000000002", "changes": []},
    )
    assert retry_stalled_webhooks() == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempt_count) == ("DELIVERED", 2)
    assert len(receiver.requests) == 1
    fresh.refresh_from_db()
    assert fresh.state == "PENDING"
