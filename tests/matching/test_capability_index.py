"""Stored rows carry their capability's category, which leads the capability-side index: a
requirement's rows land on few index pages, and a firm's rows are still found after its
capability moves to another category."""

from __future__ import annotations

import pytest
from django.db import connection

from firms.models import Capability
from matching import services
from matching.models import Match
from matching.selectors import standing_for_firm
from matching.storage import field_codes, of_capabilities, stored_rows
from tests import factories

pytestmark = pytest.mark.django_db


def test_rows_are_written_with_the_capability_category():
    requirement = factories.RequirementFactory()
    inside = factories.CapabilityFactory()
    genset = factories.CapabilityFactory(category=factories.category("ENERGY.GENERATION"))
    services.requirement_rescore(requirement_id=requirement.pk)
    services.capability_rescore(capability_id=genset.pk)
    categories = dict(Match.objects.values_list("capability_id", "capability_category"))
    assert categories[inside.pk] == "UAS.INTERCEPTOR"
    assert categories.get(genset.pk, "ENERGY.GENERATION") == "ENERGY.GENERATION"


def test_a_capability_that_changes_category_keeps_its_rows_visible_and_relabelled():
    requirement = factories.RequirementFactory()
    capability = factories.CapabilityFactory()
    supplier = factories.MembershipFactory(firm=capability.firm).user
    services.requirement_rescore(requirement_id=requirement.pk)
    assert [m.capability_id for m in standing_for_firm(user=supplier)] == [capability.pk]

    # Moved by an edit whose rescore has not run yet: the row still says UAS.INTERCEPTOR.
    capability.category = factories.category("CUAS.KINETIC")
    capability.save()
    assert [m.capability_id for m in standing_for_firm(user=supplier)] == [capability.pk]
    assert [r.capability_id for r in stored_rows(column="capability_id", value=capability.pk)] == [
        capability.pk
    ]

    services.capability_rescore(capability_id=capability.pk)
    assert set(
        Match.objects.filter(capability=capability).values_list("capability_category", flat=True)
    ) == {"CUAS.KINETIC"}
    assert [m.capability_id for m in standing_for_firm(user=supplier)] == [capability.pk]


def test_rows_written_before_the_category_was_recorded_are_found():
    requirement = factories.RequirementFactory()
    capability = factories.CapabilityFactory()
    services.requirement_rescore(requirement_id=requirement.pk)
    Match.objects.update(capability_category="")
    assert "" in field_codes()
    assert of_capabilities(Capability.objects.filter(pk=capability.pk)).count() == 1


def test_a_capability_read_probes_the_index_instead_of_scanning():
    requirement = factories.RequirementFactory()
    capability = factories.CapabilityFactory()
    if connection.vendor == "postgresql":
        # The planner scans a tiny table whatever its indexes: give it a table worth probing.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO matching_match (requirement_id, capability_id, score, eligible, "
                "blockers, breakdown, engine_version, computed_at, removed, explained, "
                "components, capability_category) SELECT %s, n, 50, true, '[]', '[]', 'v', now(), "
                "false, false, '', 'C' || mod(n, 50) FROM generate_series(100000, 140000) AS n",
                [requirement.pk],
            )
            cursor.execute("ANALYZE matching_match")
    sql, params = of_capabilities(
        Capability.objects.filter(pk=capability.pk)
    ).query.sql_with_params()
    explain = "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        cursor.execute(f"{explain} {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "match_field_capability" in plan
    assert "SCAN matching_match" not in plan
    assert "Seq Scan" not in plan


def test_a_rewrite_of_a_row_purged_meanwhile_inserts_it_again():
    """A rescore read a row as stored, then the purge deleted it before the write: the write
    must still leave the row stored."""
    from django.utils import timezone

    from matching.storage import numbers_row, upsert

    requirement = factories.RequirementFactory()
    capability = factories.CapabilityFactory()
    other = factories.CapabilityFactory()
    services.requirement_rescore(requirement_id=requirement.pk)
    Match.objects.filter(capability=capability).delete()
    rows = [
        numbers_row(requirement.pk, cap.pk, 12.5, 0, "1,2,3,4,5,6,7", "UAS.INTERCEPTOR")
        for cap in (capability, other)
    ]
    upsert(rows, timezone.now())
    assert sorted(
        Match.objects.filter(requirement=requirement).values_list("capability_id", "score")
    ) == sorted([(capability.pk, 12.5), (other.pk, 12.5)])


def _pages(requirement_id: int) -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT capability_id, (ctid::text::point)[0] FROM matching_match "
            "WHERE requirement_id = %s",
            [requirement_id],
        )
        return dict(cursor.fetchall())


def test_a_requirement_rewriting_all_its_rows_keeps_each_row_on_its_page():
    """A title edit or a weight change rewrites every row of a requirement, and its rows share
    pages: PostgreSQL leaves a row's indexes alone (a HOT update) only when the new version
    fits on the old one's page, so each page must have room for all of its rows twice."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's page layout (SQLite rewrites a row where it is)")
    from django.utils import timezone

    from matching.storage import numbers_row, upsert

    requirement = factories.RequirementFactory()

    def rows(score: float) -> list:
        return [
            numbers_row(requirement.pk, cap, score, 3, "1,2,3,4,5,6,7", "UAS.INTERCEPTOR")
            for cap in range(500_000, 501_500)
        ]

    upsert(rows(40.0), timezone.now(), fresh=True)
    before = _pages(requirement.pk)
    assert len(set(before.values())) > 20  # many full pages, not one
    upsert(rows(41.5), timezone.now())
    assert set(Match.objects.filter(requirement=requirement).values_list("score", flat=True)) == {
        41.5
    }
    moved = sum(1 for cap, page in _pages(requirement.pk).items() if page != before[cap])
    assert moved == 0
