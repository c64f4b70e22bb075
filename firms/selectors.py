"""Reads of firms and capabilities and who may see them: a firm's data is private to its members,
hub staff and, once a shortlist is published, the requester of that requirement."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from firms.models import Capability, Category, CategoryRelation, Firm


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
