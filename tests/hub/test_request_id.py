"""The request id: echoed in X-Request-ID, on every log record, and carried into Celery tasks."""

from __future__ import annotations

import io
import json
import logging
import sys
import uuid

import pytest
from celery.worker.request import Request as WorkerRequest
from django.http import HttpResponse
from django.test import RequestFactory
from kombu import Connection

from hub.celery import app
from hub.requestid import (
    TASK_HEADER,
    JsonFormatter,
    RequestIdFilter,
    RequestIdMiddleware,
    current_request_id,
)

pytestmark = pytest.mark.django_db


@app.task(name="tests.hub.request_id_probe")
def request_id_probe() -> str:
    logging.getLogger("tests.hub.probe").warning("probe ran")
    return current_request_id()


@pytest.fixture
def console():
    """What the configured console handler (settings.LOGGING) writes, as text."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RequestIdFilter) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous or sys.stderr)


def test_a_valid_incoming_id_is_echoed(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-7f3a9c2e")
    assert response["X-Request-ID"] == "proxy-7f3a9c2e"


@pytest.mark.parametrize("incoming", ["", "short", "bad id with spaces", "x" * 200, "a\nforged"])
def test_a_missing_or_invalid_id_is_replaced_by_a_new_uuid(client, incoming):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] != incoming
    assert uuid.UUID(response["X-Request-ID"]).version == 4


def test_each_request_gets_its_own_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    assert first != client.get("/healthz")["X-Request-ID"]
    # Outside a request there is none.
    assert current_request_id() == "-"


def test_log_records_of_a_request_carry_its_id(client, console):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-0001-abcd")
    assert response.status_code == 404
    line = next(line for line in console.getvalue().splitlines() if "Not Found" in line)
    assert "[trace-0001-abcd]" in line


def test_json_lines_carry_the_id_extras_and_the_exception():
    formatter, record_filter = JsonFormatter(), RequestIdFilter()
    factory = RequestFactory()
    lines: list[dict] = []

    def view(request):
        logger = logging.getLogger("hub.test")
        try:
            raise ValueError("broken rotor")
        except ValueError:
            record = logger.makeRecord(
                "hub.test",
                logging.ERROR,
                __file__,
                1,
                "scored %s",
                ("UA-1",),
                sys.exc_info(),
                extra={"requirement": "UA-1"},
            )
        record_filter.filter(record)
        lines.append(json.loads(formatter.format(record)))
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(factory.get("/", HTTP_X_REQUEST_ID="json-line-0001"))
    response.close()
    assert response["X-Request-ID"] == "json-line-0001"
    (entry,) = lines
    assert entry["request_id"] == "json-line-0001"
    assert entry["message"] == "scored UA-1"
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "hub.test"
    assert entry["requirement"] == "UA-1"
    assert "ValueError: broken rotor" in entry["exc_info"]
    assert entry["time"].endswith("+00:00")


@pytest.fixture
def publishing():
    """Tasks are published to a broker instead of running inline (the test settings' default)."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


def test_a_task_enqueued_by_a_request_runs_under_its_id(publishing, console):
    """A real publish (in-memory broker), then the worker's own request handling of the message:
    the id travels in the message header and is back in the contextvar while the task runs."""
    with Connection("memory://") as connection:

        def view(request):
            request_id_probe.apply_async(connection=connection)
            return HttpResponse("queued")

        response = RequestIdMiddleware(view)(RequestFactory().post("/"))
        request_id = response["X-Request-ID"]
        response.close()  # what the WSGI server does once the response is sent
        message = connection.SimpleQueue("celery").get(timeout=5)
        assert message.headers[TASK_HEADER] == request_id
        assert current_request_id() == "-"  # the request is over

        worker_request = WorkerRequest(message, app=app, task=app.tasks[request_id_probe.name])
        assert worker_request.execute() == request_id
    assert current_request_id() == "-"  # restored after the task
    probe_line = next(line for line in console.getvalue().splitlines() if "probe ran" in line)
    assert f"[{request_id}]" in probe_line


def test_an_eager_task_keeps_the_id_of_the_request_that_ran_it(client):
    def view(request):
        return HttpResponse(request_id_probe.delay().get())

    response = RequestIdMiddleware(view)(
        RequestFactory().get("/", HTTP_X_REQUEST_ID="eager-run-01")
    )
    response.close()
    assert response.content == b"eager-run-01"


def test_a_task_without_a_request_has_no_id_and_apply_with_a_header_has_it():
    assert request_id_probe.apply().get() == "-"
    assert request_id_probe.apply(headers={TASK_HEADER: "from-header-01"}).get() == (
        "from-header-01"
    )
    assert current_request_id() == "-"
