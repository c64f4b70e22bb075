"""What every import shares (DESIGN.md section 3, "Import files"): the problem report, reading
the file, field checks that take a JSON value and return what is stored, record labels, and the
bulk writes.

Records are checked in Python against lookups fetched once rather than with full_clean() per row
(Capability.clean queries the category), so 100,000 rows cost a handful of queries.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.operations import BaseDatabaseOperations

from firms import codes
from firms.models import Category

MAX_PROBLEM_LINES = 20
BATCH_SIZE = 2000
# Keys are looked up in chunks below SQLite's default limit of 999 bound parameters.
LOOKUP_CHUNK = 900
ISO_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

T = TypeVar("T")


# The outcome ------------------------------------------------------------------------------------


class ImportProblems:
    """Every problem found in a file; the report lists them in file order, the first twenty."""

    def __init__(self) -> None:
        self._lines: list[tuple[str, str]] = []
        # Records are checked in passes (their own fields, then against the stored data), so the
        # report is put back in file order from each record's position.
        self._order: dict[str, tuple[int, ...]] = {}

    def __len__(self) -> int:
        return len(self._lines)

    def locate(self, where: str, order: tuple[int, ...]) -> None:
        self._order[where] = order

    def add(self, where: str, field_name: str | None, message: str) -> None:
        line = f"{where}: {field_name}: {message}" if field_name else f"{where}: {message}"
        self._lines.append((where, line))

    def lines(self) -> list[str]:
        ordered = sorted(self._lines, key=lambda entry: self._order.get(entry[0], ()))
        return [line for _, line in ordered]

    def report(self, limit: int = MAX_PROBLEM_LINES) -> list[str]:
        everything = self.lines()
        shown, hidden = everything[:limit], len(everything) - limit
        if hidden > 0:
            shown.append(f"... and {hidden} more problem{'' if hidden == 1 else 's'}")
        return shown


class ImportRejected(Exception):
    """The file has problems, listed in `problems`; nothing was written."""

    def __init__(self, problems: ImportProblems) -> None:
        super().__init__(f"{len(problems)} problems; nothing was written")
        self.problems = problems


class ImportFileError(Exception):
    """The file cannot be taken as an import file at all: unreadable, not JSON, wrong shape."""


@dataclass
class Tally:
    kind: str
    created: int = 0
    updated: int = 0

    def __str__(self) -> str:
        return f"{self.kind}: {self.created} created, {self.updated} updated"


@dataclass
class ImportResult:
    tallies: list[Tally]

    def __str__(self) -> str:
        return "; ".join(str(tally) for tally in self.tallies)


# Reading the file -------------------------------------------------------------------------------


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def read_json_file(*, path: str | Path) -> Any:
    """Parse an import file; fractions become Decimals so money is never rounded through float."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ImportFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path} is not UTF-8 text: {exc.reason}") from exc
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except ValueError as exc:
        raise ImportFileError(f"{path} is not valid JSON: {exc}") from exc


def top_level_records(*, data: Any, key: str) -> list[Any]:
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise ImportFileError(f'the file must hold one JSON object {{"{key}": [...]}}')
    extra = sorted(set(data) - {key})
    if extra:
        raise ImportFileError(f"unknown top-level field '{extra[0]}'; the file holds only '{key}'")
    return data[key]


# Field checks: each takes the JSON value and returns what is stored, or raises FieldProblem -------


class FieldProblem(Exception):
    """One field's value breaks a rule; the message says how to put it right."""


Check = Callable[[Any], Any]


@dataclass(frozen=True)
class Spec:
    check: Check
    required: bool = False
    # Stored for an explicit null: booleans false, lists empty, `active` true (DESIGN.md).
    empty: Any = None

    def null_value(self) -> Any:
        return list(self.empty) if isinstance(self.empty, list) else self.empty


def model_field(model: type[models.Model], name: str) -> models.Field:
    return cast(models.Field, model._meta.get_field(name))


def _whole(value: Any) -> int:
    # 7.0 is a whole number written oddly; 7.5, "7" and true are not numbers of units.
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldProblem("must be a whole number")
    return value


def whole_number(minimum: int, maximum: int, *, as_range: bool = False) -> Check:
    def check(value: Any) -> int:
        number = _whole(value)
        if as_range and not minimum <= number <= maximum:
            raise FieldProblem(f"must be between {minimum} and {maximum}")
        if number < minimum:
            raise FieldProblem(f"must be at least {minimum}" if minimum else "must not be negative")
        if number > maximum:
            raise FieldProblem(f"must be at most {maximum}")
        return number

    return check


def whole_number_for(model: type[models.Model], name: str, *, minimum: int = 0) -> Check:
    """A whole number the column can hold (PostgreSQL would refuse an overflow mid-write)."""
    internal_type = model_field(model, name).get_internal_type()
    return whole_number(minimum, BaseDatabaseOperations.integer_field_ranges[internal_type][1])


def money_for(model: type[models.Model], name: str) -> Check:
    decimal_field = cast(models.DecimalField, model_field(model, name))
    places = decimal_field.decimal_places
    limit = Decimal(10) ** (decimal_field.max_digits - places)
    step = Decimal(1).scaleb(-places)

    def check(value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise FieldProblem("must be a number of pounds such as 1800 or 1800.50, not text")
        amount = Decimal(value)
        if amount < 0:
            raise FieldProblem("must not be negative")
        if amount >= limit:
            raise FieldProblem(f"must be less than {limit:,}")
        if amount != amount.quantize(step):
            raise FieldProblem(f"must have at most {places} decimal places")
        return amount

    return check


def text_for(model: type[models.Model], name: str, *, required: bool = False) -> Check:
    max_length = model_field(model, name).max_length

    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise FieldProblem("must be text")
        value = value.strip()
        if required and not value:
            raise FieldProblem("is required")
        if max_length is not None and len(value) > max_length:
            raise FieldProblem(f"must be at most {max_length} characters")
        return value

    return check


def web_address_for(model: type[models.Model], name: str) -> Check:
    as_text = text_for(model, name)
    validate = URLValidator()

    def check(value: Any) -> str:
        address = as_text(value)
        if address:
            try:
                validate(address)
            except ValidationError:
                raise FieldProblem("must be a web address such as https://example.co.uk") from None
        return address

    return check


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise FieldProblem("must be true or false")
    return value


def choice(allowed: Sequence[str]) -> Check:
    permitted = frozenset(allowed)
    listed = ", ".join(allowed)

    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in permitted:
            raise FieldProblem(f"must be one of {listed}")
        return value

    return check


def code_list(allowed: Sequence[str], *, what: str) -> Check:
    permitted = frozenset(allowed)
    listed = ", ".join(allowed)

    def check(value: Any) -> list[str]:
        if not isinstance(value, list):
            raise FieldProblem(f"must be a list of {what} codes: {listed}")
        for code in value:
            if not isinstance(code, str) or code not in permitted:
                raise FieldProblem(f"unknown {what} code {code!r}; use {listed}")
        return list(dict.fromkeys(value))

    return check


def word_list(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
        raise FieldProblem('must be a list of words or phrases, e.g. ["genset", "diesel"]')
    return [word.strip() for word in value if word.strip()]


def iso_date(value: Any) -> date:
    # fromisoformat alone also takes 20260601 and week dates; the contract says YYYY-MM-DD.
    if isinstance(value, str) and ISO_DATE_RE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise FieldProblem("must be a date written YYYY-MM-DD")


def _from_code_rule(rule: Callable[[object], str | None]) -> Check:
    def check(value: Any) -> Any:
        if value is not None and not isinstance(value, str):
            raise FieldProblem("must be text")
        if problem := rule(value):
            raise FieldProblem(problem)
        return value

    return check


companies_house_number = _from_code_rule(codes.companies_house_problem)
reference = _from_code_rule(codes.reference_problem)
control_rating = _from_code_rule(codes.control_rating_problem)
_postcode_text = _from_code_rule(codes.postcode_problem)


def postcode(value: Any) -> str:
    return codes.normalise_postcode(_postcode_text(value))


def category_check() -> Check:
    """Check category codes against every category, fetched in one query per import."""
    parent_of: dict[str, str | None] = {}
    first_child: dict[str, str] = {}
    for code, parent in Category.objects.order_by("pk").values_list("code", "parent__code"):
        parent_of[code] = parent
        if parent:
            first_child.setdefault(parent, code)

    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise FieldProblem("must be a category code such as UAS.FPV")
        if value not in parent_of:
            raise FieldProblem(f"unknown category code '{value}'")
        if parent_of[value] is None:
            example = first_child.get(value, "UAS.FPV")
            raise FieldProblem(f"is a parent category; use a child code such as {example}")
        return value

    return check


# Records ----------------------------------------------------------------------------------------


@dataclass
class Row:
    """One record of the file after its own checks, before it meets the stored data."""

    position: int
    # Positions from the top of the file down to this record: (firm, capability).
    order: tuple[int, ...]
    where: str
    key: str | None
    # Fields the file gave that passed their checks, by the file's names.
    values: dict[str, Any]
    # Fields the file gave that did not: rules across fields leave them to their own message.
    failed: set[str]
    children: list[Row] = field(default_factory=list)


def _unknown_field_message(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"unknown field; did you mean '{close[0]}'?" if close else "unknown field"


def clean_fields(
    *,
    record: dict[str, Any],
    specs: dict[str, Spec],
    where: str,
    problems: ImportProblems,
    skip: frozenset[str] = frozenset(),
) -> tuple[dict[str, Any], set[str]]:
    values: dict[str, Any] = {}
    failed: set[str] = set()
    for name, value in record.items():
        if name in skip:
            continue
        spec = specs.get(name)
        if spec is None:
            problems.add(where, name, _unknown_field_message(name, [*specs, *skip]))
        elif value is None and spec.required:
            problems.add(where, name, "is required")
            failed.add(name)
        elif value is None:
            values[name] = spec.null_value()
        else:
            try:
                values[name] = spec.check(value)
            except FieldProblem as exc:
                problems.add(where, name, str(exc))
                failed.add(name)
    return values, failed


def parse_record(
    record: Any,
    *,
    kind: str,
    position: int,
    key_field: str,
    specs: dict[str, Spec],
    problems: ImportProblems,
    within: Row | None = None,
    skip: frozenset[str] = frozenset(),
) -> Row | None:
    """Check one record's own fields; the label names it by position and natural key."""
    key = record.get(key_field) if isinstance(record, dict) else None
    shown = key if isinstance(key, str) and key else "?"
    where = f"{kind} {position} ({shown})"
    order: tuple[int, ...] = (position,)
    if within is not None:
        where, order = f"{within.where} {where}", (*within.order, position)
    problems.locate(where, order)
    if not isinstance(record, dict):
        problems.add(where, None, "must be a JSON object {...}")
        return None
    values, failed = clean_fields(
        record=record, specs=specs, where=where, problems=problems, skip=skip
    )
    if key_field not in values and key_field not in failed:
        problems.add(where, key_field, "is required")
        failed.add(key_field)
    return Row(
        position=position,
        order=order,
        where=where,
        key=values.get(key_field),
        values=values,
        failed=failed,
    )


def note_duplicate(
    row: Row,
    *,
    seen: dict[str, int],
    kind: str,
    key_field: str,
    scope: str,
    problems: ImportProblems,
) -> None:
    if row.key is None:
        return
    if row.key in seen:
        problems.add(row.where, key_field, f"duplicate of {kind} {seen[row.key]} {scope}")
    else:
        seen[row.key] = row.position


def require(row: Row, names: Iterable[str], problems: ImportProblems) -> None:
    """A new record needs every required field; a stored one keeps what the file leaves out."""
    for name in names:
        if name not in row.values and name not in row.failed:
            problems.add(row.where, name, "is required")
            row.failed.add(name)


# Bulk reads and writes --------------------------------------------------------------------------


def chunked(items: Sequence[T], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def attnames(model: type[models.Model]) -> dict[str, str]:
    return {f.name: f.attname for f in model._meta.concrete_fields}


def changed_values(
    current: Mapping[str, Any], values: dict[str, Any], names: dict[str, str]
) -> dict[str, Any]:
    """The file's values that differ from the stored ones (`current` is keyed by attname)."""
    return {name: value for name, value in values.items() if current[names[name]] != value}


# Django's bulk_update builds a CASE expression per row in Python (seconds per thousand rows) and
# bulk_create prepares every value through the ORM; at 100,000 rows they were most of an import's
# time, so rows go to the driver as plain parameter lists. Only values the backend must adapt
# (decimals, JSON, dates) go through the field; text, numbers, booleans and None pass as they are.
_ADAPTED_TYPES = frozenset({"DecimalField", "JSONField", "DateTimeField", "DateField"})


def _column(column_field: models.Field) -> str:
    return cast(str, column_field.column)


def _as_is(value: Any) -> Any:
    return value


def _preparer(model_field: models.Field, db: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    if model_field.get_internal_type() not in _ADAPTED_TYPES:
        return _as_is
    return partial(model_field.get_db_prep_save, connection=db)


def _default(model_field: models.Field, now: datetime) -> Any:
    stamped = getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False)
    return now if stamped else model_field.get_default()


def _rows_per_statement(db: BaseDatabaseWrapper, columns: int) -> int:
    # SQLite's bound-parameter limit as Django assumes it; PostgreSQL allows 65,535.
    limit = db.features.max_query_params or 65_535
    return max(1, min(BATCH_SIZE, limit // columns))


def insert_rows(
    *, model: type[models.Model], rows: list[dict[str, Any]], now: datetime
) -> list[int]:
    """INSERT rows given by attname (other columns take their defaults); return the new ids."""
    if not rows:
        return []
    db = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    quote = db.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    prepare = [(f.attname, _preparer(f, db)) for f in fields]
    # Defaults and timestamps are the same for every row: adapted once, not 100,000 times.
    defaults = {
        name: prep(_default(f, now)) for f, (name, prep) in zip(fields, prepare, strict=True)
    }
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(_column(f)) for f in fields)})"
    returning = db.features.can_return_rows_from_bulk_insert
    tail = f" RETURNING {quote(_column(meta.pk))}" if returning else ""
    ids: list[int] = []
    with db.cursor() as cursor:
        for chunk in chunked(rows, _rows_per_statement(db, len(fields))):
            params = [
                prep(row[name]) if name in row else defaults[name]
                for row in chunk
                for name, prep in prepare
            ]
            cursor.execute(f"{head} VALUES {', '.join([one_row] * len(chunk))}{tail}", params)
            if returning:
                ids.extend(pk for (pk,) in cursor.fetchall())
    if not returning:
        # Old SQLite cannot return ids; this import's timestamp finds exactly its rows.
        ids = list(model._default_manager.filter(created_at=now).values_list("pk", flat=True))
    return ids


def update_rows(
    *, model: type[models.Model], changes: Sequence[tuple[int, dict[str, Any]]], now: datetime
) -> None:
    """UPDATE each row's changed fields (by name) and updated_at, which the matching sweep reads."""
    db = connections[DEFAULT_DB_ALIAS]
    stamped = _preparer(model_field(model, "updated_at"), db)(now)
    # Rows are grouped by the fields they change so each statement carries only those columns.
    groups: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for pk, values in changes:
        groups[tuple(sorted(values))].append((pk, values))
    write = _update_from_values if db.vendor == "postgresql" else _update_many
    with db.cursor() as cursor:
        for names, members in groups.items():
            fields = [model_field(model, name) for name in names]
            prepare = [(name, _preparer(f, db)) for name, f in zip(names, fields, strict=True)]
            params = [
                [pk, *(prep(values[name]) for name, prep in prepare)] for pk, values in members
            ]
            write(cursor, db, model, fields, stamped, params)


def _update_many(
    cursor: Any,
    db: BaseDatabaseWrapper,
    model: type[models.Model],
    fields: list[models.Field],
    stamped: Any,
    params: list[list[Any]],
) -> None:
    # SQLite runs executemany in C against a local file: one prepared statement, no round trips.
    quote = db.ops.quote_name
    assignments = ", ".join(f"{quote(_column(f))} = %s" for f in fields)
    # Only quoted model metadata is formatted in; every value is a bound parameter.
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {assignments}, "  # noqa: S608 - quoted metadata
        f"{quote('updated_at')} = %s WHERE {quote(_column(model._meta.pk))} = %s"
    )
    for chunk in chunked(params, BATCH_SIZE):
        cursor.executemany(sql, [[*values, stamped, pk] for pk, *values in chunk])


def _update_from_values(
    cursor: Any,
    db: BaseDatabaseWrapper,
    model: type[models.Model],
    fields: list[models.Field],
    stamped: Any,
    params: list[list[Any]],
) -> None:
    # On PostgreSQL executemany is a round trip per row (28 s for 100,000); one UPDATE joined to
    # a VALUES list per batch is a round trip per 2,000. VALUES columns are column1, column2...
    quote = db.ops.quote_name
    table = quote(model._meta.db_table)
    casts = [model._meta.pk, *fields]
    one_row = "(" + ", ".join(f"CAST(%s AS {f.db_type(db)})" for f in casts) + ")"
    assignments = ", ".join(
        f"{quote(_column(f))} = v.column{position}" for position, f in enumerate(fields, start=2)
    )
    per_statement = _rows_per_statement(db, len(casts))
    for chunk in chunked(params, per_statement):
        rows = ", ".join([one_row] * len(chunk))
        sql = (
            f"UPDATE {table} SET {assignments}, {quote('updated_at')} = %s "  # noqa: S608 - quoted metadata
            f"FROM (VALUES {rows}) AS v WHERE {table}.{quote(_column(model._meta.pk))} = v.column1"
        )
        cursor.execute(sql, [stamped, *(value for row in chunk for value in row)])
