"""Reads of requirements and who may see which (DESIGN.md section 3 and 5)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from firms.models import Capability
from requirements.flow import ACTIVE, Priority, Status
from requirements.models import (
    DuplicateDismissal,
    Requirement,
    RequirementEvent,
    RequirementTransition,
    ShortlistEntry,
)


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
            # Staff write it for the requester: it is in the introduction e-mail too.
            "note",
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


# Hub staff: the requirement's whole history and its likely duplicates (issue 6).

FINAL = (Status.FULFILLED, Status.CLOSED, Status.REJECTED)


@dataclass(frozen=True)
class HistoryItem:
    """A transition or a staff action, told the same way for the history table."""

    at: datetime
    by: Any
    actor: str
    what: str
    note: str
    details: list[str] = field(default_factory=list)
    action: str = ""


def _short(value: Any, limit: int = 80) -> str:
    text = "–" if value in (None, "", []) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _event_details(event: RequirementEvent) -> list[str]:
    detail, action = event.detail or {}, event.action
    actions = RequirementEvent.Action
    if action in (actions.TRIAGED_EDIT, actions.EDITED):
        return [
            f"{name}: {_short(change.get('from'))} → {_short(change.get('to'))}"
            for name, change in sorted(detail.get("changed", {}).items())
        ]
    if action in (actions.SHORTLIST_ADD, actions.SHORTLIST_REMOVE):
        return [f"{detail.get('firm', '')}: {detail.get('capability', '')}"]
    if action == actions.SHORTLIST_PUBLISH:
        published = ", ".join(detail.get("capabilities", [])) or "–"
        return [_("Published: %(capabilities)s") % {"capabilities": published}]
    if action == actions.MERGED:
        return [
            _("%(reference)s was closed as a duplicate of this requirement")
            % {"reference": detail.get("duplicate", "")}
        ]
    if action == actions.DUPLICATE_DISMISSED:
        return [_("Not a duplicate of %(reference)s") % {"reference": detail.get("other", "")}]
    if action == actions.EXPORT:
        return [
            _("%(kind)s as %(format)s in %(language)s, %(rows)s rows")
            % {
                "kind": detail.get("kind", ""),
                "format": detail.get("format", ""),
                "language": detail.get("language", ""),
                "rows": detail.get("rows", 0),
            }
        ]
    return []


def requirement_timeline(*, requirement: Requirement) -> list[HistoryItem]:
    """Status moves and staff actions on a requirement, merged oldest first."""
    statuses = dict(Status.choices)
    items: list[tuple[datetime, int, int, HistoryItem]] = []
    for step in requirement_history(requirement=requirement):
        moved = statuses.get(step.to_status, step.to_status)
        what = (
            f"{statuses.get(step.from_status, step.from_status)} → {moved}"
            if step.from_status
            else moved
        )
        items.append(
            (step.at, 0, step.pk, HistoryItem(step.at, step.by, step.actor, str(what), step.note))
        )
    for event in requirement.events.select_related("by").order_by("at", "id"):
        item = HistoryItem(
            at=event.at,
            by=event.by,
            actor="",
            what=str(event.get_action_display()),
            note=event.note,
            details=_event_details(event),
            action=event.action,
        )
        items.append((event.at, 1, event.pk, item))
    items.sort(key=lambda row: row[:3])
    return [row[3] for row in items]


@dataclass(frozen=True)
class LikelyDuplicate:
    requirement: Requirement
    closeness: float  # cosine of the analysed texts, 0-1
    same_category: bool

    @property
    def percent(self) -> int:
        return round(self.closeness * 100)


DUPLICATE_MIN_CLOSENESS = 0.2
DUPLICATE_LIMIT = 10


def _requirement_terms(analyser: Any, requirement: Requirement) -> Counter[str]:
    # Titles count twice, as in matching; the Ukrainian originals count too, so a requirement
    # submitted only in Ukrainian can still be caught against its twin.
    terms: Counter[str] = Counter()
    for text, weight in (
        (requirement.title, 2),
        (requirement.description, 1),
        (requirement.title_uk, 2),
        (requirement.description_uk, 1),
    ):
        for term in analyser.terms(text or ""):
            terms[term] += weight
    return terms


def _cosine(first: dict[str, float], second: dict[str, float]) -> float:
    dot = sum(weight * second.get(term, 0.0) for term, weight in first.items())
    norms = math.sqrt(sum(w * w for w in first.values())) * math.sqrt(
        sum(w * w for w in second.values())
    )
    return dot / norms if norms else 0.0


def likely_duplicates(*, requirement: Requirement) -> list[LikelyDuplicate]:
    """Other non-final requirements in the same or a related category with close text."""
    if requirement.status in FINAL:
        return []
    from matching.engine.bm25 import CorpusStats
    from matching.engine.text import analyser_for
    from matching.loading import engine_config

    config = engine_config()
    own = requirement.category_id
    categories = {own} | {b for a, b in config.category_relations if a == own}
    categories |= {a for a, b in config.category_relations if b == own}
    dismissed = DuplicateDismissal.objects.filter(
        Q(first=requirement) | Q(second=requirement)
    ).values_list("first_id", "second_id")
    hidden = {pk for pair in dismissed for pk in pair}
    candidates = [
        other
        for other in Requirement.objects.filter(category_id__in=categories)
        .exclude(status__in=FINAL)
        .exclude(pk=requirement.pk)
        .select_related("category", "requesting_organisation")
        if other.pk not in hidden
    ]
    if not candidates:
        return []
    analyser = analyser_for(config.synonyms)
    bags = [_requirement_terms(analyser, r) for r in (requirement, *candidates)]
    # Term rarity across every non-final requirement, not just this category's, so a word
    # that all requirements use ("drones", "supply") counts for little everywhere.
    stats = CorpusStats()
    texts = Requirement.objects.exclude(status__in=FINAL).only(
        "title", "description", "title_uk", "description_uk"
    )
    for other in texts:
        bag = _requirement_terms(analyser, other)
        stats.add(bag.keys(), sum(bag.values()))
    vectors = [{t: tf * stats.idf(t) for t, tf in bag.items()} for bag in bags]
    found = [
        LikelyDuplicate(other, closeness, other.category_id == own)
        for other, vector in zip(candidates, vectors[1:], strict=True)
        if (closeness := _cosine(vectors[0], vector)) >= DUPLICATE_MIN_CLOSENESS
    ]
    found.sort(key=lambda d: (-d.closeness, not d.same_category, d.requirement.reference))
    return found[:DUPLICATE_LIMIT]
