"""Reads for the staff pages that need more than one app's models."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from firms.codes import VerificationState
from firms.models import SME_MAX_EMPLOYEES, SME_MAX_TURNOVER_GBP, Firm, FirmCertification
from matching.models import Match
from matching.selectors import matches_for_requirement
from requirements.models import Requirement

SME = (
    Q(capability__firm__employees__isnull=True)
    | Q(capability__firm__employees__lt=SME_MAX_EMPLOYEES)
) & (
    Q(capability__firm__annual_turnover_gbp__isnull=True)
    | Q(capability__firm__annual_turnover_gbp__lte=SME_MAX_TURNOVER_GBP)
)


def matches_for_review(
    *,
    user: Any,
    requirement: Requirement,
    eligible_only: bool = False,
    verified_only: bool = False,
    sme_only: bool = False,
    min_score: float | None = None,
) -> QuerySet[Match]:
    """The engine's ranked list for staff, narrowed by the match review's filters."""
    rows = matches_for_requirement(user=user, requirement=requirement).select_related(
        "requirement__category"
    )
    if eligible_only:
        rows = rows.filter(eligible=True)
    if verified_only:
        rows = rows.filter(capability__firm__verification_state=VerificationState.VERIFIED)
    if sme_only:
        rows = rows.filter(SME)
    if min_score is not None:
        rows = rows.filter(score__gte=min_score)
    return rows


def certifications_by_firm(*, firm_ids: set[int]) -> dict[int, dict[str, date | None]]:
    """Firm id -> {certification code: expiry} for many firms in one query."""
    held: dict[int, dict[str, date | None]] = {firm_id: {} for firm_id in firm_ids}
    for firm_id, code, expires_on in FirmCertification.objects.filter(
        firm_id__in=firm_ids
    ).values_list("firm_id", "code", "expires_on"):
        held[firm_id][code] = expires_on
    return held


def firms_for_verification() -> QuerySet[Firm]:
    """Firms awaiting staff: unverified or queried, or claiming List X, oldest first."""
    waiting = Q(verification_state__in=[VerificationState.UNVERIFIED, VerificationState.QUERIED])
    return Firm.objects.filter(waiting | Q(list_x_claimed=True)).order_by("created_at", "name")
