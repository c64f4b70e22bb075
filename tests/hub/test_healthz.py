from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from matching.tasks import WORKER_HEARTBEAT_KEY, worker_heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_heartbeat():
    cache.delete(WORKER_HEARTBEAT_KEY)
    yield
    cache.delete(WORKER_HEARTBEAT_KEY)


def test_healthz_is_public_and_reports_each_part(client):
    worker_heartbeat.delay()
    body = client.get("/healthz").json()
    assert body == {"status": "ok", "database": "ok", "broker": "ok", "worker": "ok"}


def test_a_silent_worker_degrades_but_keeps_200(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["worker"] == "no heartbeat yet"
    cache.set(WORKER_HEARTBEAT_KEY, timezone.now() - dt.timedelta(minutes=10))
    assert client.get("/healthz").json()["worker"].startswith("last heartbeat")


def test_a_broker_that_cannot_be_reached_is_503(client, settings):
    from hub.celery import app

    before = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = before
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
