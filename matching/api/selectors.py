"""Reads for API clients that mirror match lists: changed rows and removal records.

Built on `matching.selectors`, so which rows a caller sees is still decided there."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any

from django.db.models import Q, QuerySet

from firms.models import Capability
from matching.models import Match
from matching.selectors import matches_for_requirement, standing_for_firm
from matching.storage import COLUMNS, of_capabilities
from requirements.flow import Classification
from requirements.models import Requirement
from requirements.selectors import requirements_visible_to


def requirement_matches_listed(
    *, user: Any, requirement: Requirement, since: datetime | None = None
) -> QuerySet[Match]:
    """A requirement's ranked list; with `since`, rows changed since then, removals included."""
    if since is None:
        return matches_for_requirement(user=user, requirement=requirement)
    rows = matches_for_requirement(user=user, requirement=requirement, include_removed=True)
    return rows.filter(computed_at__gte=since)


def firm_matches_listed(*, user: Any, since: datetime | None = None) -> QuerySet[Match]:
    """A firm's own rows across the requirements it may see; with `since`, what changed then,
    including removals on requirements it no longer sees (closed, fulfilled) but once did."""
    rows = standing_for_firm(user=user) if since is None else _firm_changes(user=user, since=since)
    return rows.select_related("capability__firm", "requirement")


# What a listed row needs of the match table: every column a rescore writes (match_items shows
# them and with_reasons reads them), and the id.
ROW_COLUMNS = ("id", *COLUMNS)


def unjoined(rows: QuerySet[Match]) -> QuerySet[Any]:
    """`rows` without their joins and as plain values, to cut a page from. Joined before the
    sort, every one of a requirement's hundreds of rows was joined to its capability and firm
    (a hash join over the whole catalogue) for PostgreSQL to keep 51 of them; as model
    instances, a page's rows and their relations cost more than the rest of the request."""
    return rows.select_related(None).values(*ROW_COLUMNS)


def with_item_relations(
    *, page: list[dict[str, Any]], requirement: Requirement | None = None
) -> list[SimpleNamespace]:
    """The rows of a page cut from unjoined(rows), as objects carrying the capability, firm and
    requirement each item shows (and with_reasons reads); `requirement`: the one a
    requirement's list is of, already loaded. A row whose capability was deleted since the page
    was read is left out."""
    # Only what matching.api.serializers.match_items shows of the capability and its firm.
    capabilities = {
        pk: SimpleNamespace(
            reference=reference,
            name=name,
            category_id=category,
            firm=SimpleNamespace(companies_house_number=number, name=firm_name),
        )
        for pk, reference, name, category, number, firm_name in Capability.objects.filter(
            pk__in={row["capability_id"] for row in page}
        ).values_list(
            "pk", "reference", "name", "category_id", "firm__companies_house_number", "firm__name"
        )
    }
    if requirement is not None:
        requirements = {requirement.pk: requirement}
    else:
        requirements = Requirement.objects.in_bulk({row["requirement_id"] for row in page})
    return [
        SimpleNamespace(
            **row,
            capability=capabilities[row["capability_id"]],
            requirement=requirements[row["requirement_id"]],
        )
        for row in page
        if row["capability_id"] in capabilities and row["requirement_id"] in requirements
    ]


def _firm_changes(*, user: Any, since: datetime) -> QuerySet[Match]:
    membership = getattr(user, "membership", None)
    if not (user.is_authenticated and user.is_supplier and membership is not None):
        return Match.objects.none()
    if not membership.firm.is_verified:
        return Match.objects.none()
    # A removal on a requirement the firm was never cleared for would leak its reference.
    cleared = Q()
    if not membership.firm.list_x:
        cleared = Q(requirement__classification=Classification.OFFICIAL)
    visible = requirements_visible_to(user=user).values("pk")
    return (
        of_capabilities(Capability.objects.filter(firm_id=membership.firm_id))
        .filter(Q(requirement__in=visible) | (Q(removed=True) & cleared), computed_at__gte=since)
        .order_by("capability_id", "-eligible", "-score", "requirement_id")
    )
