"""Matching writes: rescore a requirement or a capability and keep the stored rows in step.

Stored rows (DESIGN.md section 4): for each active requirement its top eligible results and best
blocked near misses; for each capability every active requirement in its own or a staff-related
category that its firm may see, so a supplier always sees its own standing. A row that drops out
becomes a removal record; `computed_at` moves only when a row's result changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from firms.models import Capability, Firm
from matching.engine import ENGINE_VERSION, EngineConfig, MatchResult, score_capability
from matching.index_cache import WarmIndex, reload_capability, warm_index
from matching.loading import active_requirements_data, engine_config, requirement_data
from matching.models import Match
from requirements.flow import ACTIVE, Classification
from requirements.models import Requirement

WRITE_BATCH = 1000
BULK_SWEEP = 200
RESULT_FIELDS = [
    "score",
    "eligible",
    "blockers",
    "breakdown",
    "engine_version",
    "computed_at",
    "removed",
]


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


def _lock(kind: str, pk: int) -> None:
    """Serialise rescoring of one object across workers (SQLite serialises writers already)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [hash(kind) % 2**31, pk])


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
    scope = Match.objects.filter(requirement_id=requirement_id)
    if not requirement.is_active:
        with transaction.atomic():
            _lock("requirement", requirement_id)
            outcome = RescoreOutcome(removed=_mark_removed(scope.filter(removed=False), started))
            _mark_requirement_scored(requirement_id, started, None, None)
        return outcome
    config = engine_config()
    warm = warm_index(config)
    data = requirement_data(requirement)
    bulk = warm.index.score_requirement(data, config)
    top_eligible, near_misses = _limits()
    top_rows = bulk.top(n_eligible=top_eligible, n_blocked=near_misses)
    top_ids = [int(i) for i in bulk.capability_ids[top_rows]]
    kept_ids = set(top_ids) | _standing_ids(warm, requirement, config)
    results = warm.index.explain(data, sorted(kept_ids), config)
    floor_eligible, floor_blocked = _floors(results, set(top_ids))
    with transaction.atomic():
        _lock("requirement", requirement_id)
        outcome = _sync(scope, results, started)
        _mark_requirement_scored(requirement_id, started, floor_eligible, floor_blocked)
    return outcome


def _floors(results: list[MatchResult], top_ids: set[int]) -> tuple[float | None, float | None]:
    top_eligible, near_misses = _limits()
    eligible = [r.score for r in results if r.capability_id in top_ids and r.eligible]
    blocked = [r.score for r in results if r.capability_id in top_ids and not r.eligible]
    return _floor(eligible, top_eligible), _floor(blocked, near_misses)


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
    kept = [
        r
        for r in results
        if _capability_keeps(
            r, requirements[r.requirement_id], capability.category, firm_list_x, config
        )
    ]
    with transaction.atomic():
        _lock("capability", capability_id)
        outcome = _sync(Match.objects.filter(capability_id=capability_id), kept, started)
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


def _row_values(result: MatchResult) -> dict[str, Any]:
    return {
        "score": result.score,
        "eligible": result.eligible,
        "blockers": result.blockers_as_list(),
        "breakdown": result.breakdown_as_list(),
    }


def _sync(scope: Any, results: Iterable[MatchResult], now: datetime) -> RescoreOutcome:
    """Upsert `results` into `scope` and turn rows of `scope` not among them into removals."""
    existing = {
        (row["requirement_id"], row["capability_id"]): row
        for row in scope.values(
            "id",
            "requirement_id",
            "capability_id",
            "score",
            "eligible",
            "blockers",
            "breakdown",
            "engine_version",
            "removed",
        )
    }
    outcome = RescoreOutcome()
    to_create: list[Match] = []
    to_update: list[Match] = []
    seen: set[tuple[int, int]] = set()
    for result in results:
        key = (result.requirement_id, result.capability_id)
        seen.add(key)
        values = _row_values(result)
        outcome.kept += 1
        outcome.eligible += int(result.eligible)
        row = existing.get(key)
        if row is None:
            to_create.append(
                Match(
                    requirement_id=key[0],
                    capability_id=key[1],
                    removed=False,
                    engine_version=ENGINE_VERSION,
                    computed_at=now,
                    **values,
                )
            )
        elif (
            row["removed"]
            or row["engine_version"] != ENGINE_VERSION
            or any(row[name] != value for name, value in values.items())
        ):
            to_update.append(
                Match(
                    id=row["id"],
                    removed=False,
                    engine_version=ENGINE_VERSION,
                    computed_at=now,
                    **values,
                )
            )
    removals = [
        row["id"] for key, row in existing.items() if key not in seen and not row["removed"]
    ]
    # A concurrent rescore from the other side may have inserted the same pair: upsert.
    Match.objects.bulk_create(
        to_create,
        batch_size=WRITE_BATCH,
        update_conflicts=True,
        unique_fields=["requirement", "capability"],
        update_fields=RESULT_FIELDS,
    )
    Match.objects.bulk_update(to_update, RESULT_FIELDS, batch_size=WRITE_BATCH)
    outcome.created, outcome.changed = len(to_create), len(to_update)
    outcome.removed = _mark_removed(Match.objects.filter(id__in=removals), now) if removals else 0
    return outcome


def _mark_removed(rows: Any, now: datetime) -> int:
    return int(rows.update(removed=True, computed_at=now))


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
