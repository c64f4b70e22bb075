"""Spreadsheet exports for hub staff: cells made safe before they reach Excel or LibreOffice."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# A cell starting with one of these is read as a formula by spreadsheet programs (OWASP's
# "CSV injection"): a supplier's capability name could otherwise run code on a staff machine.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should store it: text that could start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# The match list and the shortlist of a requirement as CSV or XLSX, in English or Ukrainian.

BLOCKER_LABELS = {
    "TRL_TOO_LOW": gettext_lazy("TRL below the minimum"),
    "MISSING_CERTIFICATION": gettext_lazy("Missing certification"),
    "NOT_ITAR_FREE": gettext_lazy("Not ITAR-free"),
    "OVER_BUDGET": gettext_lazy("Over budget"),
    "TOO_LATE": gettext_lazy("Cannot deliver in time"),
    "INACTIVE": gettext_lazy("Capability switched off"),
}
# Sheet titles may not hold these characters.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Table:
    title: str
    headings: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def _category(category: Any, language: str) -> str:
    if category is None:
        return ""
    if language == "uk" and category.label_uk:
        return str(category.label_uk)
    return str(category.label_en)


def _yes_no(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _blockers(blockers: Any) -> str:
    codes = [b.get("code", "") for b in blockers or [] if isinstance(b, dict)]
    return "; ".join(str(BLOCKER_LABELS.get(code, code)) for code in codes)


def match_table(*, requirement: Any, matches: list[Any], language: str) -> Table:
    """The ranked match list, one row per stored match, in the review's order."""
    with translation.override(language):
        table = Table(
            title=str(_("Matches %(reference)s") % {"reference": requirement.reference}),
            headings=[
                str(_("Rank")),
                str(_("Firm")),
                str(_("Companies House number")),
                str(_("Capability reference")),
                str(_("Capability")),
                str(_("Category")),
                str(_("Score")),
                str(_("Eligible")),
                str(_("What blocks it")),
                str(_("Verification")),
                str(_("SME")),
                str(_("Interested")),
                str(_("Interest note")),
                str(_("On the shortlist")),
            ],
        )
        for rank, match in enumerate(matches, start=1):
            capability = match.capability
            firm = capability.firm
            table.rows.append(
                [
                    rank,
                    firm.name,
                    firm.companies_house_number,
                    capability.reference,
                    capability.name,
                    _category(capability.category, language),
                    round(float(match.score), 1),
                    _yes_no(match.eligible),
                    _blockers(match.blockers),
                    str(firm.get_verification_state_display()),
                    _yes_no(firm.is_sme),
                    _yes_no(bool(getattr(match, "interested", False))),
                    getattr(match, "interest_note", "") or "",
                    _yes_no(bool(getattr(match, "shortlisted", False))),
                ]
            )
    return table


def shortlist_table(
    *, requirement: Any, entries: list[Any], scores: dict[int, float], language: str
) -> Table:
    """The shortlist in the order entries were added, with each one's score and note."""
    with translation.override(language):
        table = Table(
            title=str(_("Shortlist %(reference)s") % {"reference": requirement.reference}),
            headings=[
                str(_("Firm")),
                str(_("Companies House number")),
                str(_("Capability reference")),
                str(_("Capability")),
                str(_("Category")),
                str(_("Score")),
                str(_("Note")),
                str(_("Added by")),
                str(_("Added")),
                str(_("Published")),
            ],
        )
        for entry in entries:
            capability = entry.capability
            score = scores.get(capability.pk)
            table.rows.append(
                [
                    capability.firm.name,
                    capability.firm.companies_house_number,
                    capability.reference,
                    capability.name,
                    _category(capability.category, language),
                    "" if score is None else round(float(score), 1),
                    entry.note,
                    entry.added_by.email if entry.added_by else "",
                    _when(entry.added_at),
                    _when(entry.published_at) or str(_("Not yet")),
                ]
            )
    return table


def csv_bytes(table: Table) -> bytes:
    """The table as UTF-8 CSV with a byte-order mark, so Excel reads Ukrainian text right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in table.headings])
    for row in table.rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(table: Table) -> bytes:
    """The table as one XLSX sheet with a bold, frozen heading row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _SHEET_FORBIDDEN.sub(" ", table.title)[:31]
    sheet.append([safe_cell(h) for h in table.headings])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_xlsx_text(safe_cell(cell)) for cell in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_text(value: Any) -> Any:
    # XML cannot carry most control characters; openpyxl refuses the whole file over one.
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
