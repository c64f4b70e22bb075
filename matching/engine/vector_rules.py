"""The rules of ``rules.py`` over numpy arrays: one value per capability row.

Each function repeats its counterpart in ``rules.py`` operation for operation (same order of
additions, divisions and comparisons), which is what lets the vectorised path agree with the
readable one to the last bit. A property test holds them equal; change both together.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from .config import (
    DAYS_PER_MONTH,
    EXPORT_READINESS,
    HELD_LICENCES,
    LICENCE_STATUSES,
    MATURITY_PROVEN_SHARE,
    MATURITY_REPORTS_SHARE,
    MATURITY_TRL_SHARE,
    WAITING_LICENCES,
    EngineConfig,
)
from .types import BLOCKER_BITS, RequirementData

Columns = dict[str, np.ndarray]

NO_EXPIRY = date.max.toordinal()
# Licence statuses as small integers; an unrecognised status is stored as NONE.
STATUS_CODE = {status: i for i, status in enumerate(LICENCE_STATUSES)}
NONE_STATUS = STATUS_CODE["NONE"]
_READINESS_BY_CODE = np.array([EXPORT_READINESS[s] for s in LICENCE_STATUSES])
_HELD_BY_CODE = np.array([s in HELD_LICENCES for s in LICENCE_STATUSES])
_WAITING_BY_CODE = np.array([s in WAITING_LICENCES for s in LICENCE_STATUSES])


def effective_status(cols: Columns, config: EngineConfig) -> np.ndarray:
    expired = _HELD_BY_CODE[cols["status"]] & (cols["licence_expiry"] < config.today.toordinal())
    return np.where(expired, NONE_STATUS, cols["status"])


def waiting(cols: Columns, config: EngineConfig) -> np.ndarray:
    waits = cols["controlled"] & _WAITING_BY_CODE[effective_status(cols, config)]
    return np.where(waits, config.licence_wait_weeks, 0)


def capacity(slack: np.ndarray, monthly: np.ndarray, quantity: int) -> np.ndarray:
    months = slack / DAYS_PER_MONTH
    deliverable = monthly * (1.0 + months)
    return np.where(slack < 0, 0.0, np.minimum(1.0, deliverable / quantity))


def timeliness(slack: np.ndarray, available: int) -> np.ndarray:
    if available <= 0:
        return np.zeros(slack.shape[0])
    return np.where(slack < 0, 0.0, np.minimum(1.0, slack / available))


def price(cols: Columns, budget: float | None) -> np.ndarray:
    has_price = cols["has_price"]
    if budget is None:
        return np.full(has_price.shape[0], 0.5)
    unit_price = np.where(has_price, cols["price"], 0.0)
    # Rows far over a tiny budget may overflow here; they score 0 below, as in rules.price.
    with np.errstate(over="ignore"):
        headroom = (budget - unit_price) / budget if budget > 0 else np.zeros(has_price.shape[0])
    value = np.where(unit_price > budget, 0.0, np.minimum(1.0, 0.5 + 0.5 * headroom))
    return np.where(has_price, value, 0.5)


def maturity(cols: Columns) -> np.ndarray:
    trl_part = np.clip(cols["trl"], 0, 9) / 9
    proven_part = np.where(cols["proven"], 1.0, 0.0)
    count = cols["rating_count"]
    mean = cols["rating_sum"] / np.maximum(count, 1)
    rated = np.minimum(np.maximum((mean - 1.0) / 4.0, 0.0), 1.0)
    reports_part = np.where(count > 0, rated, 0.5)
    return (
        MATURITY_TRL_SHARE * trl_part
        + MATURITY_PROVEN_SHARE * proven_part
        + MATURITY_REPORTS_SHARE * reports_part
    )


def export_readiness(cols: Columns, config: EngineConfig) -> np.ndarray:
    readiness = _READINESS_BY_CODE[effective_status(cols, config)]
    return np.where(cols["controlled"], readiness, EXPORT_READINESS["NOT_REQUIRED"])


def blocker_mask(
    req: RequirementData, cols: Columns, slack: np.ndarray, missing_certificates: np.ndarray
) -> np.ndarray:
    """BLOCKER_BITS per row, as the blocker functions of rules.py decide them."""
    bits = BLOCKER_BITS
    mask = np.where(cols["trl"] < req.min_trl, bits["TRL_TOO_LOW"], 0)
    mask |= np.where(missing_certificates, bits["MISSING_CERTIFICATION"], 0)
    if req.itar_free_required:
        mask |= np.where(cols["itar_free"], 0, bits["NOT_ITAR_FREE"])
    budget = req.max_unit_price_gbp
    if budget is not None:
        over = cols["has_price"] & (np.nan_to_num(cols["price"], nan=0.0) > budget)
        mask |= np.where(over, bits["OVER_BUDGET"], 0)
    mask |= np.where(slack < 0, bits["TOO_LATE"], 0)
    mask |= np.where(cols["active"], 0, bits["INACTIVE"])
    return mask.astype(np.int64)
