"""Rescore plans: what a rescore must write, found by comparing its results with the stored rows.

A requirement's rescore compares its few thousand kept rows on arrays (field_plan); a
capability's rescore, and a requirement that stopped being active, row by row (rows_plan). Both
decide alike: only rows whose numbers moved, or whose inputs changed, are explained again, and
only rows whose result changed are written, so `computed_at` moves only then."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from firms.models import Capability
from matching.engine import BulkScores, MatchResult
from matching.models import Match
from matching.storage import (
    PARTS_TEXT,
    Row,
    StoredColumns,
    StoredRow,
    explained_row,
    explanation_of,
    numbers_rows,
    of_capabilities,
    stored_explanations,
    stored_rows,
)
from matching.webhooks import MatchChange

Key = tuple[int, int]  # (requirement id, capability id)
Numbers = tuple[float, bool, tuple[str, ...]]  # score, eligible, blocker codes


@dataclass
class Plan:
    """What a rescore will write: changed rows, rows that became removal records, and counts."""

    written: list[Row]
    created: int  # written rows that were not stored before
    fresh: bool  # nothing was stored for the object at all (a first scoring)
    removal_ids: list[int]
    changes: Callable[[], list[MatchChange]]  # for webhooks, listed only when someone listens
    eligible: int
    kept: int


def rows_plan(
    *,
    column: str,
    value: int,
    candidates: dict[Key, Numbers],
    explain: Callable[[list[Key]], list[MatchResult]],
    stale: Callable[[Key], bool] | None,
    category_of: Callable[[int], str],
) -> Plan:
    """Compare the candidates with the stored rows; the others will become removal records.

    Only candidates whose numbers moved, or whose inputs changed (`stale`), are explained and
    compared in full, so an unchanged row is neither rewritten nor given a new `computed_at`."""
    scope = (
        of_capabilities(Capability.objects.filter(pk=value))
        if column == "capability_id"
        else Match.objects.filter(requirement_id=value)
    )
    existing = {
        (row.requirement_id, row.capability_id): row
        for row in stored_rows(column=column, value=value)
    }
    to_explain: list[Key] = []
    maybe_same: set[Key] = set()
    for key, (score, eligible, codes) in candidates.items():
        row = existing.get(key)
        if row is None or not row.explained or not row.same_numbers(score, eligible, codes):
            to_explain.append(key)
        elif stale is None or stale(key):
            to_explain.append(key)
            maybe_same.add(key)
    stored = stored_explanations(scope, maybe_same)
    written: list[Row] = [
        explained_row(result, category_of(result.capability_id))
        for result in explain(to_explain)
        if (key := (result.requirement_id, result.capability_id)) not in maybe_same
        or stored.get(key) != explanation_of(result)
    ]
    removals = [row for key, row in existing.items() if key not in candidates and not row.removed]
    return Plan(
        written=written,
        created=sum(1 for row in written if row[:2] not in existing),
        fresh=not existing,
        removal_ids=[row.id for row in removals],
        changes=lambda: _changes(existing, written, removals),
        eligible=sum(1 for _, ok, _ in candidates.values() if ok),
        kept=len(candidates),
    )


@dataclass(frozen=True)
class FieldRows:
    """A requirement's kept rows as positions in its bulk scores: the top list, then the rest
    of its field (each supplier's standing, stored as numbers)."""

    requirement_id: int
    bulk: BulkScores
    top_rows: np.ndarray
    standing_rows: np.ndarray

    @property
    def kept(self) -> np.ndarray:
        return np.concatenate([self.top_rows, self.standing_rows])


def field_plan(
    field: FieldRows,
    stored: StoredColumns,
    *,
    explain: Callable[[list[int]], list[MatchResult]],
    stale: Callable[[int], bool],
    category_of: Mapping[int, str],
) -> Plan:
    """Compare a requirement's kept rows with its stored rows, on arrays; the stored rows not
    kept will become removal records.

    The same decisions as _plan makes row by row for a capability's rescore: only rows whose
    numbers moved, or whose inputs changed (`stale`), are written or explained again."""
    bulk, kept = field.bulk, field.kept
    at = _positions(stored.capability_id, bulk.capability_ids[kept])
    found = at >= 0
    same = np.zeros(kept.shape[0], dtype=bool)
    rows, hits = kept[found], at[found]
    same[found] = (
        stored.same_numbers()[hits]
        & (stored.score[hits] == bulk.scores[rows])
        & (stored.eligible[hits] == bulk.eligible[rows])
        & (stored.blocker_mask[hits] == bulk.blocker_mask[rows])
    )
    n_top = field.top_rows.shape[0]
    written = _top_written(field, stored, at[:n_top], same[:n_top], explain, stale, category_of)
    written += _standing_written(field, stored, at[n_top:], same[n_top:], stale, category_of)
    matched = np.zeros(len(stored), dtype=bool)
    matched[hits] = True
    removals = np.flatnonzero(~matched & ~stored.removed)
    known = set(stored.capability_id.tolist())

    def changes() -> list[MatchChange]:
        where = dict(zip(stored.capability_id.tolist(), range(len(stored)), strict=True))

        def before(index: int | None) -> tuple[float, bool] | None:
            if index is None or stored.removed[index]:
                return None
            return float(stored.score[index]), bool(stored.eligible[index])

        listed = [
            MatchChange(row[0], row[1], before(where.get(row[1])), (row[2], row[3]))
            for row in written
        ]
        listed += [
            MatchChange(field.requirement_id, int(stored.capability_id[i]), before(i), None)
            for i in removals.tolist()
        ]
        return listed

    return Plan(
        written=written,
        created=sum(1 for row in written if row[1] not in known),
        fresh=len(stored) == 0,
        removal_ids=stored.id[removals].tolist(),
        changes=changes,
        eligible=int(np.count_nonzero(bulk.eligible[kept])),
        kept=int(kept.shape[0]),
    )


def _positions(stored: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """For each wanted capability id, its position among the stored ones, or -1."""
    if stored.shape[0] == 0:
        return np.full(wanted.shape[0], -1, dtype=np.int64)
    order = np.argsort(stored, kind="stable")
    ranked = stored[order]
    at = np.minimum(np.searchsorted(ranked, wanted), ranked.shape[0] - 1)
    return np.where(ranked[at] == wanted, order[at], -1)


def _top_written(
    field: FieldRows,
    stored: StoredColumns,
    at: np.ndarray,
    same: np.ndarray,
    explain: Callable[[list[int]], list[MatchResult]],
    stale: Callable[[int], bool],
    category_of: Mapping[int, str],
) -> list[Row]:
    """Top-list rows (stored with reasons) that are new or whose result changed."""
    caps = field.bulk.capability_ids[field.top_rows].tolist()
    explained = np.zeros(at.shape[0], dtype=bool)
    explained[at >= 0] = stored.explained[at[at >= 0]]
    # Rows whose numbers held still are explained again only when their inputs changed, and
    # written only when the reasons came out different from the stored ones.
    unchanged = same & explained
    maybe_same = {
        (field.requirement_id, cap)
        for cap, ok in zip(caps, unchanged.tolist(), strict=True)
        if ok and stale(cap)
    }
    to_explain = [
        cap
        for cap, ok in zip(caps, unchanged.tolist(), strict=True)
        if not ok or (field.requirement_id, cap) in maybe_same
    ]
    previous = stored_explanations(
        Match.objects.filter(requirement_id=field.requirement_id), maybe_same
    )
    return [
        explained_row(result, category_of.get(result.capability_id, ""))
        for result in explain(to_explain)
        if (key := (result.requirement_id, result.capability_id)) not in maybe_same
        or previous.get(key) != explanation_of(result)
    ]


def _standing_written(
    field: FieldRows,
    stored: StoredColumns,
    at: np.ndarray,
    same: np.ndarray,
    stale: Callable[[int], bool],
    category_of: Mapping[int, str],
) -> list[Row]:
    """Numbers-only rows whose score, blockers or components moved (or that were never kept)."""
    bulk, rows = field.bulk, field.standing_rows
    assert bulk.components is not None  # noqa: S101 - score_requirement always fills it
    found = at >= 0
    keep = same.copy()
    keep[found] &= (stored.components[at[found]] == bulk.components[rows[found]]).all(axis=1)
    # A row explained while it was in the top list keeps its reasons only while its inputs are
    # unchanged; otherwise it is stored as numbers and explained on read.
    was_explained = np.flatnonzero(keep & found)
    was_explained = was_explained[stored.explained[at[was_explained]]]
    caps = bulk.capability_ids[rows]
    for i in was_explained.tolist():
        if stale(int(caps[i])):
            keep[i] = False
    chosen = rows[~keep]
    written_caps = bulk.capability_ids[chosen].tolist()
    return numbers_rows(
        field.requirement_id,
        written_caps,
        bulk.scores[chosen].tolist(),
        bulk.blocker_mask[chosen].tolist(),
        map(PARTS_TEXT.__mod__, map(tuple, bulk.components[chosen].tolist())),
        [category_of.get(cap, "") for cap in written_caps],
    )


def _changes(
    existing: dict[Key, StoredRow], written: list[Row], removals: list[StoredRow]
) -> list[MatchChange]:
    def before(row: StoredRow | None) -> tuple[float, bool] | None:
        return None if row is None or row.removed else (row.score, row.eligible)

    changes = [
        MatchChange(row[0], row[1], before(existing.get((row[0], row[1]))), (row[2], row[3]))
        for row in written
    ]
    changes += [
        MatchChange(row.requirement_id, row.capability_id, before(row), None) for row in removals
    ]
    return changes
