"""Reads of firms and capabilities and who may see them: a firm's data is private to its members,
hub staff and, once a shortlist is published, the requester of that requirement."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from firms.models import (
    Capability,
    Category,
    CategoryRelation,
    Firm,
    FirmBarrier,
    FirmCertification,
)

if TYPE_CHECKING:
    from matching.engine import EngineConfig


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


# Each card costs about a millisecond to explain and render; twenty fill a screen or two.
FITS_PER_PAGE = 20


def fitting_requirements(
    *, user: Any, page: int = 1, per_page: int | None = None, config: EngineConfig | None = None
) -> tuple[list[Any], bool]:
    """One page of the firm's best stored row per visible active requirement (eligible first,
    then score), with reasons; and whether another page follows. `config`: the engine's, when
    the caller has it already."""
    from matching.models import Match
    from matching.selectors import best_standing_for_firm, with_reasons

    per_page = per_page or FITS_PER_PAGE
    start = (max(page, 1) - 1) * per_page
    # The database ranks the ids (one row past the page says whether another follows, without
    # counting them all); only the page's rows are then loaded whole, joins included.
    ranked = best_standing_for_firm(user=user).values_list("pk", flat=True)
    ids = list(ranked[start : start + per_page + 1])
    rows = Match.objects.filter(pk__in=ids[:per_page]).select_related(
        "requirement__category", "capability"
    )
    by_pk = {row.pk: row for row in rows}
    # A row a rescore deleted between the two queries is simply left out.
    shown = [by_pk[pk] for pk in ids[:per_page] if pk in by_pk]
    return with_reasons(shown, config=config), len(ids) > per_page


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
