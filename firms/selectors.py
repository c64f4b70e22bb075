"""Reads of firms and capabilities and who may see them: a firm's data is private to its members,
hub staff and, once a shortlist is published, the requester of that requirement."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from firms.models import (
    Capability,
    Category,
    CategoryRelation,
    Firm,
    FirmBarrier,
    FirmCertification,
)


def firms_visible_to(*, user: Any) -> QuerySet[Firm]:
    if user is None or not user.is_authenticated or not user.is_active:
        return Firm.objects.none()
    if user.is_hub_staff:
        return Firm.objects.all()
    if user.is_supplier and hasattr(user, "membership"):
        return Firm.objects.filter(pk=user.membership.firm_id)
    return Firm.objects.none()


def capabilities_visible_to(*, user: Any) -> QuerySet[Capability]:
    base = Capability.objects.select_related("firm", "category")
    if user is None or not user.is_authenticated or not user.is_active:
        return base.none()
    if user.is_hub_staff:
        return base.all()
    if user.is_supplier and hasattr(user, "membership"):
        return base.filter(firm_id=user.membership.firm_id)
    return base.none()


def category_relation_pairs() -> frozenset[tuple[str, str]]:
    """Staff-declared related categories as code pairs, both directions."""
    pairs = CategoryRelation.objects.values_list("category__code", "related_to__code")
    return frozenset(p for a, b in pairs for p in ((a, b), (b, a)))


def child_categories() -> QuerySet[Category]:
    return Category.objects.filter(parent__isnull=False).select_related("parent")


# The supplier portal's reads (issue 5) ------------------------------------------------------


def fitting_requirements(*, user: Any, limit: int = 50) -> list[Any]:
    """The firm's best stored row per visible active requirement: eligible first, then score."""
    from matching.selectors import standing_for_firm, with_reasons

    rows = standing_for_firm(user=user).select_related(
        "requirement__category", "capability__category"
    )
    best: dict[int, Any] = {}
    for row in rows:
        current = best.get(row.requirement_id)
        if current is None or (row.eligible, row.score) > (current.eligible, current.score):
            best[row.requirement_id] = row
    ranked = sorted(best.values(), key=lambda m: (not m.eligible, -m.score, m.requirement_id))
    return with_reasons(ranked[:limit])


def certifications_held(*, firm: Firm) -> dict[str, Any]:
    """Certification code -> expiry (or None) for one firm."""
    return dict(FirmCertification.objects.filter(firm=firm).values_list("code", "expires_on"))


def field_reports_for_firm(*, user: Any) -> QuerySet[Any]:
    """Field reports on the user's firm's kit; the author and unit are never selected."""
    from requirements.models import FieldReport

    firms = firms_visible_to(user=user) if user.is_supplier else Firm.objects.none()
    return (
        FieldReport.objects.filter(capability__firm__in=firms)
        .select_related("capability")
        .prefetch_related("conditions")
        .defer("author", "author_unit")
        .order_by("-reported_on", "-id")
    )


def interests_of_firm(*, firm: Firm) -> dict[int, Any]:
    from requirements.models import Interest

    return {i.requirement_id: i for i in Interest.objects.filter(firm=firm)}


def barriers_of_firm(*, firm: Firm) -> dict[str, FirmBarrier]:
    return {b.topic: b for b in FirmBarrier.objects.filter(firm=firm)}
