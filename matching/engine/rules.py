"""The matching rules of DESIGN.md section 4, one small function each.

Blockers return a Blocker or None; components return (value 0-1, one-line reason). The
vectorised path in ``bulk.py`` repeats the arithmetic of these functions operation for operation
(a property test holds the two equal), so change both together.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from .bm25 import CorpusStats, relevance_match
from .config import (
    CATEGORY_RELATED,
    CATEGORY_SAME,
    CATEGORY_SAME_PARENT,
    CATEGORY_UNRELATED,
    DAYS_PER_MONTH,
    EXPORT_READINESS,
    HELD_LICENCES,
    MATURITY_PROVEN_SHARE,
    MATURITY_REPORTS_SHARE,
    MATURITY_TRL_SHARE,
    NO_LICENCE_RATING,
    WAITING_LICENCES,
    EngineConfig,
)
from .lexicon import CERTIFICATION_LABELS
from .text import Document, Query
from .types import Blocker, CapabilityData, RequirementData

Scored = tuple[float, str]

_MAX_TERMS_IN_REASON = 4


# --- shared arithmetic ---------------------------------------------------------------------


def round3(value: float) -> float:
    """Half-up to 3 decimals with plain IEEE operations, which numpy repeats bit for bit."""
    return math.floor(value * 1000.0 + 0.5) / 1000.0


def round1(value: float) -> float:
    return math.floor(value * 10.0 + 0.5) / 10.0


def effective_licence_status(cap: CapabilityData, today: date) -> str:
    """The licence status the rules use: an expired or unrecognised licence counts as NONE."""
    status = cap.licence_status if cap.licence_status in EXPORT_READINESS else "NONE"
    expired = cap.licence_expiry is not None and cap.licence_expiry < today
    if status in HELD_LICENCES and expired:
        return "NONE"
    return status


def is_controlled(cap: CapabilityData) -> bool:
    return cap.control_rating != NO_LICENCE_RATING


def licence_wait_weeks(cap: CapabilityData, config: EngineConfig) -> int:
    """Weeks added for an export licence: only a controlled item without a usable licence waits."""
    if is_controlled(cap) and effective_licence_status(cap, config.today) in WAITING_LICENCES:
        return config.licence_wait_weeks
    return 0


def delivery_days(cap: CapabilityData, config: EngineConfig) -> int:
    return 7 * (licence_wait_weeks(cap, config) + cap.lead_time_weeks)


def earliest_delivery(cap: CapabilityData, config: EngineConfig) -> date:
    return config.today + timedelta(days=delivery_days(cap, config))


def slack_days(req: RequirementData, cap: CapabilityData, config: EngineConfig) -> int:
    """Days between the earliest delivery and the needed-by date; negative means late."""
    return (req.needed_by - config.today).days - delivery_days(cap, config)


# --- blockers ------------------------------------------------------------------------------


def trl_blocker(req: RequirementData, cap: CapabilityData, config: EngineConfig) -> Blocker | None:
    if cap.trl < req.min_trl:
        return Blocker("TRL_TOO_LOW", f"TRL {cap.trl} is below the required TRL {req.min_trl}")
    return None


def certification_blocker(
    req: RequirementData, cap: CapabilityData, config: EngineConfig
) -> Blocker | None:
    problems = []
    for code in sorted(req.required_certifications):
        label = CERTIFICATION_LABELS.get(code, code)
        if code not in cap.certifications:
            problems.append(f"needs {label}")
            continue
        expiry = cap.certifications[code]
        if expiry is not None and expiry < config.today:
            problems.append(f"{label} expired on {expiry.isoformat()}")
    if problems:
        return Blocker("MISSING_CERTIFICATION", "; ".join(problems))
    return None


def itar_blocker(req: RequirementData, cap: CapabilityData, config: EngineConfig) -> Blocker | None:
    if req.itar_free_required and not cap.itar_free:
        return Blocker(
            "NOT_ITAR_FREE", "the requirement needs ITAR-free kit and this capability is not"
        )
    return None


def budget_blocker(
    req: RequirementData, cap: CapabilityData, config: EngineConfig
) -> Blocker | None:
    budget, price = req.max_unit_price_gbp, cap.unit_price_gbp
    if budget is not None and price is not None and price > budget:
        return Blocker(
            "OVER_BUDGET", f"unit price {_money(price)} is above the {_money(budget)} budget"
        )
    return None


def deadline_blocker(
    req: RequirementData, cap: CapabilityData, config: EngineConfig
) -> Blocker | None:
    slack = slack_days(req, cap, config)
    if slack >= 0:
        return None
    return Blocker(
        "TOO_LATE",
        f"{_delivery_phrase(cap, config)} misses the date by {_duration(-slack)} "
        f"(earliest delivery {earliest_delivery(cap, config).isoformat()}, "
        f"needed by {req.needed_by.isoformat()})",
    )


def inactive_blocker(
    req: RequirementData, cap: CapabilityData, config: EngineConfig
) -> Blocker | None:
    if not cap.active:
        return Blocker("INACTIVE", "the capability is marked inactive")
    return None


# In BLOCKER_CODES order.
BLOCKER_RULES = (
    trl_blocker,
    certification_blocker,
    itar_blocker,
    budget_blocker,
    deadline_blocker,
    inactive_blocker,
)


# --- components ----------------------------------------------------------------------------


def relevance(query: Query, doc: Document, stats: CorpusStats, cap: CapabilityData) -> Scored:
    match = relevance_match(query, doc, stats)
    return relevance_scored(
        match.value,
        [s for s, _ in match.literal_hits],
        [s for s, _ in match.concept_hits],
        match.unasked_support,
        any(q.literal for q in query.terms),
        cap,
    )


def relevance_scored(
    value: float,
    literal_hits: Sequence[str],
    concept_hits: Sequence[str],
    unasked_support: frozenset[str],
    query_has_words: bool,
    cap: CapabilityData,
) -> Scored:
    """The relevance component from a match's parts: its value, the surfaces of its literal and
    concept hits (best first), the support kinds nobody asked for. The explain path shares it."""
    if not query_has_words:
        return 0.0, "the requirement has no searchable words in its title or description"
    name_only = not cap.description.strip() and not any(k.strip() for k in cap.keywords)
    notes = ["judged on the name alone (no description or keywords)"] if name_only else []
    if unasked_support:
        kinds = " or ".join(sorted(unasked_support))
        notes.append(f"halved: offers {kinds}, which the requirement does not ask for")
    if not literal_hits and not concept_hits:
        return 0.0, "; ".join(["no words in common with the requirement", *notes])
    parts = []
    if literal_hits:
        parts.append(f"shares {_term_list(literal_hits)} with the requirement")
    if concept_hits:
        parts.append(f"fits the need through {_term_list(concept_hits)}")
    return value, "; ".join(parts + notes)


def category(req: RequirementData, cap: CapabilityData, config: EngineConfig) -> Scored:
    return category_fit(req.category, cap.category, config)


def category_fit(wanted: str, offered: str, config: EngineConfig) -> Scored:
    if offered == wanted:
        return CATEGORY_SAME, f"same category ({wanted})"
    if config.categories_related(wanted, offered):
        return CATEGORY_RELATED, f"{offered} is declared related to {wanted}"
    parent = _parent(wanted)
    if parent and parent == _parent(offered):
        return (
            CATEGORY_SAME_PARENT,
            f"same family ({parent}) but a different category ({offered})",
        )
    return CATEGORY_UNRELATED, f"unrelated category ({offered})"


def capacity(req: RequirementData, cap: CapabilityData, config: EngineConfig) -> Scored:
    # Lead time is the time to the first delivery, which carries one month's output; after that
    # the firm delivers at its monthly rate until the needed-by date.
    slack = slack_days(req, cap, config)
    if slack < 0:
        return 0.0, "cannot deliver anything by the needed-by date"
    quantity = max(req.quantity, 1)
    months = slack / DAYS_PER_MONTH
    deliverable = cap.monthly_capacity * (1.0 + months)
    share = min(1.0, deliverable / quantity)
    rate = f"at {cap.monthly_capacity} a month"
    by = req.needed_by.isoformat()
    if share >= 1.0:
        return share, f"can deliver all {quantity} by {by} {rate}"
    return share, f"can deliver about {math.floor(deliverable)} of {quantity} by {by} {rate}"


def timeliness(req: RequirementData, cap: CapabilityData, config: EngineConfig) -> Scored:
    # Slack as a share of the time there is: a week spare matters more when the need is a
    # fortnight away than when it is a year away.
    available = (req.needed_by - config.today).days
    slack = available - delivery_days(cap, config)
    earliest = earliest_delivery(cap, config).isoformat()
    if slack < 0:
        return 0.0, f"earliest delivery {earliest} is after the needed-by date {req.needed_by}"
    if available <= 0:
        return 0.0, f"earliest delivery {earliest} leaves no slack"
    value = min(1.0, slack / available)
    if slack == 0:
        return value, f"earliest delivery {earliest} is the needed-by date itself, with no slack"
    return value, f"earliest delivery {earliest}, {_duration(slack)} before the needed-by date"


def price(req: RequirementData, cap: CapabilityData, config: EngineConfig) -> Scored:
    budget, unit_price = req.max_unit_price_gbp, cap.unit_price_gbp
    if budget is None and unit_price is None:
        return 0.5, "no budget set and no unit price given (neutral)"
    if budget is None:
        return 0.5, "no budget set (neutral)"
    if unit_price is None:
        return 0.5, "no unit price given (neutral)"
    if unit_price > budget:
        return 0.0, f"unit price {_money(unit_price)} is above the {_money(budget)} budget"
    headroom = (budget - unit_price) / budget if budget > 0 else 0.0
    value = min(1.0, 0.5 + 0.5 * headroom)
    return value, (
        f"unit price {_money(unit_price)} is {round(100 * headroom)}% under the "
        f"{_money(budget)} budget"
    )


def maturity(req: RequirementData, cap: CapabilityData, config: EngineConfig) -> Scored:
    trl_part = min(max(cap.trl, 0), 9) / 9
    proven_part = 1.0 if cap.field_proven else 0.0
    ratings = cap.report_ratings
    if ratings:
        mean = sum(ratings) / len(ratings)
        reports_part = min(max((mean - 1.0) / 4.0, 0.0), 1.0)
        plural = "s" if len(ratings) != 1 else ""
        reports = f"{len(ratings)} field report{plural} averaging {mean:.1f} of 5"
    else:
        reports_part = 0.5
        reports = "no field reports yet (neutral)"
    value = (
        MATURITY_TRL_SHARE * trl_part
        + MATURITY_PROVEN_SHARE * proven_part
        + MATURITY_REPORTS_SHARE * reports_part
    )
    proven = "field-proven" if cap.field_proven else "not yet field-proven"
    return value, f"TRL {cap.trl} of 9, {proven}, {reports}"


def export_readiness(req: RequirementData, cap: CapabilityData, config: EngineConfig) -> Scored:
    if not is_controlled(cap):
        return EXPORT_READINESS["NOT_REQUIRED"], "no export licence required (NLR)"
    status = effective_licence_status(cap, config.today)
    rating = cap.control_rating
    value = EXPORT_READINESS[status]
    wait = f"allow {config.licence_wait_weeks} weeks for a licence"
    if status == "NONE" and cap.licence_status in HELD_LICENCES and cap.licence_expiry:
        expired = cap.licence_expiry.isoformat()
        return value, f"licence for {rating} expired on {expired}, so counts as none: {wait}"
    reasons = {
        "NOT_REQUIRED": f"no licence needed for {rating}",
        "SIEL_HELD": f"SIEL held for {rating}",
        "OIEL_HELD": f"OIEL held for {rating}",
        "OGEL_REGISTERED": f"registered for an OGEL covering {rating}",
        "APPLIED": f"licence applied for ({rating}): {wait}",
        "NONE": f"no licence yet for {rating}: {wait}",
    }
    return value, reasons[status]


# --- wording -------------------------------------------------------------------------------


def _parent(code: str) -> str:
    return code.split(".", 1)[0] if "." in code else ""


def _money(amount: float) -> str:
    return f"£{amount:,.0f}" if float(amount).is_integer() else f"£{amount:,.2f}"


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _duration(days: int) -> str:
    """Days as people say them: "3 days", "2 weeks", "2 weeks 3 days"."""
    weeks, rest = divmod(days, 7)
    if not weeks:
        return _plural(rest, "day")
    if not rest:
        return _plural(weeks, "week")
    return f"{_plural(weeks, 'week')} {_plural(rest, 'day')}"


def _delivery_phrase(cap: CapabilityData, config: EngineConfig) -> str:
    phrase = f"lead time {_plural(cap.lead_time_weeks, 'week')}"
    wait = licence_wait_weeks(cap, config)
    if wait:
        phrase += f" plus licence wait {_plural(wait, 'week')}"
    return phrase


def _term_list(surfaces: Sequence[str]) -> str:
    shown = [f'"{s.lower()}"' for s in surfaces[:_MAX_TERMS_IN_REASON]]
    more = len(surfaces) - len(shown)
    if more:
        return ", ".join(shown) + f" and {_plural(more, 'more term')}"
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]
