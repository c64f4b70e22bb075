"""`make run` serves with DEBUG on, where Django's cursor logs every statement it runs: a
rescore must store its rows there too (the SQLite writes use SQLite's own placeholders)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings

from matching import services
from matching.models import Match
from tests import factories


@pytest.mark.django_db
def test_a_rescore_stores_its_rows_with_debug_on():
    requirement = factories.RequirementFactory(status="OPEN")
    factories.CapabilityFactory(category=requirement.category)
    factories.CapabilityFactory(category=requirement.category)
    with override_settings(DEBUG=True):
        assert connection.queries_logged
        services.requirement_rescore(requirement_id=requirement.pk)
        # A second pass rewrites nothing, a title edit rewrites every row.
        services.requirement_rescore(requirement_id=requirement.pk)
        requirement.title = f"{requirement.title} urgent"
        requirement.save()
        outcome = services.requirement_rescore(requirement_id=requirement.pk)
    assert Match.objects.filter(requirement=requirement, removed=False).count() == 2
    assert outcome.changed == 2
