"""The static files storage: whitenoise's hashed names and gzip, without Brotli."""

from __future__ import annotations

from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class HubStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Brotli is off: at its highest level it takes about 45 CPU-seconds on two cores for Swagger
    UI's bundles at every `collectstatic` (each `make run`, each production test), and every
    browser the hub serves accepts gzip."""

    def create_compressor(self, **kwargs: Any) -> Compressor:
        return Compressor(use_brotli=False, **kwargs)
