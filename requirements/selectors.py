"""Reads of requirements and who may see which (DESIGN.md section 3 and 5)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from requirements.flow import ACTIVE, Priority
from requirements.models import Requirement


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
