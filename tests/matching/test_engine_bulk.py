"""The vectorised CapabilityIndex: maintenance, match-list order and agreement with the rules."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.engine import (
    BLOCKER_BITS,
    BulkScores,
    CapabilityData,
    CapabilityIndex,
    EngineConfig,
    RequirementData,
    score_pair,
)
from matching.engine import bulk as bulk_module
from tests.matching.test_engine_properties import capabilities, configs, requirements

TODAY = date(2026, 11, 24)
CONFIG = EngineConfig(today=TODAY)


def make_cap(cap_id: int, **overrides) -> CapabilityData:
    fields = {
        "id": cap_id,
        "firm_id": 1,
        "reference": f"CAP-{cap_id}",
        "name": f"Interceptor drone mark {cap_id}",
        "description": "Low-cost interceptor UAV with thermal camera for night use.",
        "keywords": ("interceptor",),
        "category": "UAS.INTERCEPTOR",
        "trl": 7,
        "unit_price_gbp": 5000.0,
        "monthly_capacity": 50,
        "lead_time_weeks": 4,
        "control_rating": "ML10",
        "licence_status": "SIEL_HELD",
        "licence_expiry": None,
        "itar_free": True,
        "field_proven": False,
        "active": True,
        "certifications": {"ISO9001": None},
        "report_ratings": (),
    }
    return CapabilityData(**{**fields, **overrides})


def make_req(req_id: int = 1, **overrides) -> RequirementData:
    fields = {
        "id": req_id,
        "reference": f"UA-{req_id}",
        "title": "Cheap kills against one-way attack drones at night",
        "description": "Interceptors for mobile teams; thermal sights welcome.",
        "category": "CUAS.KINETIC",
        "quantity": 200,
        "needed_by": TODAY + timedelta(weeks=10),
        "max_unit_price_gbp": 8000.0,
        "min_trl": 6,
        "required_certifications": frozenset({"ISO9001"}),
        "itar_free_required": True,
    }
    return RequirementData(**{**fields, **overrides})


def corpus() -> list[CapabilityData]:
    return [
        make_cap(1),
        make_cap(2, name="Interceptor ceramic plate", description="Body armour plate.",
                 keywords=(), category="PROT.BODY_ARMOUR", unit_price_gbp=300.0),
        make_cap(3, trl=4),
        make_cap(4, unit_price_gbp=9000.0, lead_time_weeks=12, itar_free=False),
        make_cap(5, name="Diesel genset", description="20 kVA, canopied.", keywords=(),
                 category="ENERGY.GENERATION", certifications={}),
        make_cap(6, active=False),
    ]  # fmt: skip


REQUIREMENTS = [
    make_req(1),
    make_req(2, title="Generators", description="For a field hospital", min_trl=1,
             category="ENERGY.GENERATION", required_certifications=frozenset()),
]  # fmt: skip


def assert_same_as_fresh(index: CapabilityIndex, caps: list[CapabilityData], config=CONFIG):
    fresh = CapabilityIndex(caps, config)
    assert len(index) == len(fresh) == len(caps)
    assert index.stats == fresh.stats
    for req in REQUIREMENTS:
        assert index.score_requirement(req, config).as_dict() == (
            fresh.score_requirement(req, config).as_dict()
        )


def test_bulk_scores_agree_with_score_pair_and_explain():
    index = CapabilityIndex(corpus(), CONFIG)
    for req in REQUIREMENTS:
        scores = index.score_requirement(req, CONFIG)
        ids = [int(i) for i in scores.capability_ids]
        explained = index.explain(req, ids, CONFIG)
        assert explained == [score_pair(req, index.get(i), CONFIG, index.stats) for i in ids]
        for i, result in enumerate(explained):
            assert scores.scores[i] == result.score
            assert scores.eligible[i] == result.eligible
            assert scores.blocker_codes(i) == result.blocker_codes


def test_blocker_mask_carries_one_bit_per_blocker():
    scores = CapabilityIndex(corpus(), CONFIG).score_requirement(make_req(), CONFIG)
    by_id = scores.as_dict()
    assert by_id[1][1:] == (True, ())
    assert by_id[3][2] == ("TRL_TOO_LOW",)
    assert by_id[4][2] == ("NOT_ITAR_FREE", "OVER_BUDGET", "TOO_LATE")
    assert by_id[5][2] == ("MISSING_CERTIFICATION",)
    assert by_id[6][2] == ("INACTIVE",)
    row = int(np.flatnonzero(scores.capability_ids == 4)[0])
    expected = (
        BLOCKER_BITS["NOT_ITAR_FREE"] | BLOCKER_BITS["OVER_BUDGET"] | BLOCKER_BITS["TOO_LATE"]
    )
    assert scores.blocker_mask[row] == expected


def test_upsert_and_remove_keep_the_index_equal_to_a_fresh_one():
    caps = {cap.id: cap for cap in corpus()}
    index = CapabilityIndex(caps.values(), CONFIG)
    changes = [
        make_cap(1, monthly_capacity=500),  # numbers only: no text work
        make_cap(3, description="Now a fixed-wing drone hunter for night interception.", trl=8),
        make_cap(7, name="Kestrel interceptor", description="Rams Shahed drones."),  # new
        make_cap(2, keywords=("armour", "interceptor")),
    ]
    for cap in changes:
        index.upsert(cap)
        caps[cap.id] = cap
        assert_same_as_fresh(index, list(caps.values()))
    for cap_id in (5, 7):
        index.remove(cap_id)
        del caps[cap_id]
        assert_same_as_fresh(index, list(caps.values()))
    assert 5 not in index
    assert 1 in index
    index.remove(12345)  # unknown: nothing happens
    with pytest.raises(KeyError):
        index.get(5)


def test_one_index_scores_a_new_day_and_a_new_licence_wait_as_a_fresh_one_would():
    """What scoring keeps between requirements (licence waits, maturity, export readiness) is
    worked out again when the day or the engine's licence wait changes."""
    caps = [
        *corpus(),
        make_cap(8, licence_status="SIEL_APPLIED"),
        make_cap(9, licence_expiry=TODAY + timedelta(days=20)),
    ]
    index = CapabilityIndex(caps, CONFIG)
    req = make_req(needed_by=TODAY + timedelta(weeks=9))
    before = index.score_requirement(req, CONFIG).as_dict()
    later = dataclasses.replace(CONFIG, today=TODAY + timedelta(days=30))
    longer_wait = dataclasses.replace(CONFIG, licence_wait_weeks=8)
    for config in (later, longer_wait):
        scored = index.score_requirement(req, config).as_dict()
        assert scored == CapabilityIndex(caps, config).score_requirement(req, config).as_dict()
        assert scored != before


def test_many_changes_trigger_one_full_rebuild_that_still_agrees(monkeypatch):
    monkeypatch.setattr(bulk_module, "_MIN_STALE_FOR_REBUILD", 2)
    caps = {cap.id: cap for cap in corpus()}
    index = CapabilityIndex(caps.values(), CONFIG)
    for cap_id in (1, 2, 3):
        caps[cap_id] = dataclasses.replace(caps[cap_id], description="Rewritten night drone text.")
        index.upsert(caps[cap_id])
    index.remove(4)
    del caps[4]
    index.score_requirement(make_req(), CONFIG)
    assert index._stale_count == 0  # rebuilt, removed rows dropped
    assert index._size == len(caps)
    assert_same_as_fresh(index, list(caps.values()))


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(capabilities(st.integers(1, 12)), max_size=8, unique_by=lambda c: c.id),
    st.lists(
        st.one_of(
            capabilities(st.integers(1, 12)).map(lambda cap: ("upsert", cap)),
            st.integers(1, 12).map(lambda cap_id: ("remove", cap_id)),
            st.lists(capabilities(st.integers(1, 12)), max_size=4).map(lambda c: ("many", c)),
        ),
        max_size=12,
    ),
    requirements,
    configs,
    st.sampled_from([0, 3, 1000]),
)
def test_any_sequence_of_changes_matches_a_fresh_index(
    initial, operations, req, config, rebuild_after
):
    bulk_module_threshold = bulk_module._MIN_STALE_FOR_REBUILD
    bulk_module._MIN_STALE_FOR_REBUILD = rebuild_after
    try:
        index = CapabilityIndex(initial, config)
        caps = {cap.id: cap for cap in initial}
        for step, (kind, value) in enumerate(operations):
            if kind == "upsert":
                index.upsert(value)
                caps[value.id] = value
            elif kind == "many":
                index.upsert_many(value)
                caps.update((cap.id, cap) for cap in value)
            else:
                index.remove(value)
                caps.pop(value, None)
            if step % 3 == 0:  # score now and then, so deltas are built mid-sequence
                index.score_requirement(req, config)
        fresh = CapabilityIndex(list(caps.values()), config)
        assert index.stats == fresh.stats
        assert index.score_requirement(req, config).as_dict() == (
            fresh.score_requirement(req, config).as_dict()
        )
    finally:
        bulk_module._MIN_STALE_FOR_REBUILD = bulk_module_threshold


def test_changed_synonyms_reanalyse_the_index():
    index = CapabilityIndex(corpus(), CONFIG)
    plain = EngineConfig(today=TODAY, synonyms=())
    req = REQUIREMENTS[1]
    with_synonyms = index.score_requirement(req, CONFIG).as_dict()
    without = index.score_requirement(req, plain).as_dict()
    assert without == CapabilityIndex(corpus(), plain).score_requirement(req, plain).as_dict()
    assert without[5][0] < with_synonyms[5][0]  # "genset" no longer matches "generators"


def test_empty_index_scores_nothing():
    index = CapabilityIndex([], CONFIG)
    scores = index.score_requirement(make_req(), CONFIG)
    assert len(index) == 0
    assert len(scores) == 0
    assert scores.order().shape == (0,)
    assert scores.top().shape == (0,)
    index.upsert(make_cap(1))
    assert len(index.score_requirement(make_req(), CONFIG)) == 1


def bulk_scores(rows: list[tuple[int, float, bool]]) -> BulkScores:
    ids, scores, eligible = zip(*rows, strict=True)
    return BulkScores(
        capability_ids=np.array(ids, dtype=np.int64),
        scores=np.array(scores),
        eligible=np.array(eligible),
        blocker_mask=np.where(np.array(eligible), 0, BLOCKER_BITS["TOO_LATE"]),
    )


def test_order_is_eligible_first_then_score_descending_then_id_ascending():
    scores = bulk_scores(
        [(5, 70.0, True), (3, 90.0, False), (9, 70.0, True), (2, 70.0, True), (4, 80.5, True),
         (8, 95.0, False), (1, 10.0, True)]
    )  # fmt: skip
    ordered = [int(scores.capability_ids[i]) for i in scores.order()]
    assert ordered == [4, 2, 5, 9, 1, 8, 3]


def test_top_takes_the_best_eligible_then_the_best_blocked_including_ties():
    scores = bulk_scores(
        [(5, 70.0, True), (3, 90.0, False), (9, 70.0, True), (2, 70.0, True), (4, 80.5, True),
         (8, 95.0, False), (1, 10.0, True), (7, 60.0, False)]
    )  # fmt: skip
    picked = [int(scores.capability_ids[i]) for i in scores.top(n_eligible=3, n_blocked=2)]
    assert picked == [4, 2, 5, 8, 3]
    everything = [int(scores.capability_ids[i]) for i in scores.top(100, 100)]
    assert everything == [int(scores.capability_ids[i]) for i in scores.order()]
    assert scores.top(0, 0).shape == (0,)


def test_a_pickled_index_scores_like_the_original():
    import pickle

    config = EngineConfig(today=date(2026, 11, 24))
    caps = [make_cap(i, trl=4 + i % 5, monthly_capacity=10 * i + 1) for i in range(1, 30)]
    index = CapabilityIndex(caps, config)
    clone = pickle.loads(pickle.dumps(index))  # noqa: S301 - our own object
    req = make_req()
    assert (
        clone.score_requirement(req, config).as_dict()
        == index.score_requirement(req, config).as_dict()
    )
    assert clone.explain(req, [1, 2], config) == index.explain(req, [1, 2], config)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(capabilities(st.integers(1, 30)), max_size=10, unique_by=lambda c: c.id),
    st.lists(capabilities(st.integers(1, 30)), max_size=4),
    st.lists(requirements, min_size=1, max_size=3),
    configs,
)
def test_explain_equals_score_pair_after_any_upserts(initial, changes, reqs, config):
    # explain reads the index's stored text and memoises rules across rows; score_pair analyses
    # each pair from scratch. Rows sharing fields (ids are few) exercise the memos, upserts the
    # stale text rows.
    index = CapabilityIndex(initial, config)
    index.upsert_many(changes)
    caps = {cap.id: cap for cap in [*initial, *changes]}
    ids = sorted(caps) + sorted(caps)[:2]  # repeats are explained again
    for req in reqs:
        explained = index.explain(req, ids, config)
        assert explained == [score_pair(req, caps[i], config, index.stats) for i in ids]
