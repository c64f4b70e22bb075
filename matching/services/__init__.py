"""Matching writes: rescore a requirement or a capability and keep the stored rows in step.

Stored rows (DESIGN.md section 4): for each active requirement its top eligible results and best
blocked near misses; for each capability every active requirement in its own or a staff-related
category that its firm may see, so a supplier always sees its own standing. A row that drops out
becomes a removal record; `computed_at` moves only when a row's result changes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from firms.models import Capability, Firm
from hub.sqlite_checkpoints import checkpoint_after
from matching.engine import EngineConfig, MatchResult, score_capability
from matching.index_cache import (
    WarmIndex,
    invalidate_everywhere,
    reload_capability,
    warm_index,
)
from matching.loading import active_requirements_data, engine_config, requirement_data
from matching.models import Match, ScoringContext
from matching.services.plans import FieldRows, Key, Plan, field_plan, rows_plan
from matching.storage import mark_removed, of_capabilities, stored_columns, upsert
from matching.webhooks import match_changes_on_commit
from requirements.dates import KYIV
from requirements.flow import ACTIVE, Classification
from requirements.models import Requirement

BULK_SWEEP = 200


@dataclass
class RescoreOutcome:
    eligible: int = 0
    kept: int = 0
    created: int = 0
    changed: int = 0
    removed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def active_requirement_ids() -> list[int]:
    return list(
        Requirement.objects.filter(status__in=ACTIVE).order_by("pk").values_list("pk", flat=True)
    )


_LOCK_KINDS = {"requirement": 1, "capability": 2}


def _lock(kind: str, pk: int) -> None:
    """Serialise rescoring of one object across workers (SQLite serialises writers already)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A fixed number per kind: str hashes are salted per process, so hash(kind) would
            # give every worker its own lock and none would wait for another.
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_KINDS[kind], pk])


@contextmanager
def _rescore_transaction() -> Iterator[None]:
    """The transaction a rescore writes its rows in. On PostgreSQL it commits without waiting
    for its log to reach the disk (synchronous_commit off, for this transaction only): stored
    matches are derived data, written with the stamp that says they are current, so the most a
    crash of the database server can lose (well under a second of commits) is rows and stamps
    together: the sweep rescores what an edit had started (docs/operations.md for a full
    rescore). A killed worker loses nothing: the server already has the commit. On SQLite the
    commit leaves copying the log back to a checkpoint thread (hub.sqlite_checkpoints)."""
    with checkpoint_after(), transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


@contextmanager
def _held(kind: str, pk: int) -> Iterator[None]:
    """Hold the rescore lock of one object across a read-then-write that is not one transaction.

    A session-level advisory lock on PostgreSQL; on SQLite nothing: it serialises writers by
    itself, and two rescores of one object that read the same rows write the same result."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [_LOCK_KINDS[kind], pk])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_KINDS[kind], pk])


def _related_categories(config: EngineConfig, code: str) -> set[str]:
    return {code} | {b for a, b in config.category_relations if a == code}


def _limits() -> tuple[int, int]:
    return settings.HUB_MATCHING["TOP_ELIGIBLE"], settings.HUB_MATCHING["NEAR_MISSES"]


def _standing_ids(warm: WarmIndex, requirement: Requirement, config: EngineConfig) -> set[int]:
    """Capabilities whose firm may see this requirement and that share its field."""
    ids = warm.in_categories(_related_categories(config, requirement.category_id))
    if requirement.classification == Classification.OFFICIAL_SENSITIVE and ids:
        cleared = set(Firm.objects.filter(list_x=True).values_list("pk", flat=True))
        ids = {pk for pk in ids if warm.firm_of.get(pk) in cleared}
    return ids


def requirement_rescore(*, requirement_id: int) -> RescoreOutcome:
    """Rescore one requirement against every capability and store its kept rows."""
    started = timezone.now()
    requirement = Requirement.objects.get(pk=requirement_id)
    if not requirement.is_active:
        with _rescore_transaction():
            _lock("requirement", requirement_id)
            plan = rows_plan(
                column="requirement_id",
                value=requirement_id,
                candidates={},
                explain=_nothing,
                stale=None,
                category_of=_no_category,
            )
            outcome = _apply(plan, started)
            _mark_requirement_scored(requirement_id, started, None, None)
        return outcome
    config = engine_config()
    warm = warm_index(config)
    data = requirement_data(requirement)
    bulk = warm.index.score_requirement(data, config)
    top_eligible, near_misses = _limits()
    top_rows = bulk.top(n_eligible=top_eligible, n_blocked=near_misses)
    standing = np.fromiter(_standing_ids(warm, requirement, config), dtype=np.int64)
    # The top list is stored with its reasons; the rest of the field (each supplier's standing)
    # as numbers, explained when read.
    standing_rows = np.setdiff1d(
        np.flatnonzero(np.isin(bulk.capability_ids, standing)), top_rows, assume_unique=True
    )
    previous = requirement.scored_at
    everything_stale = (
        previous is None
        or requirement.updated_at > previous
        or previous.astimezone(KYIV).date() != config.today
    )

    # Stamps compared as the driver returns them (see index_cache._stamps).
    previous_raw = None if previous is None else connection.ops.adapt_datetimefield_value(previous)

    def stale(capability_id: int) -> bool:
        # A reason can change while the numbers stay put (a capability's wording, a new day).
        if everything_stale:
            return True
        stamp = warm.seen.get(capability_id)
        return stamp is None or stamp > previous_raw

    field = FieldRows(requirement_id, bulk, top_rows, standing_rows)
    top_scores = (bulk.scores[top_rows], bulk.eligible[top_rows])
    doc_count, total_length, doc_freq = warm.index.query_context(data)
    # The comparison with the stored rows and the explaining happen before the write
    # transaction, so on SQLite (one writer at a time) other workers wait only for the writes.
    with _held("requirement", requirement_id):
        plan = field_plan(
            field,
            stored_columns(requirement_id=requirement_id),
            explain=lambda caps: warm.index.explain(data, caps, config),
            stale=stale,
            category_of=warm.category_of,
        )
        with _rescore_transaction():
            outcome = _apply(plan, started)
            _mark_requirement_rescored(
                requirement_id, started, outcome, (doc_count, total_length, doc_freq), top_scores
            )
    return outcome


def _mark_requirement_rescored(
    requirement_id: int,
    started: datetime,
    outcome: RescoreOutcome,
    corpus: tuple[int, int, dict[str, int]],
    top_scores: tuple[np.ndarray, np.ndarray],
) -> None:
    doc_count, total_length, doc_freq = corpus
    """The requirement's scoring stamps, floors and corpus figures, written with its rows."""
    ScoringContext.objects.update_or_create(
        requirement_id=requirement_id,
        defaults={
            "doc_count": doc_count,
            "total_length": total_length,
            "doc_freq": doc_freq,
            "computed_at": started,
        },
    )
    _mark_requirement_scored(requirement_id, started, *_floors(*top_scores))
    if outcome.eligible:
        Requirement.objects.filter(pk=requirement_id, first_eligible_at__isnull=True).update(
            first_eligible_at=started
        )


def _nothing(keys: list[Key]) -> list[MatchResult]:
    return []


def _no_category(capability_id: int) -> str:
    return ""


def _floors(scores: np.ndarray, eligible: np.ndarray) -> tuple[float | None, float | None]:
    top_eligible, near_misses = _limits()
    return (
        _floor(scores[eligible].tolist(), top_eligible),
        _floor(scores[~eligible].tolist(), near_misses),
    )


def _floor(scores: list[float], limit: int) -> float | None:
    """Score a newcomer must beat to enter a list of `limit`; None while the list has room."""
    if limit <= 0:
        return 100.0
    return min(scores) if len(scores) >= limit else None


def _mark_requirement_scored(
    pk: int, started: datetime, floor_eligible: float | None, floor_blocked: float | None
) -> None:
    Requirement.objects.filter(pk=pk).update(
        scored_at=started, match_floor_eligible=floor_eligible, match_floor_blocked=floor_blocked
    )


def capability_rescore(*, capability_id: int) -> RescoreOutcome:
    """Rescore one capability against every active requirement and store its kept rows."""
    started = timezone.now()
    config = engine_config()
    warm = warm_index(config)
    capability = reload_capability(warm, capability_id)
    if capability is None:
        return RescoreOutcome()
    requirements = {r.pk: r for r in Requirement.objects.filter(status__in=ACTIVE)}
    data = [requirement_data(r) for r in requirements.values()]
    results = score_capability(capability, data, config, warm.index.stats)
    firm_list_x = Firm.objects.filter(pk=capability.firm_id, list_x=True).exists()
    kept = {
        (r.requirement_id, r.capability_id): r
        for r in results
        if _capability_keeps(
            r, requirements[r.requirement_id], capability.category, firm_list_x, config
        )
    }
    candidates = {key: (r.score, r.eligible, r.blocker_codes) for key, r in kept.items()}
    with _rescore_transaction():
        _lock("capability", capability_id)
        plan = rows_plan(
            column="capability_id",
            value=capability_id,
            candidates=candidates,
            explain=lambda keys: [kept[key] for key in keys],
            stale=None,
            category_of=lambda _: capability.category,
        )
        outcome = _apply(plan, started)
        # Rows left as they were still carry the category they were written with; bring them
        # to the capability's own (its computed_at stays: no result changed).
        of_capabilities(Capability.objects.filter(pk=capability_id)).exclude(
            capability_category=capability.category
        ).update(capability_category=capability.category)
        Capability.objects.filter(pk=capability_id).update(scored_at=started)
    return outcome


def _capability_keeps(
    result: MatchResult,
    requirement: Requirement,
    category: str,
    firm_list_x: bool,
    config: EngineConfig,
) -> bool:
    in_field = category in _related_categories(config, requirement.category_id)
    may_see = firm_list_x or requirement.classification != Classification.OFFICIAL_SENSITIVE
    if in_field and may_see:
        return True
    floor = requirement.match_floor_eligible if result.eligible else requirement.match_floor_blocked
    return floor is None or result.score > floor


def _apply(plan: Plan, now: datetime) -> RescoreOutcome:
    """Write a plan's rows (inside the caller's transaction) and queue their webhook events."""
    upsert(plan.written, now, fresh=plan.fresh)
    mark_removed(plan.removal_ids, now)
    match_changes_on_commit(changes=plan.changes)
    return RescoreOutcome(
        eligible=plan.eligible,
        kept=plan.kept,
        created=plan.created,
        changed=len(plan.written) - plan.created,
        removed=len(plan.removal_ids),
    )


def stale_ids() -> tuple[list[int], list[int]]:
    """Active requirements and capabilities whose data changed after their last scoring."""
    never_or_stale = Q(scored_at__isnull=True) | Q(updated_at__gt=F("scored_at"))
    requirement_ids = list(
        Requirement.objects.filter(never_or_stale, status__in=ACTIVE).values_list("pk", flat=True)
    )
    # An inactive requirement with live rows left behind (its removal task was lost).
    requirement_ids += list(
        Requirement.objects.exclude(status__in=ACTIVE)
        .filter(matches__removed=False)
        .distinct()
        .values_list("pk", flat=True)
    )
    stale_capabilities = Capability.objects.filter(never_or_stale)
    capability_ids = list(stale_capabilities.values_list("pk", flat=True)[: BULK_SWEEP + 1])
    if len(capability_ids) > BULK_SWEEP:
        # After a bulk import one pass per requirement covers every capability far sooner than
        # a pass per capability. The requirements are marked unscored until that pass lands, so
        # a lost task is caught by the next sweep.
        now = timezone.now()
        with transaction.atomic():
            stale_capabilities.update(scored_at=now)
            Requirement.objects.filter(status__in=ACTIVE).update(scored_at=None)
        invalidate_everywhere()
        requirement_ids = active_requirement_ids()
        capability_ids = []
    return sorted(set(requirement_ids)), capability_ids


def removals_purge(*, now: datetime | None = None) -> int:
    """Delete removal records older than the retention period; clients had time to sync."""
    days = settings.HUB_MATCHING["REMOVAL_RETENTION_DAYS"]
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = Match.objects.filter(removed=True, computed_at__lt=cutoff).delete()
    return deleted


def rescore_all_sync() -> dict[str, int]:
    """Rescore every active requirement here and now (the `rematch --sync` path)."""
    totals = RescoreOutcome()
    ids = active_requirement_ids()
    for pk in ids:
        outcome = requirement_rescore(requirement_id=pk)
        for name, value in outcome.as_dict().items():
            setattr(totals, name, getattr(totals, name) + value)
    return {"requirements": len(ids), **totals.as_dict()}


__all__ = [
    "RescoreOutcome",
    "active_requirement_ids",
    "active_requirements_data",
    "capability_rescore",
    "removals_purge",
    "requirement_rescore",
    "stale_ids",
]
