"""Reads for the staff pages that need more than one app's models."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from firms.codes import VerificationState
from firms.models import SME_MAX_EMPLOYEES, SME_MAX_TURNOVER_GBP, Firm, FirmCertification
from matching.models import Match
from matching.selectors import matches_for_requirement
from requirements.models import ExportRecord, Interest, Requirement, ShortlistEntry

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
    interested_only: bool = False,
) -> QuerySet[Match]:
    """The engine's ranked list for staff, narrowed by the match review's filters.

    Each row carries `interested` and `interest_note` (the firm's current interest) and
    `shortlisted` (the capability is on this requirement's shortlist)."""
    interest = Interest.objects.filter(
        requirement=requirement, firm_id=OuterRef("capability__firm_id"), withdrawn_at__isnull=True
    )
    on_shortlist = ShortlistEntry.objects.filter(
        requirement=requirement, capability_id=OuterRef("capability_id")
    )
    rows = (
        matches_for_requirement(user=user, requirement=requirement)
        .select_related("requirement__category")
        .annotate(
            interested=Exists(interest),
            interest_note=Subquery(interest.values("note")[:1]),
            shortlisted=Exists(on_shortlist),
        )
    )
    if interested_only:
        rows = rows.filter(interested=True)
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


def shortlist_for_review(*, requirement: Requirement) -> QuerySet[ShortlistEntry]:
    """A requirement's shortlist for staff, drafts and published alike, in the order added."""
    return (
        ShortlistEntry.objects.filter(requirement=requirement)
        .select_related("capability__firm", "capability__category", "added_by")
        .order_by("added_at", "id")
    )


def export_log() -> QuerySet[ExportRecord]:
    """The export audit log, newest first."""
    return ExportRecord.objects.select_related("by", "requirement").order_by("-at", "-id")
