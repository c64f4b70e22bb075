"""Reads of stored matches and who may see which rows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from matching.models import Match
from requirements.models import Requirement
from requirements.selectors import requirements_visible_to

# The contract's order for a match list: eligible first, score descending, then capability id.
MATCH_ORDER = ("-eligible", "-score", "capability_id")


def matches_for_requirement(
    *, user: Any, requirement: Requirement, include_removed: bool = False
) -> QuerySet[Match]:
    """Staff see the whole ranked list; a supplier only its own firm's rows; others nothing."""
    rows = Match.objects.filter(requirement=requirement).select_related(
        "capability__firm", "capability__category", "requirement"
    )
    if not include_removed:
        rows = rows.filter(removed=False)
    if user is None or not user.is_authenticated:
        return rows.none()
    if not requirements_visible_to(user=user).filter(pk=requirement.pk).exists():
        return rows.none()
    if user.is_hub_staff:
        return rows.order_by(*MATCH_ORDER)
    if user.is_supplier and hasattr(user, "membership"):
        return rows.filter(capability__firm_id=user.membership.firm_id).order_by(*MATCH_ORDER)
    return rows.none()


def standing_for_firm(*, user: Any, include_removed: bool = False) -> QuerySet[Match]:
    """A supplier's own rows across the active requirements its firm may see."""
    if user is None or not user.is_authenticated or not user.is_supplier:
        return Match.objects.none()
    membership = getattr(user, "membership", None)
    if membership is None:
        return Match.objects.none()
    visible = requirements_visible_to(user=user)
    rows = Match.objects.filter(
        capability__firm_id=membership.firm_id, requirement__in=visible.values("pk")
    )
    if not include_removed:
        rows = rows.filter(removed=False)
    return rows.select_related("capability", "requirement").order_by(
        "capability_id", *MATCH_ORDER[:2], "requirement_id"
    )


def best_for_capability(*, rows: list[Match]) -> dict[int, list[Match]]:
    """Group a firm's rows by capability, keeping each one's best few (DESIGN.md section 4)."""
    limit = settings.HUB_MATCHING["PER_CAPABILITY"]
    grouped: dict[int, list[Match]] = {}
    for row in rows:
        bucket = grouped.setdefault(row.capability_id, [])
        if len(bucket) < limit:
            bucket.append(row)
    return grouped
