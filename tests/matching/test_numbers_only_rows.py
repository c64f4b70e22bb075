"""A supplier's standing outside a requirement's top list is stored as numbers and explained when
read; what a reader sees must be exactly what a fully explained rescore would have stored."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from matching import services
from matching.engine import COMPONENTS, ENGINE_VERSION
from matching.models import Match
from matching.selectors import with_reasons
from tests import factories

pytestmark = pytest.mark.django_db


def limits(top: int, near: int) -> dict[str, int]:
    return {
        "LICENCE_WAIT_WEEKS": 4,
        "TOP_ELIGIBLE": top,
        "NEAR_MISSES": near,
        "PER_CAPABILITY": 20,
        "REMOVAL_RETENTION_DAYS": 30,
    }


@pytest.fixture
def field():
    requirement = factories.RequirementFactory(
        reference="UA-NUM-1",
        title="Interceptor drones against Shahed at night",
        description="Cheap kills against one-way attack drones; thermal seeker; 400 units.",
        min_trl=6,
        quantity=400,
    )
    caps = [
        factories.CapabilityFactory(reference="A", trl=8, name="Night interceptor drone"),
        factories.CapabilityFactory(reference="B", trl=7, name="Thermal seeker interceptor"),
        factories.CapabilityFactory(reference="C", trl=5, name="Interceptor airframe kit"),
        factories.CapabilityFactory(reference="D", trl=4, name="Training drone", keywords=[]),
        factories.CapabilityFactory(reference="E", trl=9, description="", keywords=[]),
    ]
    return requirement, caps


def explained_everything(requirement) -> dict[str, tuple]:
    """Blockers and breakdown per capability as a rescore storing every reason writes them."""
    with override_settings(HUB_MATCHING=limits(200, 20)):
        services.requirement_rescore(requirement_id=requirement.pk)
    rows = Match.objects.filter(requirement=requirement).select_related("capability")
    assert all(row.explained for row in rows)
    return {row.capability.reference: (row.blockers, row.breakdown, row.score) for row in rows}


def test_rows_outside_the_top_list_are_stored_as_numbers(field):
    requirement, _ = field
    with override_settings(HUB_MATCHING=limits(1, 1)):
        outcome = services.requirement_rescore(requirement_id=requirement.pk)
    rows = list(Match.objects.filter(requirement=requirement))
    assert outcome.kept == len(rows) == 5
    assert sum(row.explained for row in rows) == 2  # one eligible, one near miss
    for row in rows:
        if not row.explained:
            assert row.breakdown == []
            assert len(row.components.split(",")) == len(COMPONENTS)
            assert all(b["reason"] == "" for b in row.blockers)


def test_reasons_written_on_read_equal_a_fully_explained_rescore(field):
    requirement, _ = field
    expected = explained_everything(requirement)
    Match.objects.all().delete()
    with override_settings(HUB_MATCHING=limits(1, 1)):
        services.requirement_rescore(requirement_id=requirement.pk)
    rows = with_reasons(
        Match.objects.filter(requirement=requirement).select_related("capability", "requirement")
    )
    got = {row.capability.reference: (row.blockers, row.breakdown, row.score) for row in rows}
    assert got == expected
    # Writing reasons on read changes nothing stored.
    assert Match.objects.filter(requirement=requirement, explained=False).count() == 3


def test_the_api_shows_reasons_for_numbers_only_rows(field, cast):
    requirement, _ = field
    requirement.status = "OPEN"
    requirement.save()
    expected = explained_everything(requirement)
    Match.objects.all().delete()
    with override_settings(HUB_MATCHING=limits(1, 1)):
        services.requirement_rescore(requirement_id=requirement.pk)
    client = APIClient()
    client.force_authenticate(cast.staff)
    url = reverse("v1:requirement-matches", kwargs={"reference": requirement.reference})
    items = client.get(url).json()["results"]
    assert len(items) == 5
    for item in items:
        blockers, breakdown, score = expected[item["capability"]["reference"]]
        assert item["score"] == score
        assert item["blockers"] == blockers
        assert item["breakdown"] == breakdown
        assert all(part["reason"] for part in item["breakdown"])


def test_a_row_entering_the_top_list_gets_its_reasons_stored(field):
    requirement, caps = field
    with override_settings(HUB_MATCHING=limits(1, 1)):
        services.requirement_rescore(requirement_id=requirement.pk)
    with override_settings(HUB_MATCHING=limits(200, 20)):
        outcome = services.requirement_rescore(requirement_id=requirement.pk)
    assert outcome.changed == 3
    assert not Match.objects.filter(requirement=requirement, explained=False).exists()


def test_unchanged_numbers_only_rows_are_not_rewritten(field):
    requirement, _ = field
    with override_settings(HUB_MATCHING=limits(1, 1)):
        services.requirement_rescore(requirement_id=requirement.pk)
        before = dict(Match.objects.values_list("pk", "computed_at"))
        again = services.requirement_rescore(requirement_id=requirement.pk)
    assert (again.created, again.changed, again.removed) == (0, 0, 0)
    assert dict(Match.objects.values_list("pk", "computed_at")) == before


def rescore(requirement, top: int = 1, near: int = 1) -> services.RescoreOutcome:
    with override_settings(HUB_MATCHING=limits(top, near)):
        return services.requirement_rescore(requirement_id=requirement.pk)


def stamps(requirement) -> dict[int, object]:
    return dict(Match.objects.filter(requirement=requirement).values_list("pk", "computed_at"))


def test_a_row_leaving_the_top_list_keeps_its_reasons_until_its_inputs_change(field):
    requirement, _ = field
    rescore(requirement, top=200, near=20)
    before = stamps(requirement)
    outcome = rescore(requirement)
    assert (outcome.created, outcome.changed, outcome.removed) == (0, 0, 0)
    assert stamps(requirement) == before
    assert not Match.objects.filter(requirement=requirement, explained=False).exists()
    requirement.save()  # an edit while active: every reason may read differently now
    outcome = rescore(requirement)
    assert outcome.changed == 3  # the three outside the top list, now stored as numbers
    assert Match.objects.filter(requirement=requirement, explained=False).count() == 3


def test_rows_of_another_engine_version_are_rewritten_even_with_the_same_numbers(field):
    requirement, _ = field
    rescore(requirement)
    Match.objects.filter(requirement=requirement).update(engine_version="2000.1-1")
    outcome = rescore(requirement)
    assert (outcome.created, outcome.changed) == (0, 5)
    assert not Match.objects.exclude(engine_version=ENGINE_VERSION).exists()


def test_a_numbers_only_row_stored_without_components_or_with_odd_blockers_is_rewritten(field):
    requirement, _ = field
    rescore(requirement)
    numbers_only = Match.objects.filter(requirement=requirement, explained=False)
    blocked = numbers_only.filter(eligible=False).first()
    fine = numbers_only.exclude(pk=blocked.pk).first()
    parts = fine.components
    Match.objects.filter(pk=fine.pk).update(components="")
    # The same codes in an order no rescore writes: not the stored numbers of this result.
    Match.objects.filter(pk=blocked.pk).update(blockers=[*blocked.blockers, *blocked.blockers])
    untouched = stamps(requirement)
    outcome = rescore(requirement)
    assert (outcome.created, outcome.changed) == (0, 2)
    fine.refresh_from_db()
    assert fine.components == parts
    after = stamps(requirement)
    assert {pk for pk in after if after[pk] != untouched[pk]} == {fine.pk, blocked.pk}


def test_a_removal_record_that_returns_is_a_changed_row_not_a_new_one(field):
    requirement, caps = field
    rescore(requirement)
    Match.objects.filter(requirement=requirement, capability=caps[0]).update(removed=True)
    outcome = rescore(requirement)
    assert (outcome.created, outcome.changed, outcome.removed) == (0, 1, 0)
    assert not Match.objects.filter(requirement=requirement, removed=True).exists()
