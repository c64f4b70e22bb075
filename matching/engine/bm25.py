"""BM25 over analysed text, and the relevance component's 0-1 normalisation."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .config import BM25_B, BM25_K1, COVERAGE_SATURATION, SUPPORT_ITEM_FACTOR
from .text import Document, Query, analyser_for
from .types import CapabilityData


class CorpusStats:
    """Document frequencies, document count and total length of the capability corpus.

    Lengths and frequencies are integers, so adding and removing documents one at a time gives
    exactly the statistics of a corpus built in one go.
    """

    def __init__(self) -> None:
        self.doc_freq: Counter[str] = Counter()
        self.doc_count = 0
        self.total_length = 0

    @classmethod
    def from_documents(cls, documents: Iterable[Document]) -> CorpusStats:
        stats = cls()
        for doc in documents:
            stats.add(doc.tf, doc.length)
        return stats

    @classmethod
    def from_counts(
        cls, doc_count: int, total_length: int, doc_freq: dict[str, int]
    ) -> CorpusStats:
        """Statistics as saved for one query: exact for every term that query holds."""
        stats = cls()
        stats.doc_count, stats.total_length = doc_count, total_length
        stats.doc_freq.update({term: df for term, df in doc_freq.items() if df > 0})
        return stats

    @classmethod
    def from_capabilities(
        cls, capabilities: Iterable[CapabilityData], synonyms: tuple[tuple[str, ...], ...]
    ) -> CorpusStats:
        analyser = analyser_for(synonyms)
        return cls.from_documents(analyser.capability_document(cap) for cap in capabilities)

    def add(self, terms: Iterable[str], length: int) -> None:
        """Count one document; ``terms`` must be distinct (a document's term set)."""
        # iter(): given a mapping (a document's tf), Counter.update would add its values.
        self.doc_freq.update(iter(terms))
        self.doc_count += 1
        self.total_length += length

    def add_many(self, terms: Iterable[str], documents: int, length: int) -> None:
        """Count several documents at once: ``terms`` chains their term sets."""
        self.doc_freq.update(iter(terms))
        self.doc_count += documents
        self.total_length += length

    def remove(self, terms: Iterable[str], length: int) -> None:
        for term in terms:
            left = self.doc_freq.get(term, 0) - 1
            if left > 0:
                self.doc_freq[term] = left
            else:
                self.doc_freq.pop(term, None)
        self.doc_count -= 1
        self.total_length -= length

    @property
    def avgdl(self) -> float:
        if self.doc_count <= 0 or self.total_length <= 0:
            return 1.0
        return self.total_length / self.doc_count

    def df(self, term: str) -> int:
        return self.doc_freq.get(term, 0)

    def idf(self, term: str) -> float:
        # The "+1 inside the log" form never goes negative, so a term in most documents still
        # counts a little instead of penalising the documents that contain it.
        df = self.doc_freq.get(term, 0)
        return math.log(1.0 + (self.doc_count - df + 0.5) / (df + 0.5))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CorpusStats):
            return NotImplemented
        return (self.doc_freq, self.doc_count, self.total_length) == (
            other.doc_freq,
            other.doc_count,
            other.total_length,
        )

    __hash__ = None  # type: ignore[assignment]


def length_factor(length: float, avgdl: float) -> float:
    """BM25's length normalisation for a document (the vectorised path repeats this exactly)."""
    return BM25_K1 * (1.0 - BM25_B + BM25_B * length / avgdl)


def term_weight(idf: float, tf: float, length_norm: float) -> float:
    """BM25 weight of one term in one document; below ``idf * (k1 + 1)``."""
    return idf * (tf * (BM25_K1 + 1.0)) / (tf + length_norm)


def query_norm(query: Query, stats: CorpusStats) -> float:
    """BM25 of an average-length document holding each of the requester's words once.

    Every word the requester wrote counts, including words no capability uses (at the highest
    idf): leaving those out would make a word's weight jump from the most to nothing as its
    last capability goes, and would leave a requirement in entirely new words with no scale.
    """
    norm = 0.0
    for q in query.terms:
        if q.literal:
            norm += q.weight * stats.idf(q.term)
    return norm


@dataclass(frozen=True)
class RelevanceMatch:
    value: float
    literal_hits: tuple[tuple[str, float], ...]  # (surface, contribution), best first
    concept_hits: tuple[tuple[str, float], ...]
    coverage: float
    unasked_support: frozenset[str]  # support kinds the capability is and the query did not ask for


def relevance_match(query: Query, doc: Document, stats: CorpusStats) -> RelevanceMatch:
    """Relevance 0-1 of a capability text to a requirement.

    Coverage is BM25 of the pair divided by ``query_norm``: 1.0 means "as good as an
    average-length capability text naming every word of the requirement once". Concept terms
    add to the numerator only, at their lower weight: they are alternatives for the requester's
    words, not further demands, so a capability is never marked down for lacking them. Coverage
    is then saturated (see COVERAGE_SATURATION) and capped at 1, and halved for a spares kit or
    course the requirement did not ask for. The value depends only on the pair and the corpus
    statistics.
    """
    norm = query_norm(query, stats)
    k = length_factor(doc.length, stats.avgdl)
    total = 0.0
    literal: list[tuple[str, float]] = []
    concept: list[tuple[str, float]] = []
    for q in query.terms:
        tf = doc.tf.get(q.term)
        if not tf:
            continue
        contribution = q.weight * term_weight(stats.idf(q.term), tf, k)
        total += contribution
        (literal if q.literal else concept).append((q.surface, contribution))
    coverage = total / norm if norm > 0 else 0.0
    value = saturate(coverage)
    unasked = doc.support_kinds - query.support_kinds
    if unasked:
        value = value * SUPPORT_ITEM_FACTOR
    literal.sort(key=lambda hit: (-hit[1], hit[0]))
    concept.sort(key=lambda hit: (-hit[1], hit[0]))
    return RelevanceMatch(value, tuple(literal), tuple(concept), coverage, unasked)


def saturate(coverage: float) -> float:
    c = COVERAGE_SATURATION
    return min(1.0, coverage * (1.0 + c) / (coverage + c))


def bm25(query_terms: Iterable[str], doc: Document, stats: CorpusStats) -> float:
    """Plain, unnormalised BM25 (one unit of weight per distinct query term)."""
    k = length_factor(doc.length, stats.avgdl)
    total = 0.0
    for term in sorted(set(query_terms)):
        tf = doc.tf.get(term)
        if tf:
            total += term_weight(stats.idf(term), tf, k)
    return total
