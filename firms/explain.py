"""A stored match told in plain words for the supplier, in the reader's language: labels instead
of codes, and each blocker as the thing to fix ("needs AQAP 2110")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from firms.codes import Certification
from matching.engine.config import CATEGORY_UNRELATED, HELD_LICENCES, WAITING_LICENCES

COMPONENT_LABELS = {
    "relevance": gettext_lazy("Fit of your description"),
    "category": gettext_lazy("Category"),
    "capacity": gettext_lazy("Capacity"),
    "timeliness": gettext_lazy("Delivery time"),
    "price": gettext_lazy("Price"),
    "maturity": gettext_lazy("Maturity"),
    "export_readiness": gettext_lazy("Export readiness"),
}
STRONG = 0.6


@dataclass
class Reason:
    label: str
    percent: int
    detail: str


@dataclass
class Explained:
    match: Any
    why: list[Reason]
    blockers: list[str]


def _duration(days: int) -> str:
    weeks, rest = divmod(days, 7)
    if weeks and rest:
        return _("%(weeks)s and %(days)s") % {
            "weeks": ngettext("%(n)d week", "%(n)d weeks", weeks) % {"n": weeks},
            "days": ngettext("%(n)d day", "%(n)d days", rest) % {"n": rest},
        }
    if weeks:
        return ngettext("%(n)d week", "%(n)d weeks", weeks) % {"n": weeks}
    return ngettext("%(n)d day", "%(n)d days", rest) % {"n": rest}


def _money(amount: Decimal | float | None) -> str:
    return f"£{Decimal(str(amount or 0)):,.0f}"


def _licence_wait(capability: Any, today: date, wait_weeks: int) -> int:
    if capability.control_rating == "NLR":
        return 0
    status = capability.licence_status
    expired = capability.licence_expiry is not None and capability.licence_expiry < today
    if status in WAITING_LICENCES or (status in HELD_LICENCES and expired):
        return wait_weeks
    return 0


def _certificate_blockers(requirement: Any, held: dict[str, date | None], today: date) -> list[str]:
    lines = []
    labels = dict(Certification.choices)
    for code in sorted(requirement.required_certifications or []):
        label = labels.get(code, code)
        if code not in held:
            lines.append(_("needs %(certification)s") % {"certification": label})
        elif (expiry := held[code]) is not None and expiry < today:
            lines.append(
                _("%(certification)s expired on %(date)s")
                % {"certification": label, "date": date_format(expiry)}
            )
    return lines


def _late(requirement: Any, capability: Any, today: date, wait_weeks: int) -> str:
    wait = _licence_wait(capability, today, wait_weeks)
    earliest = today + timedelta(weeks=capability.lead_time_weeks + wait)
    late = max((earliest - requirement.needed_by).days, 1)
    if wait:
        return _("lead time plus licence wait misses the date by %(duration)s") % {
            "duration": _duration(late)
        }
    return _("lead time misses the date by %(duration)s") % {"duration": _duration(late)}


def blocker_lines(
    match: Any, *, held: dict[str, date | None], today: date, wait_weeks: int
) -> list[str]:
    requirement, capability = match.requirement, match.capability
    lines: list[str] = []
    for blocker in match.blockers or []:
        code = blocker.get("code")
        if code == "TRL_TOO_LOW":
            lines.append(
                _("needs TRL %(needed)s; yours is %(yours)s")
                % {"needed": requirement.min_trl, "yours": capability.trl}
            )
        elif code == "MISSING_CERTIFICATION":
            lines.extend(_certificate_blockers(requirement, held, today) or [_("a certification")])
        elif code == "NOT_ITAR_FREE":
            lines.append(_("needs ITAR-free kit"))
        elif code == "OVER_BUDGET":
            lines.append(
                _("unit price %(price)s is above the %(budget)s budget")
                % {
                    "price": _money(capability.unit_price_gbp),
                    "budget": _money(requirement.max_unit_price_gbp),
                }
            )
        elif code == "TOO_LATE":
            lines.append(_late(requirement, capability, today, wait_weeks))
        elif code == "INACTIVE":
            lines.append(_("this capability is switched off"))
    return lines


def _category_reason(match: Any, value: float) -> str:
    # The engine's reason names codes; the supplier reads labels.
    if match.requirement.category_id == match.capability.category_id:
        return _("the same category")
    if value > CATEGORY_UNRELATED:
        return _("a closely related category")
    return _("a different category")


def _detail(match: Any, part: dict[str, Any], english: bool) -> str:
    if part.get("component") == "category":
        return _category_reason(match, float(part.get("value", 0)))
    # The engine writes its reasons in English; other languages get the label and level.
    return str(part.get("reason", "")) if english else ""


def why_lines(match: Any) -> list[Reason]:
    english = (get_language() or "en").startswith("en")
    parts = sorted(
        (part for part in match.breakdown or [] if part.get("value", 0) >= STRONG),
        key=lambda part: -part.get("value", 0) * part.get("weight", 0),
    )
    return [
        Reason(
            label=str(COMPONENT_LABELS.get(part.get("component", ""), part.get("component", ""))),
            percent=round(100 * float(part.get("value", 0))),
            detail=_detail(match, part, english),
        )
        for part in parts
    ]


def explain(
    matches: list[Any], *, held: dict[str, date | None], today: date, wait_weeks: int
) -> list[Explained]:
    return [
        Explained(
            match=match,
            why=why_lines(match),
            blockers=blocker_lines(match, held=held, today=today, wait_weeks=wait_weeks),
        )
        for match in matches
    ]
