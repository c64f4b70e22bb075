from __future__ import annotations

from typing import Any

from firms.importers.command import ImportCommand
from requirements.importers import requirements_import


class Command(ImportCommand):
    help = (
        "Import Ukrainian requirements from a JSON file (DESIGN.md section 3). "
        "All or nothing: any problem rejects the whole file and writes nothing."
    )
    file_shape = '{"requirements": [...]}'

    def run_import(self, data: Any) -> Any:
        return requirements_import(data=data)
