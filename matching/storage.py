"""Writing stored matches in bulk: one prepared upsert for many rows, not an ORM object per row.

A requirement rescore may touch a few thousand rows; Django's bulk_create builds a model instance
and prepares every value per row, which costs more than the scoring itself. Rows outside the
requirement's top list are stored as numbers (see Match.explained) and their blockers' JSON is
shared by every row with the same blocker set, so such a row costs one tuple and one string."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from itertools import chain, repeat
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np
from django.db import IntegrityError, connection, transaction

from matching.engine import (
    BLOCKER_CODES,
    COMPONENTS,
    ENGINE_VERSION,
    MatchResult,
    codes_from_mask,
)
from matching.models import Match
from matching.trusted import Trusted

ROWS_PER_STATEMENT = 200
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
    "explained",
    "components",
    "capability_category",
)

# What a conflicting row has overwritten. Not the category: an UPDATE naming an indexed column
# rewrites its index entries, and a capability's category is brought up to date by its own
# rescore (services.capability_rescore).
_REWRITTEN = tuple(c for c in COLUMNS[2:] if c != "capability_category")
_UPDATES = ", ".join(f"{c} = excluded.{c}" for c in _REWRITTEN)

# What upsert writes for one row, in COLUMNS order less engine_version, computed_at, removed:
# (requirement id, capability id, score, eligible, blockers JSON, breakdown JSON, explained,
# components, capability category code).
Row = tuple[int, int, float, bool, str, str, bool, str, str]
ROW_WIDTH = 9
_FIELD_INDEX_ORDER = itemgetter(8, 1)  # a Row's capability category, capability id


class StoredRow(NamedTuple):
    """What is stored for one (requirement, capability) pair, as read back for comparison.

    A named tuple, built in C: a capability's rescore reads a few hundred of these (a
    requirement's reads its rows as columns, StoredColumns)."""

    id: int
    requirement_id: int
    capability_id: int
    score: float
    eligible: bool
    blocker_codes: tuple[str, ...]
    engine_version: str
    removed: bool
    explained: bool
    components: str
    capability_category: str

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
    rescore compares (blocker codes, not reasons)."""
    params: list[Any]
    if column == "requirement_id":
        where, params = "requirement_id = %s", [value]
    elif column == "capability_id":
        # Through the (category, capability) index: one probe per category code.
        codes = field_codes()
        where = f"capability_category IN ({', '.join(['%s'] * len(codes))}) AND capability_id = %s"
        params = [*codes, value]
    else:
        raise ValueError(column)
    raw = _select(
        "id, requirement_id, capability_id, score, eligible, {blockers}, engine_version, "
        "removed, explained, components, capability_category",
        where,
        params,
    )
    return [
        StoredRow(
            pk,
            req,
            cap,
            score,
            bool(ok),
            _codes(codes),
            version,
            bool(gone),
            bool(why),
            parts,
            category,
        )
        for pk, req, cap, score, ok, codes, version, gone, why, parts, category in raw
    ]


@dataclass(frozen=True)
class StoredColumns:
    """A requirement's stored rows as columns sharing one order, read for comparison.

    Columns, not a tuple per row: a rescore compares a few thousand rows with its scores, and
    numpy does that in one pass where Python would build and compare every row."""

    id: np.ndarray  # int64
    capability_id: np.ndarray  # int64
    score: np.ndarray  # float64
    eligible: np.ndarray  # bool
    blocker_mask: np.ndarray  # int64; -1 when the stored codes are not a mask's (never equal)
    current: np.ndarray  # bool: written by this engine version
    removed: np.ndarray  # bool
    explained: np.ndarray  # bool
    components: np.ndarray  # int64 (n, len(COMPONENTS)) thousandths; -1 where none stored

    def __len__(self) -> int:
        return int(self.id.shape[0])

    def same_numbers(self) -> np.ndarray:
        """Rows that are live and written by this engine version (their numbers can match)."""
        return ~self.removed & self.current


def stored_columns(*, requirement_id: int) -> StoredColumns:
    """Every stored row of one requirement, as columns (blocker codes, not reasons)."""
    raw = _select(
        "id, capability_id, score, eligible, {blockers}, engine_version = %s, removed, "
        "explained, components",
        "requirement_id = %s",
        [ENGINE_VERSION, requirement_id],
    )
    if not raw:
        return _no_columns()
    ids, caps, scores, eligible, codes, current, removed, explained, parts = zip(*raw, strict=True)
    return StoredColumns(
        id=np.array(ids, dtype=np.int64),
        capability_id=np.array(caps, dtype=np.int64),
        score=np.array(scores, dtype=np.float64),
        eligible=np.array(eligible, dtype=bool),
        blocker_mask=np.fromiter(map(_mask_of, codes), dtype=np.int64, count=len(raw)),
        current=np.array(current, dtype=bool),
        removed=np.array(removed, dtype=bool),
        explained=np.array(explained, dtype=bool),
        components=components_array(parts),
    )


def _no_columns() -> StoredColumns:
    none = np.zeros(0, dtype=np.int64)
    flags = np.zeros(0, dtype=bool)
    return StoredColumns(
        id=none,
        capability_id=none,
        score=np.zeros(0),
        eligible=flags,
        blocker_mask=none,
        current=flags,
        removed=flags,
        explained=flags,
        components=np.zeros((0, len(COMPONENTS)), dtype=np.int64),
    )


_CODES_MASK = {codes_from_mask(mask): mask for mask in range(1 << len(BLOCKER_CODES))}


@lru_cache(maxsize=4096)
def _mask_of(blockers: str | None) -> int:
    # Only codes in a mask's own order count as equal to that mask, as the tuples compared.
    return _CODES_MASK.get(_codes(blockers), -1)


_NO_PARTS = ",".join(["-1"] * len(COMPONENTS))


def components_array(texts: Sequence[str]) -> np.ndarray:
    """Stored thousandths texts as an (n, len(COMPONENTS)) array; -1 where none was stored.

    Parsed as one joined text: a few thousand per rescore."""
    width = len(COMPONENTS)
    joined = ",".join(text or _NO_PARTS for text in texts)
    values = np.fromstring(joined, dtype=np.int64, sep=",")
    if values.shape[0] == width * len(texts):
        return values.reshape(len(texts), width)
    # Some text has another number of parts (written by another engine version): row by row.
    return np.array(
        [_parts_or_none(text or _NO_PARTS, width) for text in texts], dtype=np.int64
    ).reshape(len(texts), width)


def _parts_or_none(text: str, width: int) -> list[int]:
    parts = [int(part) for part in text.split(",")]
    return parts if len(parts) == width else [-1] * width


def _select(columns: str, where: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Rows of the match table through the raw cursor, `{blockers}` in `columns` read as text:
    most rows have none, and decoding a few thousand JSON values per rescore costs more than
    the comparison itself."""
    blockers = "blockers::text" if connection.vendor == "postgresql" else "blockers"
    table = connection.ops.quote_name(Match._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns.format(blockers=blockers)} FROM {table} WHERE {where}",  # noqa: S608 - fixed identifiers
            params,
        )
        return cursor.fetchall()


def field_codes() -> list[str]:
    """Every value `Match.capability_category` can hold: each category code, and the empty
    string of rows written before it was recorded. A capability's rows are read as
    `capability_category IN field_codes() AND capability_id = ...`, so a row whose capability
    changed category since it was written is still found."""
    from firms.models import Category

    return ["", *Category.objects.order_by("code").values_list("code", flat=True)]


# How long a process trusts the category codes it read (pages read a firm's rows often; staff
# add a category rarely, and a row is labelled with a new code only by a rescore after that).
CODES_TRUSTED_FOR = 60.0
_recent_codes = Trusted(lambda: frozenset(field_codes()), CODES_TRUSTED_FOR)


def of_capabilities(capabilities: Any) -> Any:
    """The stored rows (a queryset) of the capabilities in `capabilities` (a Capability
    queryset), through the (category, capability) index: one query for their ids and current
    categories, the other codes from the last minute's read of the category table."""
    pairs = list(capabilities.values_list("pk", "category_id"))
    codes = {"", *_recent_codes(), *(code for _, code in pairs)}
    return Match.objects.filter(
        capability_category__in=sorted(codes), capability_id__in=[pk for pk, _ in pairs]
    )


@lru_cache(maxsize=4096)
def _codes(blockers: str | None) -> tuple[str, ...]:
    # Cached on the text: a numbers-only row's blockers are one of 64 strings (blockers_json).
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


def explained_row(result: MatchResult, category: str) -> Row:
    """A row with its reasons written out (a requirement's top list, a capability rescore)."""
    return (
        result.requirement_id,
        result.capability_id,
        result.score,
        result.eligible,
        json.dumps(result.blockers_as_list()),
        json.dumps(result.breakdown_as_list()),
        True,
        components_text(c.value for c in result.breakdown),
        category,
    )


def numbers_row(
    requirement_id: int,
    capability_id: int,
    score: float,
    mask: int,
    components: str,
    category: str,
) -> Row:
    """A row stored as numbers; matching.selectors.with_reasons writes its reasons on read."""
    (row,) = numbers_rows(
        requirement_id, [capability_id], [score], [mask], [components], [category]
    )
    return row


def numbers_rows(
    requirement_id: int,
    capability_ids: Iterable[int],
    scores: Iterable[float],
    masks: Sequence[int],
    components: Iterable[str],
    categories: Iterable[str],
) -> list[Row]:
    """Numbers-only rows of one requirement from their columns (a rescore writes thousands:
    zip builds each tuple in C)."""
    return list(
        zip(
            repeat(requirement_id),
            capability_ids,
            scores,
            (mask == 0 for mask in masks),
            map(blockers_json, masks),
            repeat("[]"),
            repeat(False),
            components,
            categories,
            strict=False,  # the repeats are endless; the columns share one length
        )
    )


@cache
def blockers_json(mask: int) -> str:
    """The stored blockers of a numbers-only row: codes, reasons left for the read."""
    return json.dumps([{"code": code, "reason": ""} for code in codes_from_mask(mask)])


# The stored thousandths text of a row's component values, as one format: a rescore writes a few
# thousand of them.
PARTS_TEXT = ",".join(["%d"] * len(COMPONENTS))


def components_text(values: Any) -> str:
    """Component values (0-1, three decimals) as the stored thousandths text."""
    return ",".join(str(int(round(v * 1000))) for v in values)


def components_values(text: str) -> dict[str, float]:
    """The stored thousandths text back as {component: value}; empty when none was stored."""
    if not text:
        return {}
    return {name: int(part) / 1000 for name, part in zip(COMPONENTS, text.split(","), strict=True)}


def upsert(rows: Sequence[Row], now: datetime, *, fresh: bool = False) -> None:
    """Insert or overwrite `rows` as live (not removed) matches.

    `fresh`: the caller holds the object's lock and found none of these pairs stored (a first
    scoring), so on PostgreSQL they are copied straight into the table."""
    if not rows:
        return
    if fresh and connection.vendor == "postgresql":
        try:
            with transaction.atomic():
                _copy_postgresql(rows, now, Match._meta.db_table)
        except IntegrityError:
            # A capability rescore stored one of these pairs meanwhile: merge instead.
            _upsert_postgresql(rows, now)
        return
    if connection.vendor == "postgresql":
        # Measured: an UPDATE ... FROM by id costs PostgreSQL what the upsert does.
        _upsert_postgresql(rows, now)
        return
    # Measured on SQLite: a multi-row upsert costs what an UPDATE by id of the rows read as
    # stored did, so every row takes the one path.
    _upsert_generic(rows, now)


def _copy_postgresql(rows: Sequence[Row], now: datetime, table: str) -> None:
    stamp = now.isoformat()
    lines = "".join(
        f"{req}\t{cap}\t{score!r}\t{'t' if ok else 'f'}\t{_copy_text(blockers)}\t"
        f"{_copy_text(breakdown)}\t{ENGINE_VERSION}\t{stamp}\tf\t{'t' if why else 'f'}\t{parts}\t"
        f"{_copy_text(category)}\n"
        for req, cap, score, ok, blockers, breakdown, why, parts, category in rows
    )
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(table)} ({', '.join(COLUMNS)}) FROM STDIN",
            io.StringIO(lines),
        )


def _upsert_postgresql(rows: Sequence[Row], now: datetime) -> None:
    # COPY into a session's temporary table, then one INSERT ... SELECT: the rows travel as one
    # block of text instead of being quoted one by one into a statement.
    table = connection.ops.quote_name(Match._meta.db_table)
    columns = ", ".join(COLUMNS)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS match_incoming ON COMMIT DELETE ROWS AS "  # noqa: S608 - fixed identifiers
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        _copy_postgresql(rows, now, "match_incoming")
        cursor.execute(_statement_from("match_incoming"))
        # Emptied now too: a transaction may upsert more than once.
        cursor.execute("TRUNCATE match_incoming")


def _copy_text(value: str) -> str:
    # COPY's text format treats a backslash as an escape; JSON has no raw tabs or newlines.
    return value.replace("\\", "\\\\")


def _statement_from(source: str) -> str:
    table = connection.ops.quote_name(Match._meta.db_table)
    columns = ", ".join(COLUMNS)
    updates = _UPDATES
    return (
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {source} "  # noqa: S608 - fixed identifiers
        f"ON CONFLICT (requirement_id, capability_id) DO UPDATE SET {updates}"
    )


def _upsert_generic(rows: Sequence[Row], now: datetime) -> None:
    # Many rows per statement, the values shared by every row given once: measured on a full
    # table, a third cheaper than an executemany of one row per statement.
    stamp = connection.ops.adapt_datetimefield_value(now)
    # In the (category, capability) index's order: each insert then lands beside the last one
    # in that index (measured: inserts 15 % cheaper than in score order, 40 % than at random).
    rows = sorted(rows, key=_FIELD_INDEX_ORDER)
    with connection.cursor() as cursor:
        # The database's own cursor, under Django's wrapper: with DEBUG on, the wrapper logs a
        # statement by formatting it with "%s" placeholders, which these (SQLite's "?") lack.
        # These statements are therefore not in connection.queries.
        sqlite_cursor = cursor.cursor
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            chunk = rows[start : start + ROWS_PER_STATEMENT]
            params: list[Any] = [ENGINE_VERSION, stamp]
            params.extend(chain.from_iterable(chunk))
            sqlite_cursor.execute(_values_upsert(len(chunk)), params)


@lru_cache(maxsize=8)
def _values_upsert(count: int) -> str:
    """An upsert of `count` rows given as Row tuples, the engine version and the stamp first.

    SQLite's own dialect: a VALUES list's columns are column1, column2, ..., and the
    placeholders are SQLite's "?" (Django rewrites each "%s" with a regular expression, which
    costs more than the statement's execution here)."""
    table = connection.ops.quote_name(Match._meta.db_table)
    one = "(" + ", ".join(["?"] * ROW_WIDTH) + ")"
    picked = [f"column{i}" for i in range(1, 7)] + ["?", "?", "0"]
    picked += [f"column{i}" for i in range(7, ROW_WIDTH + 1)]
    # WHERE true: SQLite reads "ON CONFLICT" after a bare FROM as the join's own clause.
    return (
        f"INSERT INTO {table} ({', '.join(COLUMNS)}) SELECT {', '.join(picked)} "  # noqa: S608 - fixed identifiers
        f"FROM (VALUES {', '.join([one] * count)}) WHERE true "
        f"ON CONFLICT (requirement_id, capability_id) DO UPDATE SET {_UPDATES}"
    )


def mark_removed(ids: list[int], now: datetime) -> int:
    removed = 0
    for start in range(0, len(ids), 2000):
        removed += Match.objects.filter(id__in=ids[start : start + 2000]).update(
            removed=True, computed_at=now
        )
    return removed
