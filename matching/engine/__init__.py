"""The matching engine: pure Python over plain data, importable without Django.

The Django side builds RequirementData/CapabilityData from the ORM, an EngineConfig from its
settings and staff-edited data (today in Europe/Kyiv), and calls these functions.
"""

from __future__ import annotations

from .bm25 import CorpusStats
from .bulk import BulkScores, CapabilityIndex
from .config import DEFAULT_WEIGHTS, ENGINE_VERSION, EngineConfig
from .lexicon import DEFAULT_BROADER_TERMS, DEFAULT_CONCEPTS, DEFAULT_SYNONYMS
from .scoring import score_capability, score_pair, score_requirement_pairs
from .types import (
    BLOCKER_BITS,
    BLOCKER_CODES,
    COMPONENTS,
    Blocker,
    CapabilityData,
    Component,
    MatchResult,
    RequirementData,
    codes_from_mask,
)

__all__ = [
    "BLOCKER_BITS",
    "BLOCKER_CODES",
    "COMPONENTS",
    "DEFAULT_BROADER_TERMS",
    "DEFAULT_CONCEPTS",
    "DEFAULT_SYNONYMS",
    "DEFAULT_WEIGHTS",
    "ENGINE_VERSION",
    "Blocker",
    "BulkScores",
    "CapabilityData",
    "CapabilityIndex",
    "Component",
    "CorpusStats",
    "EngineConfig",
    "MatchResult",
    "RequirementData",
    "codes_from_mask",
    "score_capability",
    "score_pair",
    "score_requirement_pairs",
]
