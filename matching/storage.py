"""Writing stored matches in bulk: one multi-row upsert per batch instead of an ORM object per row.

A requirement rescore may touch a few thousand rows; Django's bulk_create builds a model instance
and prepares every value per row, which costs more than the scoring itself."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from matching.engine import ENGINE_VERSION, MatchResult
from matching.models import Match

ROWS_PER_STATEMENT = 400
COLUMNS = (
    "requirement_id",
    "capability_id",
    "score",
    "eligible",
    "blockers",
    "breakdown",
    "engine_version",
    "computed_at",
    "removed",
)


@dataclass(frozen=True)
class StoredRow:
    """What is stored for one (requirement, capability) pair, as read back for comparison."""

    id: int
    requirement_id: int
    capability_id: int
    score: float
    eligible: bool
    blocker_codes: tuple[str, ...]
    engine_version: str
    removed: bool

    def same_numbers(self, score: float, eligible: bool, codes: tuple[str, ...]) -> bool:
        return (
            not self.removed
            and self.engine_version == ENGINE_VERSION
            and self.score == score
            and self.eligible == eligible
            and self.blocker_codes == codes
        )


def stored_rows(*, column: str, value: int) -> list[StoredRow]:
    """Every row whose `column` (requirement_id or capability_id) is `value`, with the numbers a
    rescore compares (blocker codes, not reasons).

    Read through the raw cursor with blockers as text: most rows have none, and decoding a few
    thousand JSON values per rescore costs more than the comparison itself."""
    if column not in ("requirement_id", "capability_id"):
        raise ValueError(column)
    blockers = "blockers::text" if connection.vendor == "postgresql" else "blockers"
    table = connection.ops.quote_name(Match._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, requirement_id, capability_id, score, eligible, {blockers}, "  # noqa: S608
            f"engine_version, removed FROM {table} WHERE {column} = %s",
            [value],
        )
        raw = cursor.fetchall()
    return [
        StoredRow(pk, req, cap, score, bool(eligible), _codes(codes), version, bool(removed))
        for pk, req, cap, score, eligible, codes, version, removed in raw
    ]


def _codes(blockers: str | None) -> tuple[str, ...]:
    if not blockers or blockers == "[]":
        return ()
    return tuple(b["code"] for b in json.loads(blockers))


def stored_explanations(scope: Any, keys: set[tuple[int, int]]) -> dict[tuple[int, int], Any]:
    """Blockers and breakdown of the given pairs (read only when a row might be unchanged)."""
    if not keys:
        return {}
    capability_ids = sorted({cap for _, cap in keys})
    found: dict[tuple[int, int], Any] = {}
    for start in range(0, len(capability_ids), 2000):
        chunk = capability_ids[start : start + 2000]
        for req, cap, blockers, breakdown in scope.filter(capability_id__in=chunk).values_list(
            "requirement_id", "capability_id", "blockers", "breakdown"
        ):
            if (req, cap) in keys:
                found[(req, cap)] = (blockers, breakdown)
    return found


def explanation_of(result: MatchResult) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return result.blockers_as_list(), result.breakdown_as_list()


def upsert(results: Sequence[MatchResult], now: datetime) -> None:
    """Insert or overwrite the rows of `results` as live (not removed) matches."""
    if not results:
        return
    table = connection.ops.quote_name(Match._meta.db_table)
    stamp = connection.ops.adapt_datetimefield_value(now)
    updates = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[2:])
    with connection.cursor() as cursor:
        for start in range(0, len(results), ROWS_PER_STATEMENT):
            batch = results[start : start + ROWS_PER_STATEMENT]
            placeholders = ", ".join(["(" + ", ".join(["%s"] * len(COLUMNS)) + ")"] * len(batch))
            params: list[Any] = []
            for r in batch:
                params += [
                    r.requirement_id,
                    r.capability_id,
                    r.score,
                    r.eligible,
                    json.dumps(r.blockers_as_list()),
                    json.dumps(r.breakdown_as_list()),
                    ENGINE_VERSION,
                    stamp,
                    False,
                ]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES {placeholders} "  # noqa: S608 - fixed identifiers
                f"ON CONFLICT (requirement_id, capability_id) DO UPDATE SET {updates}",
                params,
            )


def mark_removed(ids: list[int], now: datetime) -> int:
    removed = 0
    for start in range(0, len(ids), 2000):
        removed += Match.objects.filter(id__in=ids[start : start + 2000]).update(
            removed=True, computed_at=now
        )
    return removed
