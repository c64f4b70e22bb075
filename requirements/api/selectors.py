"""Reads for API clients that mirror the requirement list: changed rows and removal records.

Built on `requirements_visible_to`, so what a client sees is still decided in one place."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from requirements.flow import ACTIVE, Classification
from requirements.models import Requirement
from requirements.selectors import requirements_visible_to


def requirements_listed_for(*, user: Any) -> QuerySet[Requirement]:
    """The visible requirements, each marked as a live row (not a removal record)."""
    return requirements_visible_to(user=user).annotate(removed=Value(False))


def requirement_removals_for(*, user: Any, since: datetime) -> QuerySet[Requirement]:
    """Requirements a supplier could see once (they were active and cleared for its firm) but
    no longer can, changed since `since`: a mirroring client must learn to drop them."""
    membership = getattr(user, "membership", None)
    if not (user.is_authenticated and user.is_supplier and membership is not None):
        return Requirement.objects.none()
    if not membership.firm.is_verified:
        return Requirement.objects.none()
    rows = Requirement.objects.filter(updated_at__gte=since, transitions__to_status__in=ACTIVE)
    if not membership.firm.list_x:
        rows = rows.filter(classification=Classification.OFFICIAL)
    return rows.exclude(pk__in=requirements_visible_to(user=user).values("pk")).distinct()


def requirements_changed_since(
    *, user: Any, since: datetime, listed: QuerySet[Requirement], removals_filter: Q
) -> QuerySet[Requirement]:
    """Rows of `listed` changed since `since`, plus the removal records a client must apply."""
    changed = listed.filter(updated_at__gte=since).values("pk")
    removals = requirement_removals_for(user=user, since=since).filter(removals_filter)
    return (
        Requirement.objects.filter(Q(pk__in=changed) | Q(pk__in=removals.values("pk")))
        .annotate(
            removed=Case(
                When(pk__in=changed, then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            )
        )
        .select_related("category", "duplicate_of")
    )
