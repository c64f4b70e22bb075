"""Reads for the staff pipeline dashboard and the capability-gap view (issue 6)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Avg, Count, Min, Q
from django.db.models.functions import TruncMonth

from firms.codes import VerificationState
from firms.models import Capability, Category, Firm
from requirements.flow import ACTIVE, PRIORITY_RANK, Priority, Status
from requirements.models import FieldReport, Requirement, RequirementTransition

# Fewer eligible suppliers than this and a requirement is a capability gap: staff want a choice
# of at least three firms to put forward.
GAP_THRESHOLD = 3
SECONDS_PER_DAY = 86400


@dataclass(frozen=True)
class StatusRow:
    status: str
    label: str
    by_priority: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_priority.values())


@dataclass(frozen=True)
class StatusTable:
    """Requirements counted by status (rows, in flow order) and priority (columns)."""

    priorities: list[tuple[str, str]]
    rows: list[StatusRow]

    @property
    def priority_totals(self) -> dict[str, int]:
        return {
            code: sum(row.by_priority[code] for row in self.rows) for code, _ in self.priorities
        }

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    def count(self, status: str) -> int:
        return next(row.total for row in self.rows if row.status == status)


@dataclass(frozen=True)
class Headline:
    active_requirements: int
    verified_firms: int
    active_capabilities: int


@dataclass(frozen=True)
class Milestone:
    """Median days from submission to a milestone, over the requirements that reached it."""

    median_days: float | None
    reached: int


@dataclass(frozen=True)
class Timings:
    to_first_eligible: Milestone
    to_shortlist: Milestone


@dataclass(frozen=True)
class RatingMonth:
    month: date
    count: int
    mean: float | None


@dataclass(frozen=True)
class GapRow:
    requirement: Requirement
    eligible: int


@dataclass
class GapGroup:
    category: Category
    rows: list[GapRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)


def pipeline_status_table() -> StatusTable:
    """Every requirement counted by status and priority, zeros included."""
    counts: dict[tuple[str, str], int] = {
        (status, priority): n
        for status, priority, n in Requirement.objects.order_by()
        .values_list("status", "priority")
        .annotate(n=Count("id"))
        .values_list("status", "priority", "n")
    }
    priorities = [(p.value, str(p.label)) for p in Priority]
    rows = [
        StatusRow(
            status=s.value,
            label=str(s.label),
            by_priority={p: counts.get((s.value, p), 0) for p, _ in priorities},
        )
        for s in Status
    ]
    return StatusTable(priorities=priorities, rows=rows)


def pipeline_headline() -> Headline:
    """The dashboard's line of counts."""
    return Headline(
        active_requirements=Requirement.objects.filter(status__in=ACTIVE).count(),
        verified_firms=Firm.objects.filter(verification_state=VerificationState.VERIFIED).count(),
        active_capabilities=Capability.objects.filter(active=True).count(),
    )


def _median_days(spans: list[float]) -> Milestone:
    if not spans:
        return Milestone(median_days=None, reached=0)
    return Milestone(median_days=round(statistics.median(spans), 1), reached=len(spans))


def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / SECONDS_PER_DAY


def pipeline_timings() -> Timings:
    """Median days from submission to the first eligible match and to the first shortlist."""
    # Submission is the first recorded move to SUBMITTED; an imported requirement that arrived
    # already triaged or open has none, and its creation time stands in for it.
    submitted = dict(
        RequirementTransition.objects.filter(to_status=Status.SUBMITTED)
        .order_by()
        .values("requirement_id")
        .annotate(at=Min("at"))
        .values_list("requirement_id", "at")
    )
    shortlisted = dict(
        RequirementTransition.objects.filter(to_status=Status.SHORTLISTED)
        .order_by()
        .values("requirement_id")
        .annotate(at=Min("at"))
        .values_list("requirement_id", "at")
    )
    to_match: list[float] = []
    to_shortlist: list[float] = []
    rows = Requirement.objects.order_by().values_list("id", "created_at", "first_eligible_at")
    for pk, created_at, first_eligible_at in rows:
        start = submitted.get(pk, created_at)
        if first_eligible_at is not None:
            to_match.append(max(0.0, _days(start, first_eligible_at)))
        if pk in shortlisted:
            to_shortlist.append(max(0.0, _days(start, shortlisted[pk])))
    return Timings(
        to_first_eligible=_median_days(to_match), to_shortlist=_median_days(to_shortlist)
    )


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def pipeline_ratings_by_month() -> list[RatingMonth]:
    """Field reports per month of their report date: count and mean rating, gaps as zero."""
    found: dict[date, tuple[int, float]] = {}
    for month, count, mean in (
        FieldReport.objects.order_by()
        .annotate(month=TruncMonth("reported_on"))
        .values("month")
        .annotate(count=Count("id"), mean=Avg("rating"))
        .values_list("month", "count", "mean")
    ):
        key = month.date() if isinstance(month, datetime) else month
        found[key] = (count, float(mean))
    if not found:
        return []
    months: list[RatingMonth] = []
    month, last = min(found), max(found)
    while month <= last:
        count, mean = found.get(month, (0, 0.0))
        months.append(RatingMonth(month=month, count=count, mean=round(mean, 2) if count else None))
        month = _next_month(month)
    return months


def _gap_order(row: GapRow) -> tuple[Any, ...]:
    requirement = row.requirement
    rank = PRIORITY_RANK.get(Priority(requirement.priority), len(PRIORITY_RANK))
    return (rank, row.eligible, requirement.reference)


def pipeline_gaps() -> list[GapGroup]:
    """Active requirements with fewer than three eligible stored matches, by category.

    Categories with the most unmet requirements come first; within one, the most urgent and the
    least served."""
    eligible = Count("matches", filter=Q(matches__removed=False, matches__eligible=True))
    requirements = (
        Requirement.objects.filter(status__in=ACTIVE)
        .select_related("category")
        .annotate(eligible_count=eligible)
        .filter(eligible_count__lt=GAP_THRESHOLD)
        .order_by()
    )
    groups: dict[str, GapGroup] = {}
    for requirement in requirements:
        group = groups.setdefault(requirement.category_id, GapGroup(category=requirement.category))
        group.rows.append(GapRow(requirement=requirement, eligible=requirement.eligible_count))
    for group in groups.values():
        group.rows.sort(key=_gap_order)
    return sorted(groups.values(), key=lambda g: (-g.count, g.category.code))
