"""A request id on every log line of a request and of the Celery tasks that request enqueues.

The middleware takes the id from a valid incoming X-Request-ID (so a proxy's id joins up with
ours) or makes a new one, keeps it in a contextvar until the response is closed and returns it in
the response header. The logging filter copies the contextvar onto every record. Celery carries
it in a message header: set when a task is published, restored around the task in the worker.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# The Celery message header; also what `task.request` exposes it as in the worker.
TASK_HEADER = "hub_request_id"
NO_REQUEST = "-"
# Proxies send a uuid or a hex string; anything else (too long, odd characters that could forge
# log lines) is replaced rather than trusted.
_VALID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")

request_id_var: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def current_request_id() -> str:
    return request_id_var.get()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _VALID.fullmatch(incoming) else str(uuid.uuid4())
        # Not reset on the way out: Django logs "Not Found" and 500s after the middleware chain
        # has returned; `request_finished` (sent when the server closes the response) clears it.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@receiver(request_finished, dispatch_uid="hub.requestid.finished")
def _request_over(**kwargs: Any) -> None:
    request_id_var.set(NO_REQUEST)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


# Attributes every LogRecord has; anything else on a record came in through `extra=`.
_RECORD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        # default=str: extras such as Django's `request` are objects, not JSON values.
        return json.dumps(entry, default=str, ensure_ascii=False)


# Celery -------------------------------------------------------------------------------------

# Token of the contextvar set for each running task, by task id, so postrun restores exactly
# what prerun replaced (eager tasks run inside the request that enqueued them).
_task_tokens: dict[str, Token[str]] = {}


@before_task_publish.connect(dispatch_uid="hub.requestid.publish")
def _add_header(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = request_id_var.get()
    if headers is not None and request_id != NO_REQUEST:
        headers.setdefault(TASK_HEADER, request_id)


def _header_of(task: Any) -> str | None:
    request = getattr(task, "request", None)
    value = getattr(request, TASK_HEADER, None)
    if value is None:
        # An eager `apply(headers=...)` keeps custom headers apart, under `headers`.
        value = (getattr(request, "headers", None) or {}).get(TASK_HEADER)
    return str(value) if value and _VALID.fullmatch(str(value)) else None


@task_prerun.connect(dispatch_uid="hub.requestid.prerun")
def _enter_task(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    if task_id is None:
        return
    request_id = _header_of(task) or request_id_var.get()
    _task_tokens[task_id] = request_id_var.set(request_id)


@task_postrun.connect(dispatch_uid="hub.requestid.postrun")
def _leave_task(task_id: str | None = None, **kwargs: Any) -> None:
    token = _task_tokens.pop(task_id, None) if task_id is not None else None
    if token is not None:
        try:
            request_id_var.reset(token)
        except ValueError:
            # Set in another context (a thread pool ran prerun elsewhere): just clear it.
            request_id_var.set(NO_REQUEST)
