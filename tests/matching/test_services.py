from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from firms import services as firm_services
from matching import services
from matching.models import Match
from matching.selectors import matches_for_requirement
from requirements import services as requirement_services
from tests import factories

pytestmark = pytest.mark.django_db


def stored(requirement, removed=False):
    return list(
        Match.objects.filter(requirement=requirement, removed=removed)
        .order_by("-eligible", "-score", "capability_id")
        .values_list("capability__reference", "eligible", "score")
    )


@pytest.fixture
def market():
    requirement = factories.RequirementFactory(reference="UA-INT-1", min_trl=6)
    good = factories.CapabilityFactory(reference="GOOD", trl=8, field_proven=True)
    ok = factories.CapabilityFactory(reference="OK", trl=6, monthly_capacity=50)
    low_trl = factories.CapabilityFactory(reference="LOW-TRL", trl=4)
    generator = factories.CapabilityFactory(
        reference="GENSET",
        name="150 kVA trailer generator",
        description="Diesel generator.",
        category=factories.category("ENERGY.GENERATION"),
        keywords=["genset"],
        control_rating="NLR",
        licence_status="NOT_REQUIRED",
    )
    return requirement, good, ok, low_trl, generator


def test_rescore_stores_ranked_rows_with_engine_output(market):
    requirement, good, ok, low_trl, generator = market
    outcome = services.requirement_rescore(requirement_id=requirement.pk)
    rows = stored(requirement)
    assert [r[0] for r in rows][:2] == ["GOOD", "OK"]
    assert ("LOW-TRL", False) in [(r[0], r[1]) for r in rows]
    assert outcome.created == len(rows)
    row = Match.objects.get(requirement=requirement, capability=low_trl)
    assert [b["code"] for b in row.blockers] == ["TRL_TOO_LOW"]
    assert [c["component"] for c in row.breakdown] == [
        "relevance",
        "category",
        "capacity",
        "timeliness",
        "price",
        "maturity",
        "export_readiness",
    ]
    assert row.engine_version


def test_rescore_twice_changes_nothing(market):
    requirement = market[0]
    services.requirement_rescore(requirement_id=requirement.pk)
    before = dict(Match.objects.values_list("pk", "computed_at"))
    again = services.requirement_rescore(requirement_id=requirement.pk)
    assert (again.created, again.changed, again.removed) == (0, 0, 0)
    assert dict(Match.objects.values_list("pk", "computed_at")) == before


@override_settings(
    HUB_MATCHING={
        "LICENCE_WAIT_WEEKS": 4,
        "TOP_ELIGIBLE": 1,
        "NEAR_MISSES": 1,
        "PER_CAPABILITY": 20,
        "REMOVAL_RETENTION_DAYS": 30,
    }
)
def test_top_list_and_near_misses_are_cut_but_the_same_field_stays(market):
    requirement, good, ok, low_trl, generator = market
    services.requirement_rescore(requirement_id=requirement.pk)
    references = {r[0] for r in stored(requirement)}
    # Top 1 eligible + 1 near miss, plus every capability in the requirement's own category.
    assert references == {"GOOD", "OK", "LOW-TRL"}
    assert "GENSET" not in references


def test_requirement_closing_turns_rows_into_removal_records(market):
    requirement = market[0]
    services.requirement_rescore(requirement_id=requirement.pk)
    count = len(stored(requirement))
    requirement_services.requirement_transition(requirement=requirement, to="CLOSED", note="done")
    services.requirement_rescore(requirement_id=requirement.pk)
    assert stored(requirement) == []
    assert len(stored(requirement, removed=True)) == count


def test_capability_edit_moves_its_row_and_only_its_row(market):
    requirement, good, ok, low_trl, generator = market
    services.requirement_rescore(requirement_id=requirement.pk)
    before = dict(Match.objects.values_list("capability__reference", "computed_at"))
    firm_services.capability_update(capability=low_trl, trl=9)
    outcome = services.capability_rescore(capability_id=low_trl.pk)
    assert outcome.changed == 1
    after = dict(Match.objects.values_list("capability__reference", "computed_at"))
    assert after["LOW-TRL"] > before["LOW-TRL"]
    assert after["GOOD"] == before["GOOD"]
    assert Match.objects.get(capability=low_trl).eligible is True


def test_expired_certification_blocks_after_the_firm_changes(market):
    requirement, good, *_ = market
    requirement.required_certifications = ["AQAP2110"]
    requirement.save()
    firm_services.firm_set_certifications(firm=good.firm, held={"AQAP2110": None})
    services.requirement_rescore(requirement_id=requirement.pk)
    assert Match.objects.get(capability=good).eligible is True
    firm_services.firm_set_certifications(firm=good.firm, held={"AQAP2110": dt.date(2020, 1, 1)})
    services.capability_rescore(capability_id=good.pk)
    row = Match.objects.get(capability=good)
    assert row.eligible is False
    assert row.blockers[0]["code"] == "MISSING_CERTIFICATION"


def test_sensitive_requirement_keeps_standing_rows_only_for_list_x_firms():
    requirement = factories.RequirementFactory(classification="OFFICIAL_SENSITIVE")
    cleared = factories.CapabilityFactory(firm=factories.FirmFactory(list_x=True))
    uncleared = factories.CapabilityFactory()
    with override_settings(
        HUB_MATCHING={
            "LICENCE_WAIT_WEEKS": 4,
            "TOP_ELIGIBLE": 0,
            "NEAR_MISSES": 0,
            "PER_CAPABILITY": 20,
            "REMOVAL_RETENTION_DAYS": 30,
        }
    ):
        services.requirement_rescore(requirement_id=requirement.pk)
    kept = set(Match.objects.values_list("capability_id", flat=True))
    assert kept == {cleared.pk}
    assert uncleared.pk not in kept


def test_supplier_sees_only_its_own_rows_and_staff_see_all(cast):
    requirement = factories.RequirementFactory()
    mine = factories.CapabilityFactory(firm=cast.firm_a)
    theirs = factories.CapabilityFactory(firm=cast.firm_b)
    services.requirement_rescore(requirement_id=requirement.pk)
    staff_rows = matches_for_requirement(user=cast.staff, requirement=requirement)
    assert {m.capability_id for m in staff_rows} == {mine.pk, theirs.pk}
    supplier_rows = matches_for_requirement(user=cast.supplier_a, requirement=requirement)
    assert [m.capability_id for m in supplier_rows] == [mine.pk]
    assert not matches_for_requirement(user=cast.supplier_unverified, requirement=requirement)
    assert not matches_for_requirement(user=cast.requester_x, requirement=requirement)


def test_sweep_finds_what_changed_after_scoring(market):
    requirement, good, *_ = market
    services.requirement_rescore(requirement_id=requirement.pk)
    for capability in market[1:]:
        services.capability_rescore(capability_id=capability.pk)
    assert services.stale_ids() == ([], [])
    firm_services.capability_update(capability=good, lead_time_weeks=3)
    assert services.stale_ids() == ([], [good.pk])


def test_removal_records_are_purged_after_retention(market):
    requirement = market[0]
    services.requirement_rescore(requirement_id=requirement.pk)
    count = Match.objects.count()
    Match.objects.update(removed=True)
    now = dt.datetime.now(dt.UTC)
    assert services.removals_purge(now=now) == 0
    assert services.removals_purge(now=now + dt.timedelta(days=31)) == count
    assert not Match.objects.exists()


def test_rematch_command(market, capsys):
    requirement = market[0]
    call_command("rematch", "--requirement", requirement.reference, "--sync")
    out = capsys.readouterr().out
    assert f"{requirement.reference}:" in out
    assert "scored 1 requirement(s)" in out
    assert stored(requirement)


def test_rematch_refuses_unknown_and_inactive_references():
    with pytest.raises(CommandError, match="no such reference"):
        call_command("rematch", "--requirement", "UA-NOPE", "--sync")
    closed = factories.RequirementFactory(status="CLOSED")
    with pytest.raises(CommandError, match="not active"):
        call_command("rematch", "--requirement", closed.reference)


def test_publishing_enqueues_a_rescore_after_commit(django_capture_on_commit_callbacks, market):
    requirement = factories.RequirementFactory(status="TRIAGED")
    assert not stored(requirement)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        requirement_services.requirement_transition(requirement=requirement, to="OPEN")
    assert callbacks
    assert stored(requirement)


def test_rolled_back_write_enqueues_nothing(django_capture_on_commit_callbacks):
    requirement = factories.RequirementFactory(
        status="TRIAGED", description="", description_uk="Дрони-перехоплювачі"
    )
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(Exception):  # noqa: B017, PT011
        requirement_services.requirement_transition(requirement=requirement, to="OPEN")
    assert callbacks == []
