"""Enqueue rescoring after the surrounding transaction commits (never for a rolled-back write)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction

# Past this many changed capabilities (a bulk import) it is cheaper to rescore each active
# requirement against everything than to rescore each capability against every requirement.
BULK_CAPABILITY_THRESHOLD = 200


def _enqueue(task_name: str, ids: list[int]) -> None:
    from matching import tasks

    # Never raises when the broker is down: the write has committed and the sweep covers it.
    tasks.enqueue_each(getattr(tasks, task_name), ids)


def _enqueue_all_active() -> None:
    from matching import tasks

    tasks.enqueue(tasks.rescore_all_active)


def rescore_requirements_on_commit(requirement_ids: Iterable[int]) -> None:
    ids = sorted(set(requirement_ids))
    if ids:
        transaction.on_commit(partial(_enqueue, "rescore_requirement", ids))


def rescore_capabilities_on_commit(capability_ids: Iterable[int]) -> None:
    ids = sorted(set(capability_ids))
    if len(ids) > BULK_CAPABILITY_THRESHOLD:
        transaction.on_commit(_enqueue_all_active)
    elif ids:
        transaction.on_commit(partial(_enqueue, "rescore_capability", ids))
