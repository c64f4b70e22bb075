from __future__ import annotations

import pytest

from tests.security.scenario import Scenario, build


@pytest.fixture
def scenario(cast, settings, tmp_path) -> Scenario:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build(cast)
