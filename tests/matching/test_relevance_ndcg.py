"""Ranking quality on a hand-labelled set (labelled_set.json): nDCG@10 of the engine's match list.

The engine's ranking (eligible first, score descending, id ascending) is compared with plain
literal BM25 on the same text: no synonyms, no concept layer, no other components. Run with
``-s`` to see both figures.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from matching.engine import (
    CapabilityData,
    CapabilityIndex,
    CorpusStats,
    EngineConfig,
    RequirementData,
)
from matching.engine.bm25 import bm25
from matching.engine.text import Analyser

LABELLED = Path(__file__).with_name("labelled_set.json")
K = 10
# Measured 0.928 for the engine and 0.783 for BM25-only when this floor was set: a little below,
# so an honest regression fails and a harmless tweak elsewhere does not.
ENGINE_NDCG_FLOOR = 0.90


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def load() -> dict[str, Any]:
    data = json.loads(LABELLED.read_text(encoding="utf-8"))
    caps = []
    for i, raw in enumerate(data["capabilities"], start=1):
        fields = {**data["capability_defaults"], **raw}
        caps.append(
            CapabilityData(
                id=i,
                firm_id=fields["firm_id"],
                reference=fields["reference"],
                name=fields["name"],
                description=fields["description"],
                keywords=tuple(fields["keywords"]),
                category=fields["category"],
                trl=fields["trl"],
                unit_price_gbp=fields["unit_price_gbp"],
                monthly_capacity=fields["monthly_capacity"],
                lead_time_weeks=fields["lead_time_weeks"],
                control_rating=fields["control_rating"],
                licence_status=fields["licence_status"],
                licence_expiry=_date(fields["licence_expiry"]),
                itar_free=fields["itar_free"],
                field_proven=fields["field_proven"],
                active=fields["active"],
                certifications={k: _date(v) for k, v in fields["certifications"].items()},
                report_ratings=tuple(fields["report_ratings"]),
            )
        )
    reqs, grades = [], []
    for i, raw in enumerate(data["requirements"], start=1):
        fields = {**data["requirement_defaults"], **raw}
        reqs.append(
            RequirementData(
                id=i,
                reference=fields["reference"],
                title=fields["title"],
                description=fields["description"],
                category=fields["category"],
                quantity=fields["quantity"],
                needed_by=date.fromisoformat(fields["needed_by"]),
                max_unit_price_gbp=fields["max_unit_price_gbp"],
                min_trl=fields["min_trl"],
                required_certifications=frozenset(fields["required_certifications"]),
                itar_free_required=fields["itar_free_required"],
            )
        )
        grades.append(fields["relevance"])
    config = EngineConfig(
        today=date.fromisoformat(data["today"]),
        category_relations=frozenset(tuple(pair) for pair in data["category_relations"]),
    )
    return {"caps": caps, "reqs": reqs, "grades": grades, "config": config}


def ndcg_at_k(ranked_refs: list[str], grades: dict[str, int], k: int = K) -> float:
    def dcg(gains: list[int]) -> float:
        return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(gains[:k]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(ref, 0) for ref in ranked_refs]) / ideal if ideal else 0.0


def engine_rankings(labelled: dict[str, Any]) -> list[list[str]]:
    config, caps = labelled["config"], labelled["caps"]
    index = CapabilityIndex(caps, config)
    ref_of = {cap.id: cap.reference for cap in caps}
    rankings = []
    for req in labelled["reqs"]:
        scores = index.score_requirement(req, config)
        rankings.append([ref_of[int(scores.capability_ids[i])] for i in scores.order()])
    return rankings


def bm25_rankings(labelled: dict[str, Any]) -> list[list[str]]:
    plain = Analyser(synonyms=(), broader_terms=(), concepts=())
    docs = {
        cap.id: plain.document("", " ".join([cap.name, cap.description, *cap.keywords]), ())
        for cap in labelled["caps"]
    }
    stats = CorpusStats.from_documents(docs.values())
    rankings = []
    for req in labelled["reqs"]:
        terms = plain.terms(f"{req.title} {req.description}")
        scored = sorted(labelled["caps"], key=lambda c: (-bm25(terms, docs[c.id], stats), c.id))
        rankings.append([cap.reference for cap in scored])
    return rankings


@pytest.fixture(scope="module")
def labelled() -> dict[str, Any]:
    return load()


def test_labelled_set_is_consistent(labelled):
    refs = [cap.reference for cap in labelled["caps"]]
    assert len(refs) == len(set(refs))
    for grades in labelled["grades"]:
        assert set(grades) <= set(refs)
        assert set(grades.values()) <= {0, 1, 2, 3}
        assert 3 in grades.values()


def mean_ndcg(rankings: list[list[str]], grades: list[dict[str, int]]) -> list[float]:
    return [ndcg_at_k(ranking, g) for ranking, g in zip(rankings, grades, strict=True)]


def test_engine_ranking_beats_plain_bm25(labelled):
    engine = mean_ndcg(engine_rankings(labelled), labelled["grades"])
    plain = mean_ndcg(bm25_rankings(labelled), labelled["grades"])
    engine_mean, plain_mean = sum(engine) / len(engine), sum(plain) / len(plain)
    # The figures are part of the engine's report: run with -s to see them.
    lines = [
        f"nDCG@{K} over {len(engine)} requirements: engine {engine_mean:.3f}, "
        f"BM25-only {plain_mean:.3f}"
    ]
    lines += [
        f"  {req.reference}  engine {e:.3f}  bm25 {p:.3f}  {req.title}"
        for req, e, p in zip(labelled["reqs"], engine, plain, strict=True)
    ]
    print("\n" + "\n".join(lines))  # noqa: T201
    assert engine_mean >= ENGINE_NDCG_FLOOR
    assert engine_mean > plain_mean


def test_grade_three_kit_is_eligible_and_blocked_kit_is_not_graded_above_one(labelled):
    # The grades were written with the hard constraints in mind; this keeps the file honest
    # when the data or the blocker rules change.
    index = CapabilityIndex(labelled["caps"], labelled["config"])
    id_of = {cap.reference: cap.id for cap in labelled["caps"]}
    for req, grades in zip(labelled["reqs"], labelled["grades"], strict=True):
        outcome = index.score_requirement(req, labelled["config"]).as_dict()
        for ref, grade in grades.items():
            _, eligible, blockers = outcome[id_of[ref]]
            if grade == 3:
                assert eligible, (req.reference, ref, blockers)
            if not eligible:
                assert grade <= 1, (req.reference, ref, blockers)
