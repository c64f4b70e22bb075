from __future__ import annotations

from typing import Any

from firms.importers import catalogue_import
from firms.importers.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import firms and their capabilities from a JSON catalogue (DESIGN.md section 3). "
        "All or nothing: any problem rejects the whole file and writes nothing."
    )
    file_shape = '{"firms": [...]}'

    def run_import(self, data: Any) -> Any:
        return catalogue_import(data=data)
