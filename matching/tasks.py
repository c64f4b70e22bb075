"""Thin Celery tasks: take ids, call a matching service. Each is safe to run twice."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from celery import shared_task
from celery.app.task import Task
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from matching import services
from matching.index_cache import invalidate_everywhere

logger = logging.getLogger(__name__)

# A dropped database connection (failover, pg_terminate_backend) is worth a few retries; a bug
# is not, so only these are retried.
RETRY_ON = (OperationalError, InterfaceError)
RETRY = {"autoretry_for": RETRY_ON, "retry_backoff": 2, "retry_backoff_max": 60, "max_retries": 5}


def enqueue(task: Task, *args: int) -> bool:
    """Send `task` after a write has committed; False (and a logged warning) if the broker is down.

    The write is saved by then, so a missing broker must not turn it into an error page. The
    sweep rescores whatever changed after its last scoring, so the lost message only delays the
    rescore by up to MATCH_SWEEP_SECONDS."""
    try:
        task.delay(*args)
    except BrokerUnavailable as exc:
        logger.warning(
            "broker unavailable, %s%r not enqueued (the sweep will catch it): %s",
            task.name,
            args,
            exc,
        )
        return False
    return True


def enqueue_each(task: Task, ids: Iterable[int]) -> int:
    """`enqueue` once per id; stops at the first failure (each one waits on kombu's retries)."""
    sent = 0
    for pk in ids:
        if not enqueue(task, pk):
            break
        sent += 1
    return sent


@shared_task(acks_late=True, **RETRY)
def rescore_requirement(requirement_id: int) -> dict:
    """Rescore one requirement against all active capabilities and store the kept rows."""
    outcome = services.requirement_rescore(requirement_id=requirement_id).as_dict()
    logger.info("rescored requirement %s: %s", requirement_id, outcome)
    return outcome


@shared_task(acks_late=True, **RETRY)
def rescore_capability(capability_id: int) -> dict:
    """Rescore one capability against all active requirements."""
    outcome = services.capability_rescore(capability_id=capability_id).as_dict()
    logger.info("rescored capability %s: %s", capability_id, outcome)
    return outcome


@shared_task(acks_late=True, **RETRY)
def rescore_all_active() -> int:
    """Enqueue a rescore of every active requirement (after a bulk import)."""
    invalidate_everywhere()
    ids = services.active_requirement_ids()
    for pk in ids:
        rescore_requirement.delay(pk)
    return len(ids)


@shared_task(acks_late=True, **RETRY)
def sweep_stale() -> dict:
    """Rescore whatever changed after its last scoring: catches enqueues that were lost."""
    requirement_ids, capability_ids = services.stale_ids()
    for pk in requirement_ids:
        rescore_requirement.delay(pk)
    for pk in capability_ids:
        rescore_capability.delay(pk)
    if requirement_ids or capability_ids:
        logger.info(
            "sweep enqueued %d requirements, %d capabilities",
            len(requirement_ids),
            len(capability_ids),
        )
    return {"requirements": len(requirement_ids), "capabilities": len(capability_ids)}


@shared_task(acks_late=True, **RETRY)
def purge_old_removals() -> int:
    """Delete removal records older than the retention period."""
    return services.removals_purge()


WORKER_HEARTBEAT_KEY = "matching:worker-heartbeat"
# Beat sends a heartbeat every minute; three missed ones mean no worker is taking tasks.
WORKER_HEARTBEAT_MAX_AGE = 180


@shared_task(ignore_result=True)
def worker_heartbeat() -> None:
    """Record that a worker is taking tasks (read by /healthz)."""
    cache.set(WORKER_HEARTBEAT_KEY, timezone.now(), timeout=None)
