from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from firms.models import Category
from matching.tasks import WORKER_HEARTBEAT_KEY, WORKER_HEARTBEAT_MAX_AGE
from requirements.selectors import requirement_public_counts


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "counts": requirement_public_counts(),
        "categories": Category.objects.filter(parent__isnull=True).prefetch_related("children"),
    }
    return render(request, "portal/home.html", context)


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _check_broker() -> str:
    from hub.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def _check_worker() -> str:
    beat = cache.get(WORKER_HEARTBEAT_KEY)
    if beat is None:
        return "no heartbeat yet"
    age = (timezone.now() - beat).total_seconds()
    return "ok" if age <= WORKER_HEARTBEAT_MAX_AGE else f"last heartbeat {age:.0f} s ago"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, broker and worker heartbeat; 503 when the database or broker is down."""
    checks: dict[str, str] = {}
    for name, check in (
        ("database", _check_database),
        ("broker", _check_broker),
        ("worker", _check_worker),
    ):
        try:
            checks[name] = check()
        except Exception as exc:  # noqa: BLE001 - a health check reports, it doesn't raise
            checks[name] = f"error: {exc.__class__.__name__}"
    # A missing worker heartbeat degrades the portal (matching waits) but does not make it
    # unable to serve pages, so only the database and the broker decide the status code.
    healthy = checks["database"] == "ok" and checks["broker"] == "ok"
    status = "ok" if healthy and checks["worker"] == "ok" else ("degraded" if healthy else "error")
    return JsonResponse({"status": status, **checks}, status=200 if healthy else 503)
