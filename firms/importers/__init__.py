"""Staff bulk imports from JSON files (DESIGN.md section 3, "Import files")."""

from __future__ import annotations

from firms.importers.catalogue import catalogue_import
from firms.importers.common import (
    ImportFileError,
    ImportProblems,
    ImportRejected,
    ImportResult,
    read_json_file,
)

__all__ = [
    "ImportFileError",
    "ImportProblems",
    "ImportRejected",
    "ImportResult",
    "catalogue_import",
    "read_json_file",
]
