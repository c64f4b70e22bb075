"""The requirement import file (DESIGN.md section 3, "Import files"): all-or-nothing, checked in
Python against lookups fetched once, written in one transaction with the shared bulk helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from firms.codes import Certification
from firms.importers.common import (
    BATCH_SIZE,
    Check,
    FieldProblem,
    ImportProblems,
    ImportRejected,
    ImportResult,
    Row,
    Spec,
    Tally,
    attnames,
    boolean,
    category_check,
    changed_values,
    choice,
    chunked,
    code_list,
    iso_date,
    money_for,
    note_duplicate,
    parse_record,
    reference,
    require,
    text_for,
    top_level_records,
    update_rows,
    whole_number,
    whole_number_for,
)
from matching.triggers import rescore_requirements_on_commit
from requirements import flow
from requirements.flow import Classification, Priority, Status
from requirements.models import Requirement, RequirementTransition
from requirements.services import needed_by_problem

ACTOR = "import_requirements"
REQUIRED = (
    "category",
    "quantity",
    "unit",
    "needed_by",
    "min_trl",
    "priority",
    "classification",
)
# Fields whose emptiness decides whether an English title and description exist.
WORDING = ("title", "description", "title_uk", "description_uk")
ATTNAMES = attnames(Requirement)


def organisation_check() -> Check:
    """Organisations are few; their slugs are fetched once per import."""
    slugs = set(Organisation.objects.values_list("slug", flat=True))

    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in slugs:
            raise FieldProblem(f"unknown organisation {value!r}; give an organisation's slug")
        return value

    return check


def _specs() -> dict[str, Spec]:
    return {
        "reference": Spec(reference, required=True),
        "title": Spec(text_for(Requirement, "title"), empty=""),
        "description": Spec(text_for(Requirement, "description"), empty=""),
        "title_uk": Spec(text_for(Requirement, "title_uk"), empty=""),
        "description_uk": Spec(text_for(Requirement, "description_uk"), empty=""),
        "category": Spec(category_check(), required=True),
        "quantity": Spec(whole_number_for(Requirement, "quantity", minimum=1), required=True),
        "unit": Spec(text_for(Requirement, "unit", required=True), required=True),
        "needed_by": Spec(iso_date, required=True),
        "max_unit_price_gbp": Spec(money_for(Requirement, "max_unit_price_gbp")),
        "min_trl": Spec(whole_number(1, 9, as_range=True), required=True),
        "required_certifications": Spec(
            code_list(Certification.values, what="certification"), empty=[]
        ),
        "itar_free_required": Spec(boolean, empty=False),
        "priority": Spec(choice(Priority.values), required=True),
        "classification": Spec(choice(Classification.values), required=True),
        # null, like absence, means "the default for a new one, unchanged for a stored one".
        "status": Spec(choice(Status.values)),
        "source_organisation": Spec(text_for(Requirement, "source_organisation"), empty=""),
        "requesting_organisation": Spec(organisation_check()),
    }


def _parse(records: list[Any], problems: ImportProblems) -> list[Row]:
    specs = _specs()
    rows = []
    seen: dict[str, int] = {}
    for position, record in enumerate(records, start=1):
        row = parse_record(
            record,
            kind="requirement",
            position=position,
            key_field="reference",
            specs=specs,
            problems=problems,
        )
        if row is None:
            continue
        if row.values.get("status") is None:
            row.values.pop("status", None)
        note_duplicate(
            row,
            seen=seen,
            kind="requirement",
            key_field="reference",
            scope="in this file",
            problems=problems,
        )
        rows.append(row)
    return rows


def _load_stored(references: list[str]) -> dict[str, Requirement]:
    stored: dict[str, Requirement] = {}
    for chunk in chunked(references):
        stored.update((r.reference, r) for r in Requirement.objects.filter(reference__in=chunk))
    return stored


def _merged(row: Row, stored: Requirement | None, name: str) -> Any:
    return row.values.get(name, getattr(stored, name, None))


def _check_wording(row: Row, stored: Requirement | None, problems: ImportProblems) -> None:
    if row.failed & set(WORDING):
        return
    words = {name: _merged(row, stored, name) or "" for name in WORDING}
    if not (words["title"] or words["title_uk"]):
        problems.add(row.where, "title", "a title in English or Ukrainian is required")
    if not (words["description"] or words["description_uk"]):
        problems.add(row.where, "description", "a description in English or Ukrainian is required")
    status = _merged(row, stored, "status") or Status.SUBMITTED
    opening = stored is None or status != stored.status or row.values.keys() & set(WORDING)
    if flow.is_active(status) and opening and not (words["title"] and words["description"]):
        field_name = "description" if words["title"] else "title"
        problems.add(
            row.where,
            field_name,
            "an English title and description are required before a requirement opens",
        )


def _check_status(row: Row, stored: Requirement | None, problems: ImportProblems) -> None:
    status = row.values.get("status")
    if "status" in row.failed:
        return
    if stored is None:
        needed_by = row.values.get("needed_by")
        if needed_by is None:
            return
        draft = Requirement(status=status or Status.SUBMITTED, needed_by=needed_by)
        if problem := needed_by_problem(requirement=draft):
            problems.add(row.where, "needed_by", problem)
        return
    # The importer is a staff tool: it may take any legal step, including to SHORTLISTED.
    if status is not None and status != stored.status and status not in flow.ALLOWED[stored.status]:
        allowed = ", ".join(flow.allowed_from(stored.status)) or "none (final status)"
        problems.add(
            row.where, "status", f"cannot move from {stored.status} to {status}; allowed: {allowed}"
        )


def _check_against_stored(
    rows: list[Row], stored: dict[str, Requirement], problems: ImportProblems
) -> None:
    for row in rows:
        requirement = stored.get(row.key) if row.key else None
        if requirement is None:
            require(row, REQUIRED, problems)
        _check_wording(row, requirement, problems)
        _check_status(row, requirement, problems)


@dataclass
class _Plan:
    created: list[Requirement] = field(default_factory=list)
    changed: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    transitions: list[RequirementTransition] = field(default_factory=list)
    rescore: list[int] = field(default_factory=list)


def _plan_change(plan: _Plan, requirement: Requirement, values: dict[str, Any]) -> None:
    changed = changed_values(vars(requirement), values, ATTNAMES)
    if not changed:
        return
    plan.changed.append((requirement.pk, changed))
    was, now_status = requirement.status, changed.get("status", requirement.status)
    if now_status != was:
        plan.transitions.append(
            RequirementTransition(
                requirement=requirement,
                from_status=was,
                to_status=now_status,
                actor=ACTOR,
                note="imported",
            )
        )
    # One that stops being active is rescored too, so its stored matches become removals.
    if flow.is_active(was) or flow.is_active(now_status):
        plan.rescore.append(requirement.pk)


def _plan(rows: list[Row], stored: dict[str, Requirement], now: datetime) -> _Plan:
    plan = _Plan()
    for row in rows:
        requirement = stored.get(row.key or "")
        if requirement is None:
            columns = {ATTNAMES[k]: v for k, v in row.values.items()}
            plan.created.append(Requirement(**columns, created_at=now, updated_at=now))
        else:
            _plan_change(plan, requirement, row.values)
    return plan


def requirements_import(*, data: Any) -> ImportResult:
    """Check a whole requirement file, then write all of it in one transaction, or nothing."""
    records = top_level_records(data=data, key="requirements")
    problems = ImportProblems()
    rows = _parse(records, problems)
    stored = _load_stored(sorted({row.key for row in rows if row.key}))
    _check_against_stored(rows, stored, problems)
    if problems:
        raise ImportRejected(problems)
    now = timezone.now()
    with transaction.atomic():
        plan = _plan(rows, stored, now)
        Requirement.objects.bulk_create(plan.created, batch_size=BATCH_SIZE)
        update_rows(model=Requirement, changes=plan.changed, now=now)
        created_transitions = [
            RequirementTransition(
                requirement=r, from_status="", to_status=r.status, actor=ACTOR, note="created"
            )
            for r in plan.created
        ]
        RequirementTransition.objects.bulk_create(
            created_transitions + plan.transitions, batch_size=BATCH_SIZE
        )
        active_created = [r for r in plan.created if r.is_active]
        rescore_requirements_on_commit([*(r.pk for r in active_created), *plan.rescore])
    return ImportResult(
        [
            Tally("requirements", created=len(plan.created), updated=len(plan.changed)),
        ]
    )
