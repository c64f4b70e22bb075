"""Plain data the engine reads and returns; no Django, so the core can be tested and tuned alone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

COMPONENTS: tuple[str, ...] = (
    "relevance",
    "category",
    "capacity",
    "timeliness",
    "price",
    "maturity",
    "export_readiness",
)

BLOCKER_CODES: tuple[str, ...] = (
    "TRL_TOO_LOW",
    "MISSING_CERTIFICATION",
    "NOT_ITAR_FREE",
    "OVER_BUDGET",
    "TOO_LATE",
    "INACTIVE",
)

# One bit per blocker so the vectorised path can carry every row's blockers in one int.
BLOCKER_BITS: dict[str, int] = {code: 1 << i for i, code in enumerate(BLOCKER_CODES)}


def codes_from_mask(mask: int) -> tuple[str, ...]:
    """Blocker codes set in a bulk ``blocker_mask`` value, in BLOCKER_CODES order."""
    return _MASK_CODES[int(mask)]


# Every mask's codes, worked out once: a rescore asks for a few thousand of them.
_MASK_CODES: tuple[tuple[str, ...], ...] = tuple(
    tuple(code for code in BLOCKER_CODES if mask & BLOCKER_BITS[code])
    for mask in range(1 << len(BLOCKER_CODES))
)


@dataclass(frozen=True)
class RequirementData:
    id: int
    reference: str
    title: str
    description: str
    category: str
    quantity: int
    needed_by: date
    max_unit_price_gbp: float | None
    min_trl: int
    required_certifications: frozenset[str]
    itar_free_required: bool

    def __post_init__(self) -> None:
        # The ORM hands over Decimals and lists; the rules need floats and hashable sets.
        if self.max_unit_price_gbp is not None:
            object.__setattr__(self, "max_unit_price_gbp", float(self.max_unit_price_gbp))
        object.__setattr__(self, "required_certifications", frozenset(self.required_certifications))


@dataclass(frozen=True)
class CapabilityData:
    id: int
    firm_id: int
    reference: str
    name: str
    description: str
    keywords: tuple[str, ...]
    category: str
    trl: int
    unit_price_gbp: float | None
    monthly_capacity: int
    lead_time_weeks: int
    control_rating: str
    licence_status: str
    licence_expiry: date | None
    itar_free: bool
    field_proven: bool
    active: bool
    # Certifications the firm holds: code -> expiry date, or None when it does not expire.
    certifications: Mapping[str, date | None] = field(default_factory=dict)
    report_ratings: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        # The ORM hands over Decimals and lists; the rules need floats and fixed sequences.
        if self.unit_price_gbp is not None:
            object.__setattr__(self, "unit_price_gbp", float(self.unit_price_gbp))
        object.__setattr__(self, "keywords", tuple(self.keywords))
        object.__setattr__(self, "certifications", dict(self.certifications))
        object.__setattr__(self, "report_ratings", tuple(int(r) for r in self.report_ratings))


@dataclass(frozen=True)
class Blocker:
    code: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "reason": self.reason}


@dataclass(frozen=True)
class Component:
    component: str
    value: float
    weight: float
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "value": self.value,
            "weight": self.weight,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class MatchResult:
    requirement_id: int
    capability_id: int
    eligible: bool
    score: float
    blockers: tuple[Blocker, ...]
    breakdown: tuple[Component, ...]

    @property
    def blocker_codes(self) -> tuple[str, ...]:
        return tuple(b.code for b in self.blockers)

    def component(self, name: str) -> Component:
        for item in self.breakdown:
            if item.component == name:
                return item
        raise KeyError(name)

    def blockers_as_list(self) -> list[dict[str, Any]]:
        return [b.as_dict() for b in self.blockers]

    def breakdown_as_list(self) -> list[dict[str, Any]]:
        return [c.as_dict() for c in self.breakdown]
