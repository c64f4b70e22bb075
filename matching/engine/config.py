"""The engine's configuration: everything it is handed rather than reads (STYLE.md)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType

from .lexicon import DEFAULT_SYNONYMS
from .types import COMPONENTS

# Bump whenever a change can move a stored score, so stored matches say which rules made them.
ENGINE_VERSION = "2026.11-1"

# What the thing is (relevance, category: 65%) outweighs how well it can be delivered (35%):
# the delivery components are near 1 for much unrelated kit, and on the hand-labelled set a
# larger delivery share let cheap, fast, irrelevant items climb into the top ten. Category is
# the staff's own triage signal. Relevance is the one component that tells the right kit from
# the wrong kit.
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "relevance": 0.45,
        "category": 0.20,
        "capacity": 0.10,
        "timeliness": 0.08,
        "price": 0.06,
        "maturity": 0.06,
        "export_readiness": 0.05,
    }
)

# Category component: same code, staff-declared related code, same parent, anything else.
CATEGORY_SAME = 1.0
CATEGORY_RELATED = 0.7
CATEGORY_SAME_PARENT = 0.4
CATEGORY_UNRELATED = 0.0

# Export readiness per effective licence status. A licence we do not recognise counts as NONE.
EXPORT_READINESS: Mapping[str, float] = MappingProxyType(
    {
        "NOT_REQUIRED": 1.0,
        "SIEL_HELD": 1.0,
        "OIEL_HELD": 1.0,
        "OGEL_REGISTERED": 0.9,
        "APPLIED": 0.5,
        "NONE": 0.2,
    }
)
LICENCE_STATUSES: tuple[str, ...] = tuple(EXPORT_READINESS)
HELD_LICENCES = frozenset({"OGEL_REGISTERED", "SIEL_HELD", "OIEL_HELD"})
WAITING_LICENCES = frozenset({"APPLIED", "NONE"})
NO_LICENCE_RATING = "NLR"

DAYS_PER_MONTH = 30.4375  # 365.25 / 12

# Maturity blend: TRL carries half, being field-proven and the field reports a quarter each.
MATURITY_TRL_SHARE = 0.5
MATURITY_PROVEN_SHARE = 0.25
MATURITY_REPORTS_SHARE = 0.25

# BM25 (Robertson/Sparck Jones with the usual defaults).
BM25_K1 = 1.2
BM25_B = 0.75

# Field weights for the capability text (BM25F-style: integer pseudo-term-frequencies keep the
# corpus statistics exact under incremental updates). A name or keyword is a stronger statement
# about what the thing is than a word in a long description.
NAME_WEIGHT = 2
KEYWORD_WEIGHT = 2
DESCRIPTION_WEIGHT = 1

# Query side: a word in the requirement's title counts more than one in its description; a
# product term reached through the concept table counts less than anything the requester wrote.
TITLE_WEIGHT = 1.5
DESCRIPTION_TERM_WEIGHT = 1.0
CONCEPT_WEIGHT = 0.5

# Relevance = coverage * (1 + c) / (coverage + c), capped at 1, where coverage is BM25 against
# the query's own ideal (bm25.relevance_match). The same hyperbolic saturation BM25 applies to
# term frequency: a capability text rarely echoes every context word of a requirement, so
# covering much of it is already most of the way to a full match. At c = 0.5, covering half
# the requirement's information gives 0.75.
COVERAGE_SATURATION = 0.5

# A spares kit or a training course that repeats a requirement's words is not the kit itself:
# its relevance is multiplied by this unless the requirement asks for that kind of support.
SUPPORT_ITEM_FACTOR = 0.5


def _freeze_synonyms(groups: object) -> tuple[tuple[str, ...], ...]:
    # Staff-edited groups arrive as lists; a tuple of tuples is hashable, which lets analysers be
    # cached per synonym set.
    if not isinstance(groups, list | tuple):
        raise TypeError("synonyms must be a sequence of groups of terms")
    frozen = []
    for group in groups:
        if isinstance(group, str):
            raise TypeError("each synonym group must be a sequence of terms, not a string")
        terms = tuple(str(term) for term in group if str(term).strip())
        if len(terms) >= 2:
            frozen.append(terms)
    return tuple(frozen)


def _checked_weights(weights: Mapping[str, float]) -> Mapping[str, float]:
    missing = [name for name in COMPONENTS if name not in weights]
    unknown = [name for name in weights if name not in COMPONENTS]
    if missing or unknown:
        raise ValueError(
            f"weights must name exactly {COMPONENTS}; missing {missing}, unknown {unknown}"
        )
    checked = {name: float(weights[name]) for name in COMPONENTS}
    if any(not math.isfinite(w) or w < 0 for w in checked.values()):
        raise ValueError("weights must be finite and not negative")
    if sum(checked.values()) <= 0:
        raise ValueError("at least one weight must be positive")
    return MappingProxyType(checked)


@dataclass(frozen=True)
class EngineConfig:
    today: date
    weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_WEIGHTS)
    licence_wait_weeks: int = 4
    synonyms: tuple[tuple[str, ...], ...] = DEFAULT_SYNONYMS
    # Staff-declared related child codes; symmetric, so either order may be given.
    category_relations: frozenset[tuple[str, str]] = frozenset()

    def __post_init__(self) -> None:
        # A datetime is a date too, but date arithmetic with one silently goes wrong; the caller
        # must decide which calendar day "today" is (Europe/Kyiv).
        if isinstance(self.today, datetime) or not isinstance(self.today, date):
            raise TypeError("today must be a datetime.date")
        if self.licence_wait_weeks < 0:
            raise ValueError("licence_wait_weeks must not be negative")
        object.__setattr__(self, "weights", _checked_weights(self.weights))
        object.__setattr__(self, "synonyms", _freeze_synonyms(self.synonyms))
        object.__setattr__(
            self,
            "category_relations",
            frozenset((str(a), str(b)) for a, b in self.category_relations),
        )

    @property
    def weight_total(self) -> float:
        total = 0.0
        for name in COMPONENTS:
            total += self.weights[name]
        return total

    def categories_related(self, first: str, second: str) -> bool:
        relations = self.category_relations
        return (first, second) in relations or (second, first) in relations
