"""Capability rows uploaded as CSV by a supplier (DESIGN.md section 3: the catalogue's capability
fields, lists `;`-separated, booleans `true`/`false`).

The rows are turned into the catalogue import's JSON shape for the uploader's own firm and handed
to `catalogue_import`, so an upload is checked exactly as a staff import is and is written
all-or-nothing. Problems come back as (row, column, message) for the page's error table.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from firms.codes import CAPABILITY_FIELDS
from firms.importers import ImportRejected, ImportResult, catalogue_import
from firms.models import Firm

COLUMNS = CAPABILITY_FIELDS
REQUIRED_COLUMNS = ("reference",)
WHOLE_NUMBERS = frozenset({"trl", "monthly_capacity", "lead_time_weeks"})
MONEY = frozenset({"unit_price_gbp"})
BOOLEANS = frozenset({"itar_free", "field_proven", "active"})
LISTS = frozenset({"keywords"})
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# How much of an upload is read before it is queued, to refuse a spreadsheet or other binary file
# on the form rather than on the progress page.
SNIFF_BYTES = 64 * 1024
PROGRESS_SECONDS = 24 * 60 * 60
TEMPLATE_ROWS = [
    {
        "reference": "QX-4",
        "name": "Quad interceptor airframe",
        "description": "Carbon quadcopter for high-speed pursuit of one-way attack drones.",
        "category": "UAS.INTERCEPTOR",
        "trl": "7",
        "unit_price_gbp": "1800",
        "monthly_capacity": "400",
        "lead_time_weeks": "5",
        "control_rating": "ML10",
        "licence_status": "SIEL_HELD",
        "itar_free": "true",
        "field_proven": "false",
        "keywords": "interceptor;shahed;quadcopter",
        "active": "true",
    }
]
_CAPABILITY_REF = re.compile(r"capability (\d+)")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


class CsvRejected(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problems; nothing was written")
        self.errors = errors


def upload_problem(*, name: str | None, head: bytes) -> str | None:
    """Why an upload is not a CSV file of UTF-8 text, judged by its name and its first bytes."""
    if name is not None and not name.lower().endswith(".csv"):
        return _("The selected file must be a CSV file: its name ends in .csv.")
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        # A sample cut at SNIFF_BYTES may end half-way through a character.
        decoder.decode(head, final=len(head) < SNIFF_BYTES)
    except UnicodeDecodeError:
        is_text = False
    else:
        # A CSV never holds a NUL byte; a binary file (or UTF-16 text) does.
        is_text = b"\x00" not in head
    if not is_text:
        return _(
            "The selected file must be CSV saved as UTF-8 text: in your spreadsheet choose "
            "Save as, then CSV UTF-8."
        )
    return None


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(TEMPLATE_ROWS)
    return out.getvalue()


def read_rows(content: bytes) -> list[dict[str, str]]:
    """The file's data rows as column -> text; a file that is not usable CSV is refused whole."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvRejected(
            [RowError(0, "", "the file is not UTF-8 text; save it as 'CSV UTF-8' and try again")]
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    if not header:
        raise CsvRejected([RowError(1, "", "the file is empty; start from the template")])
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise CsvRejected([RowError(1, name, "column is missing") for name in missing])
    reader.fieldnames = header
    rows = []
    for cells in reader:
        if None in cells:
            raise CsvRejected(
                [RowError(reader.line_num, "", "has more cells than the header has columns")]
            )
        if any((value or "").strip() for value in cells.values()):
            rows.append({k: (v or "").strip() for k, v in cells.items()})
    if len(rows) > MAX_ROWS:
        raise CsvRejected([RowError(0, "", f"has more than {MAX_ROWS} rows; split the file")])
    return rows


def _value(column: str, text: str) -> Any:
    # Text that does not convert is passed on as text, so the importer's own check names it.
    if column in WHOLE_NUMBERS and re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if column in MONEY:
        try:
            return Decimal(text.replace(",", "").lstrip("£"))
        except InvalidOperation:
            return text
    if column in BOOLEANS and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if column in LISTS:
        return [word.strip() for word in text.split(";") if word.strip()]
    return text


def to_record(cells: dict[str, str]) -> dict[str, Any]:
    """One CSV row as a catalogue capability record; an empty cell is an absent field."""
    return {column: _value(column, text) for column, text in cells.items() if text != ""}


def _row_errors(problems: list[str], firm: Firm, records: list[dict[str, Any]]) -> list[RowError]:
    errors = []
    firm_where = f"firm 1 ({firm.companies_house_number})"
    prefixes = {
        f"{firm_where} capability {n} ({record.get('reference') or '?'}): ": n
        for n, record in enumerate(records, start=1)
    }
    for line in problems:
        prefix = next((p for p in prefixes if line.startswith(p)), None)
        if prefix is None:
            errors.append(RowError(0, "", line.removeprefix(f"{firm_where}: ")))
            continue
        rest = line[len(prefix) :]
        column, sep, message = rest.partition(": ")
        if not sep or " " in column:
            column, message = "", rest
        # The importer counts capabilities; the supplier counts spreadsheet rows (header is 1).
        message = _CAPABILITY_REF.sub(lambda m: f"row {int(m.group(1)) + 1}", message)
        errors.append(RowError(prefixes[prefix] + 1, column, message))
    return errors


def import_csv(
    *, firm: Firm, content: bytes, on_progress: Callable[[int, int], None] | None = None
) -> ImportResult:
    """Check every row, then write all of them or none; raises CsvRejected with row errors."""
    rows = read_rows(content)
    if not rows:
        raise CsvRejected([RowError(0, "", "the file has no capability rows")])
    records = []
    for position, cells in enumerate(rows, start=1):
        records.append(to_record(cells))
        if on_progress is not None and (position % 50 == 0 or position == len(rows)):
            on_progress(position, len(rows))
    data = {
        "firms": [{"companies_house_number": firm.companies_house_number, "capabilities": records}]
    }
    try:
        return catalogue_import(data=data)
    except ImportRejected as rejected:
        raise CsvRejected(_row_errors(rejected.problems.lines(), firm, records)) from None


# Progress, kept in the cache that the web and worker processes share --------------------------


def _key(job_id: str) -> str:
    return f"csv-upload:{job_id}"


def progress_set(job_id: str, **fields: Any) -> None:
    state = cache.get(_key(job_id)) or {}
    state.update(fields)
    cache.set(_key(job_id), state, timeout=PROGRESS_SECONDS)


def progress_get(job_id: str) -> dict[str, Any] | None:
    state = cache.get(_key(job_id))
    return dict(state) if state is not None else None


def errors_as_dicts(errors: list[RowError]) -> list[dict[str, Any]]:
    return [asdict(error) for error in errors]
