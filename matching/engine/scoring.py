"""The readable path: one requirement against one capability, rule by rule."""

from __future__ import annotations

from collections.abc import Sequence

from .bm25 import CorpusStats
from .config import EngineConfig
from .rules import (
    BLOCKER_RULES,
    capacity,
    category,
    export_readiness,
    maturity,
    price,
    relevance,
    round1,
    round3,
    timeliness,
)
from .text import Document, Query, analyser_for
from .types import COMPONENTS, CapabilityData, Component, MatchResult, RequirementData


def score_pair(
    req: RequirementData, cap: CapabilityData, config: EngineConfig, stats: CorpusStats
) -> MatchResult:
    """Blockers, breakdown and score of one capability for one requirement."""
    analyser = analyser_for(config.synonyms)
    query = analyser.query(req.title, req.description)
    return evaluate(req, cap, config, stats, query, analyser.capability_document(cap))


def score_capability(
    cap: CapabilityData,
    reqs: Sequence[RequirementData],
    config: EngineConfig,
    stats: CorpusStats,
) -> list[MatchResult]:
    """One capability against many requirements (its text is analysed once)."""
    analyser = analyser_for(config.synonyms)
    doc = analyser.capability_document(cap)
    return [
        evaluate(req, cap, config, stats, analyser.query(req.title, req.description), doc)
        for req in reqs
    ]


def score_requirement_pairs(
    req: RequirementData,
    caps: Sequence[CapabilityData],
    config: EngineConfig,
    stats: CorpusStats,
) -> list[MatchResult]:
    """One requirement against a few capabilities (its query is analysed once)."""
    analyser = analyser_for(config.synonyms)
    query = analyser.query(req.title, req.description)
    return [
        evaluate(req, cap, config, stats, query, analyser.capability_document(cap)) for cap in caps
    ]


def evaluate(
    req: RequirementData,
    cap: CapabilityData,
    config: EngineConfig,
    stats: CorpusStats,
    query: Query,
    doc: Document,
) -> MatchResult:
    blockers = tuple(b for rule in BLOCKER_RULES if (b := rule(req, cap, config)) is not None)
    scored = {
        "relevance": relevance(query, doc, stats, cap),
        "category": category(req, cap, config),
        "capacity": capacity(req, cap, config),
        "timeliness": timeliness(req, cap, config),
        "price": price(req, cap, config),
        "maturity": maturity(req, cap, config),
        "export_readiness": export_readiness(req, cap, config),
    }
    breakdown = tuple(
        Component(name, round3(scored[name][0]), config.weights[name], scored[name][1])
        for name in COMPONENTS
    )
    return MatchResult(
        requirement_id=req.id,
        capability_id=cap.id,
        eligible=not blockers,
        score=combine([c.value for c in breakdown], config),
        blockers=blockers,
        breakdown=breakdown,
    )


def combine(values: Sequence[float], config: EngineConfig) -> float:
    """Weighted mean of the rounded component values, as 0-100 with one decimal.

    Blocked capabilities get a score too: near misses are shown with it.
    """
    total = 0.0
    for name, value in zip(COMPONENTS, values, strict=True):
        total += config.weights[name] * value
    return round1(100.0 * total / config.weight_total)
