"""The catalogue import: firms with their capabilities, all-or-nothing (DESIGN.md section 3).

Every record is checked against the stored firms and capabilities, fetched in a few queries;
only a file without a single problem is written, in one transaction, with bulk inserts and
updates, and the touched capabilities are rescored once it commits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from firms import codes
from firms.codes import Certification, LicenceStatus, VerificationState
from firms.importers.common import (
    BATCH_SIZE,
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
    companies_house_number,
    control_rating,
    insert_rows,
    money_for,
    note_duplicate,
    parse_record,
    postcode,
    reference,
    require,
    text_for,
    top_level_records,
    update_rows,
    web_address_for,
    whole_number,
    whole_number_for,
    word_list,
)
from firms.models import Capability, Firm, FirmCertification
from matching.triggers import rescore_capabilities_on_commit

FIRM_REQUIRED = ("name", "postcode")
CAPABILITY_REQUIRED = (
    "name",
    "category",
    "trl",
    "monthly_capacity",
    "lead_time_weeks",
    "control_rating",
    "licence_status",
)
# Firm keys in the file that are not Firm columns.
FIRM_EXTRAS = frozenset({"certifications", "verified"})
FIRM_ATTNAMES = attnames(Firm)
CAPABILITY_ATTNAMES = attnames(Capability)
VERIFIED = VerificationState.VERIFIED


def _firm_specs() -> dict[str, Spec]:
    return {
        "companies_house_number": Spec(companies_house_number, required=True),
        "name": Spec(text_for(Firm, "name", required=True), required=True),
        "postcode": Spec(postcode, required=True),
        "employees": Spec(whole_number_for(Firm, "employees")),
        "annual_turnover_gbp": Spec(money_for(Firm, "annual_turnover_gbp")),
        "website": Spec(web_address_for(Firm, "website"), empty=""),
        "certifications": Spec(code_list(Certification.values, what="certification"), empty=[]),
        "list_x": Spec(boolean, empty=False),
        "verified": Spec(boolean, empty=False),
        "description": Spec(text_for(Firm, "description"), empty=""),
    }


def _capability_specs() -> dict[str, Spec]:
    return {
        "reference": Spec(reference, required=True),
        "name": Spec(text_for(Capability, "name", required=True), required=True),
        "description": Spec(text_for(Capability, "description"), empty=""),
        "category": Spec(category_check(), required=True),
        "trl": Spec(whole_number(1, 9, as_range=True), required=True),
        "unit_price_gbp": Spec(money_for(Capability, "unit_price_gbp")),
        "monthly_capacity": Spec(
            whole_number_for(Capability, "monthly_capacity", minimum=1), required=True
        ),
        "lead_time_weeks": Spec(whole_number_for(Capability, "lead_time_weeks"), required=True),
        "control_rating": Spec(control_rating, required=True),
        "licence_status": Spec(choice(LicenceStatus.values), required=True),
        "itar_free": Spec(boolean, empty=False),
        "field_proven": Spec(boolean, empty=False),
        "keywords": Spec(word_list, empty=[]),
        "active": Spec(boolean, empty=True),
    }


# Stored capabilities are read as plain dicts of these columns: model instances for 100,000
# rows cost seconds the import does not need.
CAPABILITY_COLUMNS = (
    "pk",
    "firm_id",
    "reference",
    "name",
    "description",
    "category_id",
    "trl",
    "unit_price_gbp",
    "monthly_capacity",
    "lead_time_weeks",
    "control_rating",
    "licence_status",
    "itar_free",
    "field_proven",
    "keywords",
    "active",
)


@dataclass
class _Stored:
    """What the database already holds for the firms the file names."""

    firms: dict[str, Firm]
    capabilities: dict[tuple[int, str], dict[str, Any]]
    certifications: dict[int, dict[str, int]]

    @classmethod
    def load(cls, numbers: list[str]) -> _Stored:
        firms: dict[str, Firm] = {}
        for chunk in chunked(numbers):
            firms.update(
                (f.companies_house_number, f)
                for f in Firm.objects.filter(companies_house_number__in=chunk)
            )
        firm_ids = [firm.pk for firm in firms.values()]
        capabilities: dict[tuple[int, str], dict[str, Any]] = {}
        certifications: dict[int, dict[str, int]] = defaultdict(dict)
        for ids in chunked(firm_ids):
            capabilities.update(
                ((c["firm_id"], c["reference"]), c)
                for c in Capability.objects.filter(firm_id__in=ids)
                .order_by()
                .values(*CAPABILITY_COLUMNS)
            )
            for pk, firm_id, code in FirmCertification.objects.filter(firm_id__in=ids).values_list(
                "pk", "firm_id", "code"
            ):
                certifications[firm_id][code] = pk
        return cls(firms=firms, capabilities=capabilities, certifications=certifications)

    def capability(self, firm: Firm | None, reference_: str | None) -> dict[str, Any] | None:
        if firm is None or reference_ is None:
            return None
        return self.capabilities.get((firm.pk, reference_))


def _parse_capabilities(
    records: Any, *, firm_row: Row, specs: dict[str, Spec], problems: ImportProblems
) -> list[Row]:
    if records is None:
        return []
    if not isinstance(records, list):
        problems.add(firm_row.where, "capabilities", "must be a list of capabilities [...]")
        return []
    rows = []
    seen: dict[str, int] = {}
    for position, record in enumerate(records, start=1):
        row = parse_record(
            record,
            kind="capability",
            position=position,
            key_field="reference",
            specs=specs,
            problems=problems,
            within=firm_row,
        )
        if row is not None:
            note_duplicate(
                row,
                seen=seen,
                kind="capability",
                key_field="reference",
                scope="in this firm",
                problems=problems,
            )
            rows.append(row)
    return rows


def _parse_firms(records: list[Any], problems: ImportProblems) -> list[Row]:
    firm_specs, capability_specs = _firm_specs(), _capability_specs()
    rows = []
    seen: dict[str, int] = {}
    for position, record in enumerate(records, start=1):
        row = parse_record(
            record,
            kind="firm",
            position=position,
            key_field="companies_house_number",
            specs=firm_specs,
            problems=problems,
            skip=frozenset({"capabilities"}),
        )
        if row is None:
            continue
        note_duplicate(
            row,
            seen=seen,
            kind="firm",
            key_field="companies_house_number",
            scope="in this file",
            problems=problems,
        )
        row.children = _parse_capabilities(
            record.get("capabilities"), firm_row=row, specs=capability_specs, problems=problems
        )
        rows.append(row)
    return rows


def _check_capability(row: Row, stored: dict[str, Any] | None, problems: ImportProblems) -> None:
    if stored is None:
        require(row, CAPABILITY_REQUIRED, problems)
        stored = {}
    if row.failed & {"control_rating", "licence_status"}:
        return
    rating = row.values.get("control_rating", stored.get("control_rating"))
    status = row.values.get("licence_status", stored.get("licence_status"))
    if rating is None or status is None:
        return
    if problem := codes.licence_pairing_problem(rating, status):
        problems.add(row.where, "licence_status", problem)


def _check_against_stored(rows: list[Row], stored: _Stored, problems: ImportProblems) -> None:
    for row in rows:
        firm = stored.firms.get(row.key) if row.key else None
        if firm is None:
            require(row, FIRM_REQUIRED, problems)
        for child in row.children:
            _check_capability(child, stored.capability(firm, child.key), problems)


@dataclass
class _FirmPlan:
    """Firm writes worked out before any of them is made."""

    created: list[Firm] = field(default_factory=list)
    changed: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    updated_numbers: set[str] = field(default_factory=set)
    # Stored firms whose certifications or List X changed: their capabilities are rescored.
    restanding: set[int] = field(default_factory=set)
    certificates_to_delete: list[int] = field(default_factory=list)
    certificates_to_create: dict[str, list[str]] = field(default_factory=dict)


def _verification(firm: Firm | None, values: dict[str, Any], now: datetime) -> dict[str, Any]:
    if not values.get("verified") or (firm and firm.verification_state == VERIFIED):
        return {}
    return {"verification_state": VERIFIED, "verified_at": now, "verification_note": ""}


def _firm_changes(firm: Firm, values: dict[str, Any], now: datetime) -> dict[str, Any]:
    columns = {k: v for k, v in values.items() if k not in FIRM_EXTRAS}
    changed = changed_values(vars(firm), columns, FIRM_ATTNAMES)
    changed.update(_verification(firm, values, now))
    if values.get("list_x") and firm.list_x_claimed:
        # A confirmed List X settles the firm's own claim, as firm_set_list_x does.
        changed["list_x_claimed"] = False
    return changed


def _plan_certificates(plan: _FirmPlan, row: Row, held: dict[str, int]) -> bool:
    wanted = row.values.get("certifications")
    if wanted is None or row.key is None:
        return False
    dropped = [pk for code, pk in held.items() if code not in wanted]
    added = [code for code in wanted if code not in held]
    plan.certificates_to_delete.extend(dropped)
    plan.certificates_to_create[row.key] = added
    return bool(dropped or added)


def _new_firm(row: Row, now: datetime) -> Firm:
    columns = {FIRM_ATTNAMES[k]: v for k, v in row.values.items() if k not in FIRM_EXTRAS}
    columns.update(_verification(None, row.values, now))
    return Firm(**columns, created_at=now, updated_at=now)


def _plan_firms(rows: list[Row], stored: _Stored, now: datetime) -> _FirmPlan:
    plan = _FirmPlan()
    for row in rows:
        firm = stored.firms.get(row.key or "")
        if firm is None:
            plan.created.append(_new_firm(row, now))
            _plan_certificates(plan, row, {})
            continue
        changed = _firm_changes(firm, row.values, now)
        certificates_changed = _plan_certificates(plan, row, stored.certifications.get(firm.pk, {}))
        if changed:
            plan.changed.append((firm.pk, changed))
        if changed or certificates_changed:
            plan.updated_numbers.add(firm.companies_house_number)
        if certificates_changed or "list_x" in changed:
            plan.restanding.add(firm.pk)
    return plan


def _write_firms(plan: _FirmPlan, stored: _Stored, now: datetime) -> dict[str, int]:
    """Write the firms and their certifications; return every firm's id by its number."""
    Firm.objects.bulk_create(plan.created, batch_size=BATCH_SIZE)
    update_rows(model=Firm, changes=plan.changed, now=now)
    firm_ids = {number: firm.pk for number, firm in stored.firms.items()}
    firm_ids.update((firm.companies_house_number, firm.pk) for firm in plan.created)
    for chunk in chunked(plan.certificates_to_delete):
        FirmCertification.objects.filter(pk__in=chunk).delete()
    FirmCertification.objects.bulk_create(
        [
            FirmCertification(firm_id=firm_ids[number], code=code)
            for number, added in plan.certificates_to_create.items()
            for code in added
        ],
        batch_size=BATCH_SIZE,
    )
    return firm_ids


def _write_capabilities(
    rows: list[Row], firm_ids: dict[str, int], stored: _Stored, now: datetime
) -> tuple[list[int], list[int]]:
    new: list[dict[str, Any]] = []
    changed: list[tuple[int, dict[str, Any]]] = []
    for firm_row in rows:
        firm_id = firm_ids[firm_row.key or ""]
        for row in firm_row.children:
            current = stored.capabilities.get((firm_id, row.key or ""))
            if current is None:
                columns = {CAPABILITY_ATTNAMES[k]: v for k, v in row.values.items()}
                new.append({**columns, "firm_id": firm_id})
            elif fields := changed_values(current, row.values, CAPABILITY_ATTNAMES):
                changed.append((current["pk"], fields))
    created = insert_rows(model=Capability, rows=new, now=now)
    update_rows(model=Capability, changes=changed, now=now)
    return created, [pk for pk, _ in changed]


def _touch_capabilities(firm_ids: set[int], now: datetime) -> list[int]:
    # Certifications and List X feed every capability's standing; the sweep compares
    # updated_at with scored_at, so a lost enqueue is still caught.
    touched: list[int] = []
    for chunk in chunked(sorted(firm_ids)):
        capabilities = Capability.objects.filter(firm_id__in=chunk)
        capabilities.update(updated_at=now)
        touched.extend(capabilities.values_list("pk", flat=True))
    return touched


def catalogue_import(*, data: Any) -> ImportResult:
    """Check a whole catalogue, then write all of it in one transaction, or nothing."""
    records = top_level_records(data=data, key="firms")
    problems = ImportProblems()
    rows = _parse_firms(records, problems)
    stored = _Stored.load(sorted({row.key for row in rows if row.key}))
    _check_against_stored(rows, stored, problems)
    if problems:
        raise ImportRejected(problems)
    now = timezone.now()
    with transaction.atomic():
        plan = _plan_firms(rows, stored, now)
        firm_ids = _write_firms(plan, stored, now)
        created, updated = _write_capabilities(rows, firm_ids, stored, now)
        touched = _touch_capabilities(plan.restanding, now)
        rescore_capabilities_on_commit([*created, *updated, *touched])
    return ImportResult(
        [
            Tally("firms", created=len(plan.created), updated=len(plan.updated_numbers)),
            Tally("capabilities", created=len(created), updated=len(updated)),
        ]
    )
