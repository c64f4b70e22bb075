"""Spreadsheet exports for hub staff: cells made safe before they reach Excel or LibreOffice."""

from __future__ import annotations

from typing import Any

# A cell starting with one of these is read as a formula by spreadsheet programs (OWASP's
# "CSV injection"): a supplier's capability name could otherwise run code on a staff machine.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should store it: text that could start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
