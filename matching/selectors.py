"""Reads of stored matches and who may see which rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from firms.models import Capability
from matching.models import Match, ScoringContext
from matching.storage import of_capabilities
from matching.trusted import Trusted
from requirements.models import Requirement
from requirements.selectors import requirements_visible_to

if TYPE_CHECKING:
    from matching.engine import EngineConfig

# The contract's order for a match list: eligible first, score descending, then capability id.
MATCH_ORDER = ("-eligible", "-score", "capability_id")


def matches_for_requirement(
    *, user: Any, requirement: Requirement, include_removed: bool = False
) -> QuerySet[Match]:
    """Staff see the whole ranked list; a supplier only its own firm's rows; others nothing."""
    rows = Match.objects.filter(requirement=requirement).select_related(
        "capability__firm", "capability__category", "requirement"
    )
    if not include_removed:
        rows = rows.filter(removed=False)
    if user is None or not user.is_authenticated:
        return rows.none()
    # Checked inside the list's own query (a requirement the user may not see lists nothing),
    # not by a query of its own before it; not at all where every requirement is visible.
    visible = requirements_visible_to(user=user)
    if visible.query.is_empty():
        return rows.none()
    if visible.query.where:
        rows = rows.filter(requirement__in=visible.filter(pk=requirement.pk).values("pk"))
    if user.is_hub_staff:
        return rows.order_by(*MATCH_ORDER)
    if user.is_supplier and hasattr(user, "membership"):
        return rows.filter(capability__firm_id=user.membership.firm_id).order_by(*MATCH_ORDER)
    return rows.none()


def standing_for_firm(*, user: Any, include_removed: bool = False) -> QuerySet[Match]:
    """A supplier's own rows across the active requirements its firm may see."""
    if user is None or not user.is_authenticated or not user.is_supplier:
        return Match.objects.none()
    membership = getattr(user, "membership", None)
    if membership is None:
        return Match.objects.none()
    visible = requirements_visible_to(user=user)
    rows = of_capabilities(Capability.objects.filter(firm_id=membership.firm_id)).filter(
        requirement__in=visible.values("pk")
    )
    if not include_removed:
        rows = rows.filter(removed=False)
    return rows.select_related("capability", "requirement").order_by(
        "capability_id", *MATCH_ORDER[:2], "requirement_id"
    )


def best_standing_for_firm(*, user: Any) -> QuerySet[Match]:
    """The firm's best row of each requirement in its standing, ranked: eligible first, score
    descending, then requirement id. Slice it for a page: the database ranks, so a page costs
    the same whatever the firm's size."""
    # Best of a requirement: eligible, then score, then the lowest capability id on a tie.
    best = Window(
        RowNumber(),
        partition_by=F("requirement_id"),
        order_by=(F("eligible").desc(), F("score").desc(), F("capability_id").asc()),
    )
    return (
        standing_for_firm(user=user)
        .annotate(best_of_requirement=best)
        .filter(best_of_requirement=1)
        .order_by("-eligible", "-score", "requirement_id")
    )


def best_for_capability(*, rows: list[Match]) -> dict[int, list[Match]]:
    """Group a firm's rows by capability, keeping each one's best few (DESIGN.md section 4)."""
    limit = settings.HUB_MATCHING["PER_CAPABILITY"]
    grouped: dict[int, list[Match]] = {}
    for row in rows:
        bucket = grouped.setdefault(row.capability_id, [])
        if len(bucket) < limit:
            bucket.append(row)
    return grouped


# Explaining a page's numbers-only rows needs the engine's configuration, three queries, on
# every page an API client pulls. Staff change weights, synonyms and category relations rarely,
# and a reason written from a configuration the stored numbers were not scored with is only as
# fresh as the rescore that follows the change anyway, so a process reuses the configuration it
# read for up to this many seconds, and never past the day it was read for ("today" is in it).
CONFIG_TRUSTED_FOR = 30.0


def _read_config() -> EngineConfig:
    from matching.loading import engine_config

    return engine_config()


def _for_today(config: EngineConfig) -> bool:
    from requirements.dates import kyiv_today

    return config.today == kyiv_today()


# The engine's configuration as this process last read it, at most CONFIG_TRUSTED_FOR seconds
# ago and for today (Kyiv).
reading_config = Trusted(_read_config, CONFIG_TRUSTED_FOR, _for_today)


def forget_reading_config() -> None:
    """Read the configuration afresh at the next page (tests: each starts a new database)."""
    reading_config.forget()


# Pages explain model instances; the API explains the plain rows it cuts its pages from.
ExplainedRow = TypeVar("ExplainedRow", Match, SimpleNamespace)


def with_reasons(
    rows: Iterable[ExplainedRow], *, config: EngineConfig | None = None
) -> list[ExplainedRow]:
    """The rows with every blocker and component reason written out, as pages and the API show
    them. Rows stored as numbers (a supplier's standing outside the top list) are explained
    here, in a few queries for the whole page, with the corpus figures their rescore read, so
    their reasons are the ones the worker would have stored. `config`: the engine's, when the
    caller has loaded it already."""
    rows = list(rows)
    pending: dict[int, list[ExplainedRow]] = defaultdict(list)
    for row in rows:
        if not row.explained and not row.removed:
            pending[row.requirement_id].append(row)
    if not pending:
        return rows
    from matching.engine import CorpusStats, score_requirement_pairs
    from matching.loading import capabilities_data, requirement_data
    from matching.storage import components_values

    config = config or reading_config()
    contexts = _scoring_contexts({pk: group[0].requirement for pk, group in pending.items()})
    wanted = {row.capability_id for group in pending.values() for row in group}
    capabilities = {c.id: c for c in capabilities_data(Capability.objects.filter(pk__in=wanted))}
    for requirement_id, group in pending.items():
        context = contexts.get(requirement_id)
        stats = (
            CorpusStats()
            if context is None
            else CorpusStats.from_counts(context.doc_count, context.total_length, context.doc_freq)
        )
        results = score_requirement_pairs(
            requirement_data(group[0].requirement),
            [capabilities[row.capability_id] for row in group],
            config,
            stats,
        )
        for row, result in zip(group, results, strict=True):
            _fill_reasons(row, result, components_values(row.components))
    return rows


def _scoring_contexts(requirements: dict[int, Requirement]) -> dict[int, ScoringContext | None]:
    """Each requirement's scoring context: the one loaded with it where its view asked for it
    (select_related), the others in one query."""
    found: dict[int, ScoringContext | None] = {}
    for pk, requirement in requirements.items():
        if Requirement.scoring_context.is_cached(requirement):
            # None when it was never scored (a cached missing one-to-one raises on access).
            found[pk] = getattr(requirement, "scoring_context", None)
    missing = [pk for pk in requirements if pk not in found]
    if missing:
        found.update(
            (c.requirement_id, c) for c in ScoringContext.objects.filter(requirement__in=missing)
        )
    return found


def _fill_reasons(row: Match | SimpleNamespace, result: Any, values: dict[str, float]) -> None:
    # The stored numbers stay the truth (they made the score); a reason recomputed after an
    # input changed, and before its rescore landed, is only as fresh as that rescore will be.
    reasons = {b.code: b.reason for b in result.blockers}
    row.blockers = [
        {"code": b["code"], "reason": reasons.get(b["code"]) or _STALE_REASON} for b in row.blockers
    ]
    row.breakdown = [
        {
            "component": part.component,
            "value": values.get(part.component, part.value),
            "weight": part.weight,
            "reason": part.reason,
        }
        for part in result.breakdown
    ]
    row.explained = True


_STALE_REASON = "changed since the last rescore; the reason is refreshed when it lands"
