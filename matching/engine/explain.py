"""The explain path: full results with reasons for many capabilities against one requirement.

``scoring.score_pair`` is the reference; this gives the same MatchResults (a property test holds
them equal) at a fraction of the cost per row, by doing once per call what score_pair does per
pair, and by not doing twice what many rows share:

* the query, its norm and the idf of its terms are worked out once per call;
* a capability's text is not analysed again: the caller (the index) hands over, per row, the
  query terms its text holds with their frequencies, its weighted length and its support kinds,
  which is all ``bm25.relevance_match`` reads of a Document;
* every other rule reads only a few of the capability's fields, so its Component or Blocker is
  memoised for the call on exactly those fields. The readable rule functions still do all the
  work; capabilities sharing a category, a TRL or a licence position share the result.

The memo keys name every field their rule reads (see rules.py); when a rule starts reading
another field, add it to the key here (the explain-vs-score_pair property test should catch a
forgotten one).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .bm25 import CorpusStats, length_factor, query_norm, saturate, term_weight
from .config import SUPPORT_ITEM_FACTOR, EngineConfig
from .rules import (
    budget_blocker,
    capacity,
    category,
    certification_blocker,
    deadline_blocker,
    export_readiness,
    inactive_blocker,
    itar_blocker,
    licence_wait_weeks,
    maturity,
    price,
    relevance_scored,
    round1,
    round3,
    timeliness,
    trl_blocker,
)
from .text import Query
from .types import COMPONENTS, Blocker, CapabilityData, Component, MatchResult, RequirementData

# (query term position, term frequency), in query-term order.
Hits = Sequence[tuple[int, float]]

_NOT_EXPIRED = object()


class Explainer:
    """One requirement, its config and corpus statistics, ready to explain row after row."""

    def __init__(
        self,
        req: RequirementData,
        config: EngineConfig,
        stats: CorpusStats,
        query: Query,
        support_kinds: Sequence[str],
    ) -> None:
        self._req = req
        self._config = config
        self._query_kinds = query.support_kinds
        self._norm = query_norm(query, stats)
        self._avgdl = stats.avgdl
        # Per query term, what a hit on it needs: weight, idf, literal or concept, surface.
        self._terms = [(q.weight, stats.idf(q.term), q.literal, q.surface) for q in query.terms]
        self._has_words = any(q.literal for q in query.terms)
        self._kind_names = tuple(support_kinds)  # bit i of a kinds mask names support_kinds[i]
        self._unasked: dict[int, frozenset[str]] = {}
        self._weights = tuple(config.weights[name] for name in COMPONENTS)
        self._relevance_weight = config.weights["relevance"]
        self._weight_total = config.weight_total
        self._cert_codes = tuple(sorted(req.required_certifications))
        self._no_words = self._made(
            "relevance", relevance_scored(0.0, (), (), frozenset(), False, _NO_CAP)
        )
        # key -> Component for the components; key -> () or (Blocker,) for the blockers.
        self._category: dict[Any, Component] = {}
        self._capacity: dict[Any, Component] = {}
        self._timeliness: dict[Any, Component] = {}
        self._maturity: dict[Any, Component] = {}
        self._export: dict[Any, Component] = {}
        self._blocker_memos: tuple[dict[Any, tuple[Blocker, ...]], ...] = ({}, {}, {}, {}, {})

    def _made(self, name: str, scored: tuple[float, str]) -> Component:
        # As scoring.evaluate builds each component.
        return Component(name, round3(scored[0]), self._config.weights[name], scored[1])

    def _fill(
        self, memo: dict[Any, Component], name: str, rule: Any, cap: CapabilityData, key: Any
    ) -> Component:
        found = memo[key] = self._made(name, rule(self._req, cap, self._config))
        return found

    def results(
        self,
        caps: Sequence[CapabilityData],
        lengths: Sequence[int],
        kind_bits: Sequence[int],
        hits: Sequence[Hits],
    ) -> list[MatchResult]:
        """``score_pair`` for each capability, given its text's length, kinds and query hits."""
        req, config, fill = self._req, self._config, self._fill
        category_memo, capacity_memo = self._category, self._capacity
        timeliness_memo, maturity_memo, export_memo = self._timeliness, self._maturity, self._export
        weights, weight_total = self._weights, self._weight_total
        results = []
        for cap, length, bits, row_hits in zip(caps, lengths, kind_bits, hits, strict=True):
            # All the delivery rules read of a capability: its licence wait and its lead time.
            delivery = (licence_wait_weeks(cap, config), cap.lead_time_weeks)
            key: Any = (delivery, cap.monthly_capacity)
            ratings = (cap.trl, cap.field_proven, cap.report_ratings)
            licence = self._licence_key(cap)
            breakdown = (
                self._relevance(cap, length, bits, row_hits),
                category_memo.get(cap.category)
                or fill(category_memo, "category", category, cap, cap.category),
                capacity_memo.get(key) or fill(capacity_memo, "capacity", capacity, cap, key),
                timeliness_memo.get(delivery)
                or fill(timeliness_memo, "timeliness", timeliness, cap, delivery),
                # Not memoised: cheap, nearly unique per row, and 0.0 == -0.0 as a key while
                # their reasons differ.
                self._made("price", price(req, cap, config)),
                maturity_memo.get(ratings)
                or fill(maturity_memo, "maturity", maturity, cap, ratings),
                export_memo.get(licence)
                or fill(export_memo, "export_readiness", export_readiness, cap, licence),
            )
            # scoring.combine, in COMPONENTS order from 0.0, with the weights looked up once.
            total = 0.0
            for weight, component in zip(weights, breakdown, strict=True):
                total += weight * component.value
            blockers = self._blockers(cap, delivery)
            score = round1(100.0 * total / weight_total)
            results.append(MatchResult(req.id, cap.id, not blockers, score, blockers, breakdown))
        return results

    def _blockers(self, cap: CapabilityData, delivery: tuple[int, int]) -> tuple[Blocker, ...]:
        # In BLOCKER_RULES order, as scoring.evaluate collects them. A Blocker is memoised as a
        # 1-tuple and no blocker as (), so the row's blockers are their concatenation.
        trl, certified, itar, late, inactive = self._blocker_memos
        found = trl.get(cap.trl)
        if found is None:
            found = self._blocked(trl, trl_blocker, cap, cap.trl)
        if self._cert_codes:
            key = self._cert_key(cap)
            blocked = certified.get(key)
            found += (
                self._blocked(certified, certification_blocker, cap, key)
                if blocked is None
                else blocked
            )
        blocked = itar.get(cap.itar_free)
        found += (
            self._blocked(itar, itar_blocker, cap, cap.itar_free) if blocked is None else blocked
        )
        over = budget_blocker(self._req, cap, self._config)  # not memoised: see price
        if over is not None:
            found += (over,)
        blocked = late.get(delivery)
        found += (
            self._blocked(late, deadline_blocker, cap, delivery) if blocked is None else blocked
        )
        blocked = inactive.get(cap.active)
        found += (
            self._blocked(inactive, inactive_blocker, cap, cap.active)
            if blocked is None
            else blocked
        )
        return found

    def _blocked(
        self, memo: dict[Any, tuple[Blocker, ...]], rule: Any, cap: CapabilityData, key: Any
    ) -> tuple[Blocker, ...]:
        blocker = rule(self._req, cap, self._config)
        found = memo[key] = () if blocker is None else (blocker,)
        return found

    def _licence_key(self, cap: CapabilityData) -> tuple[object, ...]:
        # export_readiness reads the expiry date only to say when a licence expired; any date
        # from today on reads as "not expired", so all of those share one key.
        expiry = cap.licence_expiry
        if expiry is not None and expiry >= self._config.today:
            return cap.control_rating, cap.licence_status, _NOT_EXPIRED
        return cap.control_rating, cap.licence_status, expiry

    def _cert_key(self, cap: CapabilityData) -> tuple[object, ...]:
        # certification_blocker reads, per required code, whether it is held and its expiry.
        held = cap.certifications
        return tuple([(code in held, held.get(code)) for code in self._cert_codes])

    def _relevance(self, cap: CapabilityData, length: int, kind_bits: int, hits: Hits) -> Component:
        # bm25.relevance_match and rules.relevance, term for term in the same order.
        if not self._has_words:
            return self._no_words
        terms = self._terms
        k = length_factor(length, self._avgdl)
        total = 0.0
        # (-contribution, surface): sorting these orders hits as relevance_match does.
        literal: list[tuple[float, str]] = []
        concept: list[tuple[float, str]] = []
        for position, tf in hits:
            weight, idf, is_literal, surface = terms[position]
            contribution = weight * term_weight(idf, tf, k)
            total += contribution
            (literal if is_literal else concept).append((-contribution, surface))
        coverage = total / self._norm if self._norm > 0 else 0.0
        value = saturate(coverage)
        unasked = self._unasked_kinds(kind_bits)
        if unasked:
            value = value * SUPPORT_ITEM_FACTOR
        value, reason = relevance_scored(
            value, _best_first(literal), _best_first(concept), unasked, True, cap
        )
        return Component("relevance", round3(value), self._relevance_weight, reason)

    def _unasked_kinds(self, kind_bits: int) -> frozenset[str]:
        unasked = self._unasked.get(kind_bits)
        if unasked is None:
            kinds = frozenset(
                name for i, name in enumerate(self._kind_names) if kind_bits & (1 << i)
            )
            unasked = self._unasked[kind_bits] = kinds - self._query_kinds
        return unasked


def _best_first(hits: list[tuple[float, str]]) -> Sequence[str]:
    """Surfaces of (-contribution, surface) hits in relevance_match's order."""
    if not hits:
        return ()
    hits.sort()
    return [surface for _, surface in hits]


# relevance_scored reads the capability only once the query has words; this stands in before.
_NO_CAP: Any = None
