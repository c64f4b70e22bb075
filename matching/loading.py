"""From database rows to the engine's plain data, in as few queries as a bulk run allows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from firms.models import Capability, FirmCertification
from firms.selectors import category_relation_pairs
from matching.engine import CapabilityData, EngineConfig, RequirementData
from matching.models import EngineSettings, Synonym
from requirements.dates import kyiv_today
from requirements.models import FieldReport, Requirement

CAPABILITY_COLUMNS = (
    "id",
    "firm_id",
    "reference",
    "name",
    "description",
    "keywords",
    "category_id",
    "trl",
    "unit_price_gbp",
    "monthly_capacity",
    "lead_time_weeks",
    "control_rating",
    "licence_status",
    "licence_expiry",
    "itar_free",
    "field_proven",
    "active",
)


def engine_config(*, today: date | None = None) -> EngineConfig:
    """The engine's configuration from staff-edited data plus settings."""
    engine_settings = EngineSettings.objects.order_by("pk").first() or EngineSettings()
    synonyms = tuple(
        tuple(group.term_list) for group in Synonym.objects.filter(active=True).order_by("pk")
    )
    wait = engine_settings.licence_wait_weeks
    return EngineConfig(
        today=today or kyiv_today(),
        weights=engine_settings.weights(),
        licence_wait_weeks=settings.HUB_MATCHING["LICENCE_WAIT_WEEKS"] if wait is None else wait,
        synonyms=tuple(g for g in synonyms if len(g) >= 2),
        category_relations=category_relation_pairs(),
    )


def requirement_data(requirement: Requirement) -> RequirementData:
    budget = requirement.max_unit_price_gbp
    return RequirementData(
        id=requirement.pk,
        reference=requirement.reference,
        title=requirement.title,
        description=requirement.description,
        category=requirement.category_id,
        quantity=requirement.quantity,
        needed_by=requirement.needed_by,
        max_unit_price_gbp=None if budget is None else float(budget),
        min_trl=requirement.min_trl,
        required_certifications=frozenset(requirement.required_certifications or ()),
        itar_free_required=requirement.itar_free_required,
    )


def active_requirements_data() -> list[RequirementData]:
    active = Requirement.objects.filter(status__in=("OPEN", "SHORTLISTED")).order_by("pk")
    return [requirement_data(r) for r in active]


def _certifications(firm_ids: Iterable[int] | None) -> dict[int, dict[str, date | None]]:
    rows = FirmCertification.objects.all()
    if firm_ids is not None:
        rows = rows.filter(firm_id__in=list(firm_ids))
    held: dict[int, dict[str, date | None]] = defaultdict(dict)
    for firm_id, code, expires_on in rows.values_list("firm_id", "code", "expires_on"):
        held[firm_id][code] = expires_on
    return held


def _ratings(capability_ids: list[int] | None) -> dict[int, tuple[int, ...]]:
    rows = FieldReport.objects.all()
    if capability_ids is not None:
        rows = rows.filter(capability_id__in=capability_ids)
    ratings: dict[int, list[int]] = defaultdict(list)
    for capability_id, rating in rows.order_by("pk").values_list("capability_id", "rating"):
        ratings[capability_id].append(rating)
    return {k: tuple(v) for k, v in ratings.items()}


def capabilities_data(queryset: QuerySet[Capability] | None = None) -> list[CapabilityData]:
    """Every capability of `queryset` (all when None) as engine data, in three queries."""
    everything = queryset is None
    source = Capability.objects.all() if queryset is None else queryset
    rows = list(source.order_by("pk").values_list(*CAPABILITY_COLUMNS))
    firm_ids = None if everything else {row[1] for row in rows}
    capability_ids = None if everything else [row[0] for row in rows]
    held = _certifications(firm_ids)
    ratings = _ratings(capability_ids)
    return [_capability(row, held, ratings) for row in rows]


def _capability(
    row: tuple[Any, ...],
    held: dict[int, dict[str, date | None]],
    ratings: dict[int, tuple[int, ...]],
) -> CapabilityData:
    (
        pk,
        firm_id,
        reference,
        name,
        description,
        keywords,
        category,
        trl,
        price,
        capacity,
        lead_time,
        rating,
        licence_status,
        licence_expiry,
        itar_free,
        field_proven,
        active,
    ) = row
    return CapabilityData(
        id=pk,
        firm_id=firm_id,
        reference=reference,
        name=name,
        description=description or "",
        keywords=tuple(keywords or ()),
        category=category,
        trl=trl,
        unit_price_gbp=None if price is None else float(price),
        monthly_capacity=capacity,
        lead_time_weeks=lead_time,
        control_rating=rating,
        licence_status=licence_status,
        licence_expiry=licence_expiry,
        itar_free=itar_free,
        field_proven=field_proven,
        active=active,
        certifications=held.get(firm_id, {}),
        report_ratings=ratings.get(pk, ()),
    )
