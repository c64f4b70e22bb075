"""The management-command side shared by both importers: read, import, report, exit."""

from __future__ import annotations

import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from firms.importers.common import ImportFileError, ImportRejected, read_json_file


class ImportCommand(BaseCommand):
    """Subclasses name the file's shape and the importer function to call."""

    file_shape = ""

    def run_import(self, data: Any) -> Any:
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=f"a UTF-8 JSON file {self.file_shape}")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        try:
            result = self.run_import(read_json_file(path=file))
        except ImportFileError as exc:
            self._fail([str(exc)])
        except ImportRejected as exc:
            self._fail(exc.problems.report())
        except DatabaseError as exc:
            self._fail([f"the database refused the import, so nothing was written: {exc}"])
        self.stdout.write(str(result))

    def _fail(self, lines: list[str]) -> NoReturn:
        # Not CommandError: the contract is exactly one stderr line per problem, unprefixed.
        for line in lines:
            self.stderr.write(line)
        sys.exit(1)
