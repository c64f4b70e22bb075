from __future__ import annotations

import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from firms.importers import ImportFileError, ImportRejected, read_json_file
from requirements.importers import requirements_import


class Command(BaseCommand):
    help = (
        "Import Ukrainian requirements from a JSON file (DESIGN.md section 3). "
        "All or nothing: any problem rejects the whole file and writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help='a UTF-8 JSON file {"requirements": [...]}')

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        try:
            result = requirements_import(data=read_json_file(path=file))
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
