"""Publishing a requirement produces stored matches through a real Celery worker on Redis and
PostgreSQL; a saved capability is rescored the same way."""

from __future__ import annotations

import pytest

from firms import services as firm_services
from matching import services
from matching.models import Match
from requirements import services as requirement_services
from tests import factories
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration


def ranked(requirement):
    return list(
        Match.objects.filter(requirement=requirement, removed=False)
        .order_by("-eligible", "-score", "capability_id")
        .values_list("capability_id", "eligible", "score", "blockers", "breakdown")
    )


def test_publishing_a_requirement_is_matched_by_the_worker(start_worker):
    capabilities = [
        factories.CapabilityFactory(
            reference=f"INT-{i}", trl=5 + i % 5, monthly_capacity=50 * (i + 1)
        )
        for i in range(8)
    ]
    requirement = factories.RequirementFactory(status="TRIAGED", min_trl=7)
    start_worker()

    requirement_services.requirement_transition(requirement=requirement, to="OPEN")

    rows = wait_for(lambda: ranked(requirement), timeout=90)
    assert len(rows) == len(capabilities)
    assert {r[0] for r in rows} == {c.pk for c in capabilities}
    eligible = [r for r in rows if r[1]]
    assert eligible
    assert all(r[1] for r in rows[: len(eligible)])
    blocked = [r for r in rows if not r[1]]
    assert all(r[3][0]["code"] == "TRL_TOO_LOW" for r in blocked)
    # The worker's rows equal what a run here computes: recomputing changes nothing.
    again = services.requirement_rescore(requirement_id=requirement.pk)
    assert (again.created, again.changed, again.removed) == (0, 0, 0)


def test_a_saved_capability_is_rescored_by_the_worker(start_worker):
    requirement = factories.RequirementFactory()
    capability = factories.CapabilityFactory(trl=4)
    services.requirement_rescore(requirement_id=requirement.pk)
    assert Match.objects.get(capability=capability).eligible is False
    start_worker()

    firm_services.capability_update(capability=capability, trl=8)

    wait_for(
        lambda: Match.objects.filter(capability=capability, eligible=True).exists(), timeout=90
    )
    row = Match.objects.get(capability=capability)
    assert row.blockers == []


def test_the_same_task_twice_stores_what_one_run_stores(start_worker):
    from matching import tasks

    for i in range(5):
        factories.CapabilityFactory(reference=f"TWICE-{i}", trl=4 + i)
    requirement = factories.RequirementFactory()
    start_worker()
    tasks.rescore_requirement.delay(requirement.pk)
    tasks.rescore_requirement.delay(requirement.pk)
    wait_for(lambda: Match.objects.filter(requirement=requirement).count() == 5, timeout=90)
    wait_for(lambda: _queue_empty(), timeout=60)
    first = ranked(requirement)
    Match.objects.all().delete()
    services.requirement_rescore(requirement_id=requirement.pk)
    assert ranked(requirement) == first


def _queue_empty() -> bool:
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    return client.llen("celery") == 0 and not client.hlen("unacked")
