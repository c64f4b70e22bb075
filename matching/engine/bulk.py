"""The vectorised path: one requirement against every capability in an in-memory index.

Each capability occupies a row ("slot") of numpy columns; its text is a row of a CSC doc-term
matrix of pseudo-term-frequencies. BM25 weights are computed per query from the few columns the
query touches, using the live corpus statistics, so an upsert never leaves stale weights behind.

Keeping the index warm must be cheap. An upsert overwrites the row's numbers in place and, when
the text changed, appends the new terms to a buffer and marks the row stale; stale rows are
scored from a small delta matrix built on demand. Once stale rows pile up (or removed rows waste
space) the main matrix is rebuilt once, lazily, at the next query.

The component arithmetic lives in ``vector_rules.py``, which repeats ``rules.py`` operation for
operation, so the two paths agree to the last bit; a property test holds them equal.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import Any

import numpy as np
import scipy.sparse as sp

from . import vector_rules as vr
from .bm25 import CorpusStats, query_norm
from .config import (
    BM25_B,
    BM25_K1,
    COVERAGE_SATURATION,
    NO_LICENCE_RATING,
    SUPPORT_ITEM_FACTOR,
    EngineConfig,
)
from .explain import Explainer
from .rules import category_fit
from .text import Analyser, Document, Query, analyser_for
from .types import (
    COMPONENTS,
    CapabilityData,
    MatchResult,
    RequirementData,
    codes_from_mask,
)
from .vector_rules import NO_EXPIRY, NONE_STATUS, STATUS_CODE

_NOT_HELD = -1
# Rebuild the main text matrix once this many rows are stale (changed text or removed).
_MIN_STALE_FOR_REBUILD = 1024
_STALE_SHARE_FOR_REBUILD = 0.05

_NUMBER_COLUMNS = (
    "trl",
    "has_price",
    "price",
    "monthly",
    "lead",
    "controlled",
    "status",
    "licence_expiry",
    "itar_free",
    "proven",
    "active",
    "rating_sum",
    "rating_count",
    "category",
)
_COLUMNS: dict[str, tuple[type, object]] = {
    "id": (np.int64, 0),
    "alive": (np.bool_, False),
    "stale": (np.bool_, False),
    "trl": (np.int64, 0),
    "price": (np.float64, np.nan),
    "has_price": (np.bool_, False),
    "monthly": (np.int64, 0),
    "lead": (np.int64, 0),
    "controlled": (np.bool_, False),
    "status": (np.int64, NONE_STATUS),
    "licence_expiry": (np.int64, NO_EXPIRY),
    "itar_free": (np.bool_, False),
    "proven": (np.bool_, False),
    "active": (np.bool_, False),
    "rating_sum": (np.int64, 0),
    "rating_count": (np.int64, 0),
    "category": (np.int64, 0),
    "length": (np.int64, 0),
    "support_kinds": (np.int64, 0),
    "text_start": (np.int64, 0),
    "text_end": (np.int64, 0),
}


@dataclass(frozen=True)
class BulkScores:
    """Scores of every indexed capability for one requirement; arrays share one order."""

    capability_ids: np.ndarray  # int64
    scores: np.ndarray  # float64, 0-100, one decimal
    eligible: np.ndarray  # bool
    blocker_mask: np.ndarray  # int64, BLOCKER_BITS
    # Each component's value in thousandths (the rounding the score adds up), COMPONENTS order.
    components: np.ndarray | None = None  # int32, shape (n, len(COMPONENTS))

    def __len__(self) -> int:
        return int(self.capability_ids.shape[0])

    def order(self) -> np.ndarray:
        """Indices in match-list order: eligible first, score descending, id ascending."""
        return np.lexsort((self.capability_ids, -self.scores, ~self.eligible))

    def top(self, n_eligible: int = 200, n_blocked: int = 20) -> np.ndarray:
        """Indices of the best eligible rows, then the best blocked near misses, in order."""
        return np.concatenate(
            [self._best(self.eligible, n_eligible), self._best(~self.eligible, n_blocked)]
        )

    def _best(self, mask: np.ndarray, n: int) -> np.ndarray:
        rows = np.flatnonzero(mask)
        if n <= 0:
            return rows[:0]
        if rows.shape[0] > n:
            # Partition first so only the n best (and rows tied with the n-th) get sorted.
            scores = self.scores[rows]
            cutoff = np.partition(scores, scores.shape[0] - n)[scores.shape[0] - n]
            rows = rows[scores >= cutoff]
        ranked = rows[np.lexsort((self.capability_ids[rows], -self.scores[rows]))]
        return ranked[:n]

    def blocker_codes(self, index: int) -> tuple[str, ...]:
        return codes_from_mask(int(self.blocker_mask[index]))

    def as_dict(self) -> dict[int, tuple[float, bool, tuple[str, ...]]]:
        """{capability id: (score, eligible, blocker codes)}; for tests and small indexes."""
        return {
            int(cid): (float(score), bool(ok), codes_from_mask(int(mask)))
            for cid, score, ok, mask in zip(
                self.capability_ids, self.scores, self.eligible, self.blocker_mask, strict=True
            )
        }


# (today, licence wait weeks, slot count) and the arrays worked out for them.
_Fixed = tuple[tuple[date, int, int], dict[str, np.ndarray]]


@dataclass(frozen=True)
class _TextMatrix:
    """A CSC matrix's raw arrays; ``slots`` maps its rows to index slots (None: row = slot)."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    slots: np.ndarray | None

    @property
    def n_terms(self) -> int:
        return int(self.indptr.shape[0]) - 1


class CapabilityIndex:
    """All capabilities, ready to be scored against a requirement in one vectorised pass."""

    def __init__(self, capabilities: Iterable[CapabilityData], config: EngineConfig) -> None:
        self._load(list(capabilities), config.synonyms)

    # --- persistence -----------------------------------------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        # The analyser holds a lock and per-process caches; the next process makes its own.
        state = self.__dict__.copy()
        state.pop("_analyser", None)
        state["_fixed"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._fixed: _Fixed | None = None  # absent from files saved before it existed
        self.__dict__.update(state)
        self._analyser: Analyser = analyser_for(self._synonyms)

    # --- maintenance ---------------------------------------------------------------------

    def _load(
        self, capabilities: list[CapabilityData], synonyms: tuple[tuple[str, ...], ...]
    ) -> None:
        self._synonyms = synonyms
        self._analyser = analyser_for(synonyms)
        self._stats = CorpusStats()
        self._caps: dict[int, CapabilityData] = {}
        self._slot: dict[int, int] = {}
        self._size = 0
        self._cols: dict[str, np.ndarray] = {
            name: np.full(0, fill, dtype=dtype) for name, (dtype, fill) in _COLUMNS.items()
        }
        self._certs = np.full((0, 0), _NOT_HELD, dtype=np.int64)
        self._cert_col: dict[str, int] = {}
        self._categories: dict[str, int] = {}
        self._terms: dict[str, int] = {}
        self._term_names: list[str] = []
        self._text_terms = np.zeros(0, dtype=np.int32)
        self._text_tf = np.zeros(0, dtype=np.float64)
        self._text_used = 0
        self._stale_count = 0
        self._main: _TextMatrix | None = None
        self._delta: _TextMatrix | None = None
        self._alive_rows: np.ndarray | None = None
        # What scoring reads that no requirement changes, for one day's config (_fixed_parts).
        self._fixed = None
        self.upsert_many(capabilities)
        self._rebuild_text()

    def upsert(self, cap: CapabilityData) -> None:
        """Add or replace one capability; cheap, the text matrix catches up lazily."""
        old = self._caps.get(cap.id)
        slots = self._new_slots([cap.id]) if old is None else np.array([self._slot[cap.id]])
        if old is not None and _text_of(old) == _text_of(cap):
            self._write(slots, [cap], None)
            return
        if old is not None:
            self._forget_text(int(slots[0]))
        self._write(slots, [cap], self._documents([cap]))

    def upsert_many(self, capabilities: Iterable[CapabilityData]) -> None:
        """Upsert a batch (an import, a catch-up after downtime) with batched array writes."""
        with _collector_paused():
            self._upsert_many(capabilities)

    def _upsert_many(self, capabilities: Iterable[CapabilityData]) -> None:
        latest = {cap.id: cap for cap in capabilities}
        new = [cap for cap_id, cap in latest.items() if cap_id not in self._caps]
        known = [cap for cap_id, cap in latest.items() if cap_id in self._caps]
        same_text = [cap for cap in known if _text_of(self._caps[cap.id]) == _text_of(cap)]
        new_text = [cap for cap in known if _text_of(self._caps[cap.id]) != _text_of(cap)]
        for cap in new_text:
            self._forget_text(self._slot[cap.id])
        self._write(self._slots_of(same_text), same_text, None)
        self._write(self._slots_of(new_text), new_text, self._documents(new_text))
        self._write(self._new_slots([cap.id for cap in new]), new, self._documents(new))

    def _slots_of(self, caps: list[CapabilityData]) -> np.ndarray:
        return np.array([self._slot[cap.id] for cap in caps], dtype=np.int64)

    def _documents(self, caps: list[CapabilityData]) -> list[Document]:
        return [self._analyser.capability_document(cap) for cap in caps]

    def remove(self, capability_id: int) -> None:
        slot = self._slot.pop(capability_id, None)
        if slot is None:
            return
        del self._caps[capability_id]
        self._forget_text(slot)
        self._cols["alive"][slot] = False
        self._alive_rows = None
        self._fixed = None

    def __len__(self) -> int:
        return len(self._caps)

    def __contains__(self, capability_id: object) -> bool:
        return capability_id in self._caps

    def get(self, capability_id: int) -> CapabilityData:
        return self._caps[capability_id]

    @property
    def stats(self) -> CorpusStats:
        return self._stats

    def _reserve(self, extra: int) -> None:
        needed = self._size + extra
        capacity = self._cols["id"].shape[0]
        if needed <= capacity:
            return
        new_capacity = max(needed, 2 * capacity, 64)
        for name, (dtype, fill) in _COLUMNS.items():
            grown: np.ndarray = np.full(new_capacity, fill, dtype=dtype)
            grown[:capacity] = self._cols[name]
            self._cols[name] = grown
        certs = np.full((new_capacity, self._certs.shape[1]), _NOT_HELD, dtype=np.int64)
        certs[:capacity] = self._certs
        self._certs = certs

    def _new_slots(self, capability_ids: list[int]) -> np.ndarray:
        self._reserve(len(capability_ids))
        slots = np.arange(self._size, self._size + len(capability_ids))
        self._size += len(capability_ids)
        self._slot.update(zip(capability_ids, slots.tolist(), strict=True))
        self._cols["id"][slots] = capability_ids
        self._cols["alive"][slots] = True
        self._alive_rows = None
        return slots

    def _write(
        self, slots: np.ndarray, caps: list[CapabilityData], docs: list[Document] | None
    ) -> None:
        """Store capabilities in their slots; ``docs`` is None when the text is unchanged."""
        if not caps:
            return
        self._fixed = None
        for cap in caps:
            self._caps[cap.id] = cap
        rows = [self._number_row(cap) for cap in caps]
        for name, values in zip(_NUMBER_COLUMNS, zip(*rows, strict=True), strict=True):
            self._cols[name][slots] = values
        self._write_certificates(slots, caps)
        if docs is not None:
            self._write_text(slots, docs)

    def _number_row(self, cap: CapabilityData) -> tuple[object, ...]:
        """One capability's values for _NUMBER_COLUMNS, in that order."""
        status = cap.licence_status if cap.licence_status in STATUS_CODE else "NONE"
        return (
            cap.trl,
            cap.unit_price_gbp is not None,
            np.nan if cap.unit_price_gbp is None else cap.unit_price_gbp,
            cap.monthly_capacity,
            cap.lead_time_weeks,
            cap.control_rating != NO_LICENCE_RATING,
            STATUS_CODE[status],
            _ordinal(cap.licence_expiry),
            cap.itar_free,
            cap.field_proven,
            cap.active,
            sum(cap.report_ratings),
            len(cap.report_ratings),
            self._categories.setdefault(cap.category, len(self._categories)),
        )

    def _write_certificates(self, slots: np.ndarray, caps: list[CapabilityData]) -> None:
        held = [
            (slot, code, _ordinal(expiry))
            for slot, cap in zip(slots.tolist(), caps, strict=True)
            for code, expiry in cap.certifications.items()
        ]
        for code in sorted({code for _, code, _ in held} - self._cert_col.keys()):
            self._cert_col[code] = self._certs.shape[1]
            extra = np.full((self._certs.shape[0], 1), _NOT_HELD, dtype=np.int64)
            self._certs = np.hstack([self._certs, extra])
        self._certs[slots] = _NOT_HELD
        if held:
            rows, codes, expiries = zip(*held, strict=True)
            self._certs[list(rows), [self._cert_col[c] for c in codes]] = expiries

    def _write_text(self, slots: np.ndarray, docs: list[Document]) -> None:
        # Appends to the text buffers; the slots' old text stays behind as garbage until the
        # next rebuild. Whole batches go through C-level iteration: this is the cold-start path.
        terms = list(chain.from_iterable(doc.tf for doc in docs))
        for term in sorted(set(terms) - self._terms.keys()):
            self._terms[term] = len(self._term_names)
            self._term_names.append(term)
        counts = np.fromiter((len(doc.tf) for doc in docs), dtype=np.int64, count=len(docs))
        start = self._text_used
        end = start + len(terms)
        if end > self._text_terms.shape[0]:
            capacity = max(end, 2 * self._text_terms.shape[0], 1024)
            self._text_terms = np.resize(self._text_terms, capacity)
            self._text_tf = np.resize(self._text_tf, capacity)
        self._text_terms[start:end] = np.fromiter(
            map(self._terms.__getitem__, terms), dtype=np.int32, count=len(terms)
        )
        self._text_tf[start:end] = np.fromiter(
            chain.from_iterable(doc.tf.values() for doc in docs), dtype=np.float64, count=len(terms)
        )
        self._text_used = end
        self._cols["text_end"][slots] = start + np.cumsum(counts)
        self._cols["text_start"][slots] = self._cols["text_end"][slots] - counts
        self._cols["length"][slots] = [doc.length for doc in docs]
        self._cols["support_kinds"][slots] = [self._kind_bits(doc.support_kinds) for doc in docs]
        self._stats.add_many(terms, len(docs), sum(doc.length for doc in docs))
        self._mark_stale(slots)

    def _forget_text(self, slot: int) -> None:
        start, end = self._cols["text_start"][slot], self._cols["text_end"][slot]
        terms = [self._term_names[t] for t in self._text_terms[start:end]]
        self._stats.remove(terms, int(self._cols["length"][slot]))
        self._mark_stale(np.array([slot]))

    def _mark_stale(self, slots: np.ndarray) -> None:
        stale = self._cols["stale"]
        self._stale_count += int(np.count_nonzero(~stale[slots]))
        stale[slots] = True
        self._delta = None

    def _kind_bits(self, kinds: frozenset[str]) -> int:
        return sum(
            1 << i for i, (kind, _) in enumerate(self._analyser.support_kinds) if kind in kinds
        )

    def _rebuild_text(self) -> None:
        """Drop removed rows and rebuild the main text matrix from every live row."""
        keep = np.flatnonzero(self._cols["alive"][: self._size])
        for name in _COLUMNS:
            self._cols[name][: keep.shape[0]] = self._cols[name][keep]
        self._certs[: keep.shape[0]] = self._certs[keep]
        self._size = int(keep.shape[0])
        self._cols["alive"][self._size :] = False
        ids = self._cols["id"][: self._size]
        self._slot = dict(zip(ids.tolist(), range(self._size), strict=True))
        self._main = self._text_matrix(np.arange(self._size), compact=True)
        self._cols["stale"][:] = False
        self._stale_count = 0
        self._delta = None
        self._alive_rows = None
        self._fixed = None

    def _gather(self, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Buffer positions of the slots' text, one after the other; lengths; offsets."""
        starts = self._cols["text_start"][slots]
        lengths = self._cols["text_end"][slots] - starts
        offsets = np.cumsum(lengths) - lengths
        gather = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
        return gather, lengths, offsets

    def _text_matrix(self, slots: np.ndarray, compact: bool = False) -> _TextMatrix:
        gather, lengths, offsets = self._gather(slots)
        terms, tfs = self._text_terms[gather], self._text_tf[gather]
        if compact:
            # The rows now own a fresh, gap-free buffer; superseded text is dropped.
            self._text_terms, self._text_tf = terms.copy(), tfs.copy()
            self._text_used = int(terms.shape[0])
            self._cols["text_start"][slots] = offsets
            self._cols["text_end"][slots] = offsets + lengths
        rows = np.repeat(np.arange(slots.shape[0]), lengths)
        shape = (int(slots.shape[0]), len(self._term_names))
        matrix = sp.csc_matrix((tfs, (rows, terms)), shape=shape)
        return _TextMatrix(matrix.indptr, matrix.indices, matrix.data, None if compact else slots)

    def _refresh(self, config: EngineConfig) -> None:
        if config.synonyms != self._synonyms:
            # New synonym groups change every document's terms: re-analyse everything once.
            self._load(list(self._caps.values()), config.synonyms)
            return
        limit = max(_MIN_STALE_FOR_REBUILD, _STALE_SHARE_FOR_REBUILD * len(self._caps))
        if self._stale_count > limit:
            self._rebuild_text()
        elif self._stale_count and self._delta is None:
            live = self._cols["alive"][: self._size]
            stale = np.flatnonzero(self._cols["stale"][: self._size] & live)
            self._delta = self._text_matrix(stale)

    # --- scoring ---------------------------------------------------------------------------

    def explain(
        self, req: RequirementData, capability_ids: Sequence[int], config: EngineConfig
    ) -> list[MatchResult]:
        """Full results with reasons for the chosen capabilities, equal to ``score_pair``'s.

        The index already holds each capability's analysed text, so it is not analysed again:
        see ``explain.py``.
        """
        self._refresh(config)
        caps = [self._caps[cid] for cid in capability_ids]
        if not caps:
            return []
        query = self._analyser.query(req.title, req.description)
        kinds = [kind for kind, _ in self._analyser.support_kinds]
        explainer = Explainer(req, config, self._stats, query, kinds)
        slots = np.array([self._slot[cap.id] for cap in caps], dtype=np.int64)
        lengths = self._cols["length"][slots].tolist()
        kind_bits = self._cols["support_kinds"][slots].tolist()
        hits = self._query_hits(slots, query)
        return explainer.results(caps, lengths, kind_bits, hits)

    def _query_hits(self, slots: np.ndarray, query: Query) -> list[list[tuple[int, float]]]:
        """Per slot, (query term position, tf) of the query terms its text holds, in query order."""
        position_of = np.full(len(self._term_names), -1, dtype=np.int64)
        for position, q in enumerate(query.terms):
            term_id = self._terms.get(q.term)
            if term_id is not None:
                position_of[term_id] = position
        gather, lengths, _ = self._gather(slots)
        positions = position_of[self._text_terms[gather]]
        found = np.flatnonzero(positions >= 0)
        rows = np.repeat(np.arange(slots.shape[0]), lengths)[found]
        positions = positions[found]
        order = np.lexsort((positions, rows))
        hits: list[list[tuple[int, float]]] = [[] for _ in range(slots.shape[0])]
        for row, position, tf in zip(
            rows[order].tolist(),
            positions[order].tolist(),
            self._text_tf[gather[found[order]]].tolist(),
            strict=True,
        ):
            hits[row].append((position, tf))
        return hits

    def score_requirement(self, req: RequirementData, config: EngineConfig) -> BulkScores:
        """Score, eligibility and blockers of every indexed capability for ``req``."""
        self._refresh(config)
        n = self._size
        cols = {name: column[:n] for name, column in self._cols.items()}
        available = (req.needed_by - config.today).days
        fixed = self._fixed_parts(cols, config)
        slack = available - 7 * (fixed["waiting"] + cols["lead"])
        values = {
            "relevance": self._relevance(req, cols, fixed["length_norm"]),
            "category": self._category(req, cols, config),
            "capacity": vr.capacity(slack, cols["monthly"], max(req.quantity, 1)),
            "timeliness": vr.timeliness(slack, available),
            "price": vr.price(cols, req.max_unit_price_gbp),
            "maturity": fixed["maturity"],
            "export_readiness": fixed["export_readiness"],
        }
        total = np.zeros(n)
        thousandths = np.empty((n, len(COMPONENTS)), dtype=np.int32)
        for i, name in enumerate(COMPONENTS):
            rounded = np.floor(values[name] * 1000.0 + 0.5)
            thousandths[:, i] = rounded
            total += config.weights[name] * (rounded / 1000.0)
        scores = np.floor(100.0 * total / config.weight_total * 10.0 + 0.5) / 10.0
        mask = vr.blocker_mask(req, cols, slack, self._missing_certificates(req, config))
        rows = self._live_rows()
        if rows.shape[0] == n:
            # Every slot is live (the usual case after a rebuild): no copies to gather.
            return BulkScores(cols["id"].copy(), scores, mask == 0, mask, thousandths)
        return BulkScores(
            capability_ids=cols["id"][rows],
            scores=scores[rows],
            eligible=mask[rows] == 0,
            blocker_mask=mask[rows],
            components=thousandths[rows],
        )

    def _fixed_parts(
        self, cols: dict[str, np.ndarray], config: EngineConfig
    ) -> dict[str, np.ndarray]:
        """The licence wait, maturity, export readiness and BM25 length normalisation of every
        slot: they depend on the capabilities and the day's config, not on the requirement, so
        they are worked out once per change of the index or of the day, not per requirement."""
        key = (config.today, config.licence_wait_weeks, self._size)
        if self._fixed is None or self._fixed[0] != key:
            parts = {
                "waiting": vr.waiting(cols, config),
                "maturity": vr.maturity(cols),
                "export_readiness": vr.export_readiness(cols, config),
                # BM25's length normalisation: the corpus figures change only with the index.
                "length_norm": BM25_K1
                * (1.0 - BM25_B + BM25_B * cols["length"] / self._stats.avgdl),
            }
            self._fixed = (key, parts)
        return self._fixed[1]

    def query_context(self, req: RequirementData) -> tuple[int, int, dict[str, int]]:
        """What scoring ``req`` read of the corpus: documents, total length, its terms' df."""
        query = self._analyser.query(req.title, req.description)
        stats = self._stats
        return (
            stats.doc_count,
            stats.total_length,
            {q.term: stats.df(q.term) for q in query.terms},
        )

    def _live_rows(self) -> np.ndarray:
        if self._alive_rows is None:
            self._alive_rows = np.flatnonzero(self._cols["alive"][: self._size])
        return self._alive_rows

    def _relevance(
        self, req: RequirementData, cols: dict[str, np.ndarray], length_norm: np.ndarray
    ) -> np.ndarray:
        query = self._analyser.query(req.title, req.description)
        norm = query_norm(query, self._stats)
        n = cols["id"].shape[0]
        if norm <= 0:
            return np.zeros(n)
        total = np.zeros(n)
        if self._main is not None:
            self._add_bm25(total, self._main, query, length_norm)
        if self._delta is not None and self._delta.slots is not None:
            # Stale rows start again from zero, then get their current text's terms.
            total[self._delta.slots] = 0.0
            self._add_bm25(total, self._delta, query, length_norm)
        coverage = total / norm
        c = COVERAGE_SATURATION
        value = np.minimum(1.0, coverage * (1.0 + c) / (coverage + c))
        unasked = cols["support_kinds"] & ~self._kind_bits(query.support_kinds)
        return np.where(unasked != 0, value * SUPPORT_ITEM_FACTOR, value)

    def _add_bm25(
        self,
        total: np.ndarray,
        matrix: _TextMatrix,
        query: Query,
        length_norm: np.ndarray,
    ) -> None:
        # Terms in the query's fixed order, as bm25.relevance_match adds them.
        for q in query.terms:
            term_id = self._terms.get(q.term)
            if term_id is None or term_id >= matrix.n_terms:
                continue
            lo, hi = matrix.indptr[term_id], matrix.indptr[term_id + 1]
            if lo == hi:
                continue
            rows = matrix.indices[lo:hi]
            if matrix.slots is not None:
                rows = matrix.slots[rows]
            tf = matrix.data[lo:hi]
            idf = self._stats.idf(q.term)
            total[rows] += q.weight * (idf * (tf * (BM25_K1 + 1.0)) / (tf + length_norm[rows]))

    def _category(
        self, req: RequirementData, cols: dict[str, np.ndarray], config: EngineConfig
    ) -> np.ndarray:
        # The readable rule itself, once per category code in the index.
        by_code = np.zeros(max(len(self._categories), 1))
        for code, index in self._categories.items():
            by_code[index] = category_fit(req.category, code, config)[0]
        return by_code[cols["category"]]

    def _missing_certificates(self, req: RequirementData, config: EngineConfig) -> np.ndarray:
        missing = np.zeros(self._size, dtype=bool)
        today = config.today.toordinal()
        for code in req.required_certifications:
            column = self._cert_col.get(code)
            if column is None:
                missing[:] = True
                break
            missing |= self._certs[: self._size, column] < today
        return missing


@contextmanager
def _collector_paused() -> Iterator[None]:
    # A batch allocates millions of small objects that survive it (documents, cached terms);
    # the cyclic garbage collector walks all of them again and again and finds no cycles: a
    # third of a 100,000-capability build. Paused only while the batch is written, and only
    # switched back on by whoever switched it off, so nested or concurrent batches are safe.
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _text_of(cap: CapabilityData) -> tuple[str, str, tuple[str, ...]]:
    return cap.name, cap.description, cap.keywords


def _ordinal(day: date | None) -> int:
    return NO_EXPIRY if day is None else day.toordinal()
