"""Writing stored matches in bulk: one prepared upsert for many rows, not an ORM object per row.

A requirement rescore may touch a few thousand rows; Django's bulk_create builds a model instance
and prepares every value per row, which costs more than the scoring itself. Rows outside the
requirement's top list are stored as numbers (see Match.explained) and their blockers' JSON is
shared by every row with the same blocker set, so such a row costs one tuple and one string."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Sequence
from datetime import datetime
from functools import cache, lru_cache
from typing import Any, NamedTuple

from django.db import IntegrityError, connection, transaction

from matching.engine import COMPONENTS, ENGINE_VERSION, MatchResult, codes_from_mask
from matching.models import Match

ROWS_PER_STATEMENT = 1000
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


class StoredRow(NamedTuple):
    """What is stored for one (requirement, capability) pair, as read back for comparison.

    A named tuple: a rescore reads a few thousand of these, and a tuple is built in C."""

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
    rescore compares (blocker codes, not reasons).

    Read through the raw cursor with blockers as text: most rows have none, and decoding a few
    thousand JSON values per rescore costs more than the comparison itself."""
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
    blockers = "blockers::text" if connection.vendor == "postgresql" else "blockers"
    table = connection.ops.quote_name(Match._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, requirement_id, capability_id, score, eligible, {blockers}, "  # noqa: S608
            f"engine_version, removed, explained, components, capability_category FROM {table} "
            f"WHERE {where}",
            params,
        )
        raw = cursor.fetchall()
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
_codes_read: dict[str, Any] = {"at": -CODES_TRUSTED_FOR, "codes": frozenset()}


def _recent_codes() -> frozenset[str]:
    if time.monotonic() - _codes_read["at"] > CODES_TRUSTED_FOR:
        _codes_read["codes"] = frozenset(field_codes())
        _codes_read["at"] = time.monotonic()
    return _codes_read["codes"]


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
    return (
        requirement_id,
        capability_id,
        score,
        mask == 0,
        blockers_json(mask),
        "[]",
        False,
        components,
        category,
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


def upsert(
    rows: Sequence[Row],
    now: datetime,
    *,
    fresh: bool = False,
    stored_ids: dict[tuple[int, int], int] | None = None,
) -> None:
    """Insert or overwrite `rows` as live (not removed) matches.

    `fresh`: the caller holds the object's lock and found none of these pairs stored (a first
    scoring), so on PostgreSQL they are copied straight into the table. `stored_ids`: the row
    id of each pair the caller read as stored: on SQLite those rows are updated by id, which
    costs about half an upsert (no probe of the unique index, no attempted insert)."""
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
    known = stored_ids or {}
    updates = [row for row in rows if (row[0], row[1]) in known]
    inserts = [row for row in rows if (row[0], row[1]) not in known]
    if updates and _update_by_id(updates, known, now) != len(updates):
        # A row read as stored is gone (purged meanwhile): write them all as upserts.
        inserts = list(rows)
    _upsert_generic(inserts, now)


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


def _statement(values: str) -> str:
    table = connection.ops.quote_name(Match._meta.db_table)
    updates = _UPDATES
    return (
        f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES {values} "  # noqa: S608 - fixed identifiers
        f"ON CONFLICT (requirement_id, capability_id) DO UPDATE SET {updates}"
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


def _update_by_id(
    rows: Sequence[Row], stored_ids: dict[tuple[int, int], int], now: datetime
) -> int:
    """Overwrite stored rows by id; returns how many the database found."""
    stamp = connection.ops.adapt_datetimefield_value(now)
    table = connection.ops.quote_name(Match._meta.db_table)
    assignments = ", ".join(f"{c} = %s" for c in _REWRITTEN)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608 - fixed identifiers
            [
                (*row[2:6], ENGINE_VERSION, stamp, False, row[6], row[7], stored_ids[row[:2]])
                for row in rows
            ],
        )
        return cursor.rowcount


def _upsert_generic(rows: Sequence[Row], now: datetime) -> None:
    if not rows:
        return
    stamp = connection.ops.adapt_datetimefield_value(now)
    statement = _statement("(" + ", ".join(["%s"] * len(COLUMNS)) + ")")
    with connection.cursor() as cursor:
        cursor.executemany(
            statement, [(*row[:6], ENGINE_VERSION, stamp, False, *row[6:]) for row in rows]
        )


def mark_removed(ids: list[int], now: datetime) -> int:
    removed = 0
    for start in range(0, len(ids), 2000):
        removed += Match.objects.filter(id__in=ids[start : start + 2000]).update(
            removed=True, computed_at=now
        )
    return removed
