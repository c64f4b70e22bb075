"""Reads of requirements and who may see which (DESIGN.md section 3 and 5)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.utils import timezone

from firms.models import Capability
from requirements.flow import ACTIVE, Priority, Status
from requirements.models import Requirement, RequirementTransition, ShortlistEntry


def requirements_visible_to(*, user: Any) -> QuerySet[Requirement]:
    """Staff see all; requesters their organisation's; suppliers active ones once verified."""
    base = Requirement.objects.select_related("category", "requesting_organisation")
    if user is None or not user.is_authenticated or not user.is_active:
        return base.none()
    if user.is_hub_staff:
        return base.all()
    if user.is_requester:
        if user.organisation_id is None:
            return base.none()
        return base.filter(requesting_organisation_id=user.organisation.slug)
    if user.is_supplier:
        membership = getattr(user, "membership", None)
        if membership is None or not membership.firm.is_verified:
            return base.none()
        visible = base.filter(status__in=ACTIVE)
        if not membership.firm.list_x:
            visible = visible.filter(classification="OFFICIAL")
        return visible
    return base.none()


def requirement_public_counts() -> list[dict[str, Any]]:
    """Open requirements per priority: the only figure the home page shows anonymous visitors."""
    rows = dict(
        Requirement.objects.filter(status__in=ACTIVE)
        .values_list("priority")
        .annotate(n=Count("id"))
        .values_list("priority", "n")
    )
    return [{"label": p.label, "count": rows.get(p.value, 0)} for p in Priority]


# Triage order: the flow's order of statuses, then priority, then oldest first.
_STATUS_ORDER = [s.value for s in Status]


def _rank(field: str, values: list[str]) -> Case:
    return Case(
        *[When(**{field: value}, then=Value(i)) for i, value in enumerate(values)],
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def requirements_for_triage(
    *,
    user: Any,
    status: str = "",
    priority: str = "",
    category: str = "",
    organisation: str = "",
    older_than_days: int | None = None,
) -> QuerySet[Requirement]:
    """Staff's triage board: filtered, by status, then priority, then oldest first."""
    if user is None or not user.is_authenticated or not user.is_hub_staff:
        return Requirement.objects.none()
    rows = requirements_visible_to(user=user)
    if status:
        rows = rows.filter(status=status)
    if priority:
        rows = rows.filter(priority=priority)
    if category:
        rows = rows.filter(category_id=category)
    if organisation:
        rows = rows.filter(requesting_organisation__slug=organisation)
    if older_than_days is not None:
        rows = rows.filter(created_at__lte=timezone.now() - timedelta(days=older_than_days))
    return rows.annotate(
        status_rank=_rank("status", _STATUS_ORDER),
        priority_rank=_rank("priority", [p.value for p in Priority]),
    ).order_by("status_rank", "priority_rank", "created_at", "reference")


def requirement_history(*, requirement: Requirement) -> QuerySet[RequirementTransition]:
    """A requirement's transitions, oldest first, with who made them."""
    return requirement.transitions.select_related("by").order_by("at", "id")


# Requesters (issue 6) -----------------------------------------------------------------------


def _organisation_slug(user: Any) -> str | None:
    """The slug of a signed-in requester's organisation, or None for anyone else."""
    if user is None or not user.is_authenticated or not user.is_requester:
        return None
    if user.organisation_id is None:
        return None
    return str(user.organisation.slug)


def shortlist_published_for(*, user: Any, requirement: Requirement) -> QuerySet[ShortlistEntry]:
    """A requirement's published shortlist, for someone who may see the requirement.

    Requesters are shown the firms' names and the capabilities offered, nothing else of a firm;
    the `only()` keeps the rest of a firm's row out of their pages altogether."""
    if not requirements_visible_to(user=user).filter(pk=requirement.pk).exists():
        return ShortlistEntry.objects.none()
    return (
        ShortlistEntry.objects.filter(requirement=requirement, published_at__isnull=False)
        .select_related("capability__firm", "capability__category")
        .only(
            "id",
            "requirement_id",
            "published_at",
            "added_at",
            "capability",
            "capability__name",
            "capability__description",
            "capability__category",
            "capability__firm",
            "capability__category__code",
            "capability__category__label_en",
            "capability__category__label_uk",
            "capability__firm__name",
        )
        .order_by("added_at", "id")
    )


def capabilities_reportable_by(*, user: Any) -> QuerySet[Capability]:
    """Kit a requester may file a field report on: shortlisted, and published, for one of their
    organisation's requirements."""
    slug = _organisation_slug(user)
    if slug is None:
        return Capability.objects.none()
    shortlisted = ShortlistEntry.objects.filter(
        published_at__isnull=False, requirement__requesting_organisation=user.organisation
    ).values("capability_id")
    return (
        Capability.objects.filter(pk__in=shortlisted)
        .select_related("firm", "category")
        .only("id", "name", "category", "firm", "firm__name", "category__code")
        .order_by("firm__name", "name", "id")
    )


def requirements_with_published_shortlist(*, user: Any) -> QuerySet[Requirement]:
    """The requester's organisation's requirements that have a published shortlist."""
    if _organisation_slug(user) is None:
        return Requirement.objects.none()
    published = ShortlistEntry.objects.filter(published_at__isnull=False).values("requirement_id")
    return requirements_visible_to(user=user).filter(pk__in=published).order_by("-created_at")
