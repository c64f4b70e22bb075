"""Where stored-match changes leave the matching core for webhook delivery (REST API issue).

`_sync` in services reports every row it creates, changes or removes; this module decides which
API clients' visible lists changed and enqueues their deliveries after the commit. It also holds
the webhook services: registering, rotating and deleting endpoints, and one delivery attempt."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import urllib.error
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from accounts.models import APIClient
from firms.models import Capability
from matching.models import Match, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from matching.selectors import MATCH_ORDER
from requirements.flow import Classification
from requirements.models import Requirement

SIGNATURE_HEADER = "X-Hub-Signature"
TIMESTAMP_HEADER = "X-Hub-Timestamp"
EVENT_HEADER = "X-Hub-Event-Id"
SECRET_ID_HEADER = "X-Hub-Secret-Id"  # noqa: S105 - a header name, not a secret
EVENT_TYPE = "match_list.changed"
MAX_BACKOFF_SECONDS = 3600
MAX_ERROR_LENGTH = 2000


@dataclass(frozen=True)
class MatchChange:
    requirement_id: int
    capability_id: int
    before: tuple[float, bool] | None  # (score, eligible) of the live row before; None if none
    after: tuple[float, bool] | None  # None when the row became a removal record


# Registration ---------------------------------------------------------------------------------


def webhook_url_problem(url: str) -> str | None:
    """Why `url` may not receive webhooks, or None. Resolves the host: a public name pointing at
    a loopback, private or link-local address would let a client probe the hub's own network."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an http or https URL with a host"
    if settings.HUB_WEBHOOK_ALLOW_PRIVATE:
        return None
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        return f"the host '{parts.hostname}' does not resolve"
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global or address.is_multicast:
            return f"the host '{parts.hostname}' resolves to a non-public address ({address})"
    return None


def _new_secret() -> tuple[str, str]:
    return secrets.token_hex(32), secrets.token_hex(4)


def webhook_endpoint_create(*, client: APIClient, url: str) -> tuple[WebhookEndpoint, str]:
    """Register a URL for a client; returns the endpoint and its signing secret (shown once)."""
    if problem := webhook_url_problem(url):
        raise ValidationError({"url": problem})
    secret, secret_id = _new_secret()
    endpoint = WebhookEndpoint.objects.create(
        client=client, url=url, secret=secret, secret_id=secret_id
    )
    return endpoint, secret


def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> str:
    """Give an endpoint a new signing secret (and secret id); returns the secret once."""
    secret, secret_id = _new_secret()
    updated = WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        secret=secret, secret_id=secret_id, secret_rotated_at=timezone.now()
    )
    if not updated:
        # Deleted by a concurrent request since the caller loaded it.
        raise WebhookEndpoint.DoesNotExist
    endpoint.refresh_from_db()
    return secret


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Remove a registration and its delivery log."""
    endpoint.delete()


# Which changes each client hears about ------------------------------------------------------


def match_changes_on_commit(
    *, changes: list[MatchChange] | Callable[[], list[MatchChange]]
) -> None:
    """Enqueue webhook deliveries for `changes` once the transaction commits.

    `changes` may be a function that lists them, so a hub without registrations never pays for
    building one change per rewritten row."""
    # Checked now so a hub without registrations adds nothing to every rescore's commit.
    if not WebhookEndpoint.objects.filter(active=True).exists():
        return
    listed = changes() if callable(changes) else list(changes)
    if listed:
        # robust: a webhook problem is logged, never turned into a failed rescore.
        transaction.on_commit(partial(webhook_deliveries_for, changes=listed), robust=True)


def webhook_deliveries_for(*, changes: list[MatchChange]) -> list[int]:
    """Record one delivery per endpoint whose visible list changed noticeably; enqueue them."""
    endpoints = _live_endpoints()
    if not endpoints or not changes:
        return []
    by_requirement: dict[int, list[MatchChange]] = defaultdict(list)
    for change in changes:
        by_requirement[change.requirement_id].append(change)
    capabilities = {
        c.pk: c
        for c in Capability.objects.filter(
            pk__in={c.capability_id for c in changes}
        ).select_related("firm")
    }
    requirements = Requirement.objects.in_bulk(list(by_requirement))
    created: list[int] = []
    for requirement_id, group in by_requirement.items():
        requirement = requirements.get(requirement_id)
        if requirement is None:
            continue
        for endpoint in endpoints:
            payload = _event_for(endpoint.client, requirement, group, capabilities)
            if payload is not None:
                created.append(_record_delivery(endpoint, requirement, payload))
    from matching.webhook_tasks import deliver_webhook

    for pk in created:
        deliver_webhook.delay(pk)
    return created


def _live_endpoints() -> list[WebhookEndpoint]:
    now = timezone.now()
    rows = WebhookEndpoint.objects.filter(
        active=True, client__revoked_at__isnull=True
    ).select_related("client__firm")
    return [e for e in rows if e.client.is_usable(now)]


def _firm_sees(client: APIClient, firm_id: int, requirement: Requirement) -> bool:
    """May this client see rows of `firm_id` on `requirement` (whether active now or not)?"""
    if client.scope == APIClient.Scope.STAFF:
        return True
    firm = client.firm
    if firm is None or firm.pk != firm_id or not firm.is_verified:
        return False
    return firm.list_x or requirement.classification == Classification.OFFICIAL


def _top_ids(client: APIClient, requirement: Requirement) -> set[int]:
    """The capabilities in the first places of the list this client sees for `requirement`."""
    rows = Match.objects.filter(requirement=requirement, removed=False)
    if client.firm_id is not None:
        rows = rows.filter(capability__firm_id=client.firm_id)
    ranked = rows.order_by(*MATCH_ORDER).values_list("capability_id", flat=True)
    return set(ranked[: settings.HUB_WEBHOOK_TOP])


def _kind(change: MatchChange, top: set[int]) -> str | None:
    before, after = change.before, change.after
    if after is None:
        return "removed" if before is not None else None
    newly_eligible = after[1] and (before is None or not before[1])
    if newly_eligible and change.capability_id in top:
        return "new"
    if before is not None and before[1] and not after[1]:
        # Not in the list, but the mirror of "new": a client shortlisting from the
        # eligible rows must hear that one of them is now blocked.
        return "no_longer_eligible"
    if before is not None and abs(after[0] - before[0]) > settings.HUB_WEBHOOK_SCORE_DELTA:
        return "score_changed"
    return None


def _event_for(
    client: APIClient,
    requirement: Requirement,
    changes: list[MatchChange],
    capabilities: dict[int, Capability],
) -> dict[str, Any] | None:
    seen = [
        c
        for c in changes
        if c.capability_id in capabilities
        and _firm_sees(client, capabilities[c.capability_id].firm_id, requirement)
    ]
    if not seen:
        return None
    top = _top_ids(client, requirement)
    items = []
    for change in seen:
        kind = _kind(change, top)
        if kind is None:
            continue
        capability = capabilities[change.capability_id]
        items.append(
            {
                "change": kind,
                "capability": {
                    "reference": capability.reference,
                    "firm": capability.firm.companies_house_number,
                },
                "score": change.after[0] if change.after else None,
                "eligible": change.after[1] if change.after else None,
                "previous_score": change.before[0] if change.before else None,
            }
        )
    if not items:
        return None
    return {
        "id": str(uuid.uuid4()),
        "type": EVENT_TYPE,
        "created_at": timezone.now().isoformat(),
        "requirement": requirement.reference,
        "matches": f"/api/v1/requirements/{requirement.reference}/matches/",
        "changes": items,
    }


def _record_delivery(
    endpoint: WebhookEndpoint, requirement: Requirement, payload: dict[str, Any]
) -> int:
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=payload["id"],
        requirement=requirement,
        payload=payload,
    )
    return delivery.pk


# Delivery -------------------------------------------------------------------------------------


def webhook_signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "{timestamp}.{body}", hex; the timestamp lets receivers refuse replays."""
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect could point the hub at an address the URL check refused; treat it as a failure.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# No proxies from the environment, no redirects.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


@dataclass(frozen=True)
class AttemptOutcome:
    state: str
    retry_in: int | None  # seconds until the next try, or None when there is none


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - http(s) only, checked at registration
    try:
        with _OPENER.open(request, timeout=settings.HUB_WEBHOOK_TIMEOUT_SECONDS) as response:
            return int(response.status), ""
    except urllib.error.HTTPError as error:
        return int(error.code), f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, f"{error.__class__.__name__}: {error}"


def webhook_delivery_attempt(*, delivery_id: int) -> AttemptOutcome:
    """Make the next try of a delivery, log it, and say whether and when to try again."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != WebhookDelivery.State.PENDING:
        return AttemptOutcome(delivery.state if delivery else "MISSING", None)
    number = delivery.attempt_count + 1
    # Claim this try: of two workers running the same task, only one posts it.
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, state=WebhookDelivery.State.PENDING, attempt_count=number - 1
    ).update(attempt_count=number, last_attempt_at=timezone.now())
    if not claimed:
        return AttemptOutcome("CLAIMED_ELSEWHERE", None)
    endpoint = delivery.endpoint
    body = json.dumps(delivery.payload, cls=DjangoJSONEncoder, separators=(",", ":")).encode()
    started = time.monotonic()
    status_code: int | None
    if problem := webhook_url_problem(endpoint.url):
        status_code, error = None, f"refused: {problem}"
    else:
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "kyiv-hub-webhooks/1",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: "sha256="
            + webhook_signature(secret=endpoint.secret, timestamp=timestamp, body=body),
            EVENT_HEADER: str(delivery.event_id),
            SECRET_ID_HEADER: endpoint.secret_id,
        }
        status_code, error = _post(endpoint.url, body, headers)
    return _log_attempt(delivery, number, status_code, error[:MAX_ERROR_LENGTH], started)


def _log_attempt(
    delivery: WebhookDelivery, number: int, status_code: int | None, error: str, started: float
) -> AttemptOutcome:
    ok = status_code is not None and 200 <= status_code < 300
    now = timezone.now()
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=number,
        status_code=status_code,
        error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    last = number >= settings.HUB_WEBHOOK_MAX_ATTEMPTS
    if ok:
        state = WebhookDelivery.State.DELIVERED
    else:
        state = WebhookDelivery.State.FAILED if last else WebhookDelivery.State.PENDING
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=state,
        status_code=status_code,
        error=error,
        delivered_at=now if ok else None,
    )
    if ok or last:
        return AttemptOutcome(state, None)
    return AttemptOutcome(state, _backoff(number))


def _backoff(attempts: int) -> int:
    return min(settings.HUB_WEBHOOK_BACKOFF_SECONDS * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS)


def webhook_deliveries_stalled(*, now: datetime | None = None) -> list[int]:
    """PENDING deliveries nobody will try again: the worker died mid-try, or the message of the
    next try was lost (the embedded broker never redelivers)."""
    now = now or timezone.now()
    grace = timedelta(seconds=settings.HUB_WEBHOOK_TIMEOUT_SECONDS * 2 + 60)
    stalled = []
    pending = WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING)
    for pk, attempts, created, last in pending.values_list(
        "pk", "attempt_count", "created_at", "last_attempt_at"
    ):
        due = (last or created) + (timedelta(seconds=_backoff(attempts)) if attempts else grace)
        if due + grace < now:
            stalled.append(pk)
    return stalled
