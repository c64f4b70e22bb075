"""Writes to requirements: creation, edits, the status flow and field reports."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from matching.triggers import rescore_capabilities_on_commit, rescore_requirements_on_commit
from requirements import flow
from requirements.dates import kyiv_today
from requirements.flow import Classification, Status
from requirements.models import (
    FieldReport,
    Interest,
    Requirement,
    RequirementTransition,
    ShortlistEntry,
)


class TransitionError(ValidationError):
    """An illegal status change; the message names the allowed ones."""

    def __init__(self, message: str, allowed: tuple[str, ...]):
        super().__init__({"to": message})
        self.allowed = allowed


def needed_by_problem(*, requirement: Requirement) -> str | None:
    if requirement.status in flow.FUTURE_DATE_REQUIRED and requirement.needed_by <= kyiv_today():
        return "must be a future date for a new requirement"
    return None


def requirement_check_transition(
    *,
    requirement: Requirement,
    to: str,
    note: str = "",
    via_shortlist: bool = False,
    duplicate_of: Requirement | None = None,
) -> None:
    """Raise TransitionError unless moving `requirement` to `to` is allowed right now."""
    allowed = flow.allowed_from(requirement.status)
    named = ", ".join(allowed) or "none (final status)"
    if to not in Status.values:
        raise TransitionError(
            f"unknown status '{to}'; allowed from {requirement.status}: {named}", allowed
        )
    if to not in allowed:
        raise TransitionError(
            f"cannot move from {requirement.status} to {to}; allowed: {named}", allowed
        )
    if to == Status.SHORTLISTED and not via_shortlist:
        raise TransitionError(
            "only publishing a shortlist moves a requirement to SHORTLISTED", allowed
        )
    if to == Status.REJECTED and not note.strip():
        raise ValidationError({"note": "a rejection needs a reason"})
    if to == Status.OPEN and not (requirement.title.strip() and requirement.description.strip()):
        raise ValidationError(
            {"title": "an English title and description are required before a requirement opens"}
        )
    if duplicate_of is not None and (to != Status.CLOSED or duplicate_of.pk == requirement.pk):
        raise ValidationError({"duplicate_of": "a merge closes one requirement into another one"})


def requirement_transition(
    *,
    requirement: Requirement,
    to: str,
    by: Any = None,
    actor: str = "",
    note: str = "",
    via_shortlist: bool = False,
    duplicate_of: Requirement | None = None,
) -> RequirementTransition:
    """Move a requirement along the status flow and record who, when, from, to and why."""
    with transaction.atomic():
        locked = Requirement.objects.select_for_update().get(pk=requirement.pk)
        requirement_check_transition(
            requirement=locked,
            to=to,
            note=note,
            via_shortlist=via_shortlist,
            duplicate_of=duplicate_of,
        )
        was_active = locked.is_active
        record = RequirementTransition.objects.create(
            requirement=locked,
            from_status=locked.status,
            to_status=to,
            by=by,
            actor=actor,
            note=note,
        )
        locked.status = to
        fields = ["status", "updated_at"]
        if duplicate_of is not None:
            locked.duplicate_of = duplicate_of
            fields.append("duplicate_of")
        locked.save(update_fields=fields)
        if was_active or locked.is_active:
            rescore_requirements_on_commit([locked.pk])
    requirement.refresh_from_db()
    return record


def requirement_create(*, by: Any = None, actor: str = "", **fields: Any) -> Requirement:
    """Create a requirement (default SUBMITTED) and record its first status."""
    requirement = Requirement(created_by=by, **fields)
    requirement.full_clean()
    if problem := needed_by_problem(requirement=requirement):
        raise ValidationError({"needed_by": problem})
    with transaction.atomic():
        requirement.save()
        RequirementTransition.objects.create(
            requirement=requirement,
            from_status="",
            to_status=requirement.status,
            by=by,
            actor=actor,
            note="created",
        )
        if requirement.is_active:
            rescore_requirements_on_commit([requirement.pk])
    return requirement


def requirement_update(*, requirement: Requirement, by: Any = None, **fields: Any) -> Requirement:
    """Edit a requirement's fields (not its status); an active one is rescored."""
    if "status" in fields:
        raise ValidationError({"status": "use a transition to change the status"})
    for name, value in fields.items():
        setattr(requirement, name, value)
    requirement.full_clean()
    with transaction.atomic():
        requirement.save()
        if requirement.is_active:
            rescore_requirements_on_commit([requirement.pk])
    return requirement


def field_report_create(
    *,
    capability: Any,
    rating: int,
    summary: str,
    reported_on: Any,
    author: Any = None,
    author_unit: str = "",
    requirement: Any = None,
    conditions: tuple[Any, ...] = (),
) -> FieldReport:
    """File a field report; its capability is rescored since ratings feed maturity."""
    report = FieldReport(
        capability=capability,
        rating=rating,
        summary=summary,
        reported_on=reported_on,
        author=author,
        author_unit=author_unit,
        requirement=requirement,
    )
    report.full_clean()
    with transaction.atomic():
        report.save()
        if conditions:
            report.conditions.set(conditions)
        rescore_capabilities_on_commit([capability.pk])
    return report


def interest_express(*, requirement: Requirement, firm: Any, by: Any, note: str = "") -> Any:
    """A supplier firm says it wants to bid for a requirement it can see; staff read the note."""
    if requirement.status not in flow.ACTIVE:
        raise ValidationError({"note": "interest can only be expressed in an active requirement"})
    interest, _ = Interest.objects.update_or_create(
        requirement=requirement,
        firm=firm,
        defaults={"note": note.strip(), "by": by, "withdrawn_at": None},
    )
    return interest


def interest_withdraw(*, requirement: Requirement, firm: Any, by: Any, note: str = "") -> None:
    """Withdraw a firm's interest; the row stays so staff can see it was withdrawn."""
    fields: dict[str, Any] = {"withdrawn_at": timezone.now(), "by": by}
    if note.strip():
        fields["note"] = note.strip()
    Interest.objects.filter(requirement=requirement, firm=firm, withdrawn_at__isnull=True).update(
        **fields
    )


# Requesters (issue 6): submitting, editing and withdrawing their organisation's requirements,
# and field reports on the kit shortlisted for them.

# The requirement fields of DESIGN.md section 3 that a requester knows; staff set the rest.
REQUESTER_FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "title_uk",
    "description_uk",
    "category",
    "quantity",
    "unit",
    "needed_by",
    "max_unit_price_gbp",
    "min_trl",
    "required_certifications",
    "itar_free_required",
    "priority",
    "source_organisation",
)
REFERENCE_ATTEMPTS = 5


def requirement_not_submitted_error() -> ValidationError:
    return ValidationError(
        gettext(
            "Hub staff have already started work on this requirement, so it can no longer be "
            "changed or withdrawn here. Contact the hub if something needs to change."
        ),
        code="not_submitted",
    )


def _check_requester_fields(fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - set(REQUESTER_FIELDS))
    if unknown:
        raise ValidationError({name: "a requester cannot set this field" for name in unknown})


def _check_requester_of(*, requirement: Requirement, by: Any) -> None:
    if by is None or not getattr(by, "is_requester", False) or by.organisation_id is None:
        raise PermissionDenied("only a requester of the requesting organisation may do this")
    if requirement.requesting_organisation_id != by.organisation.slug:
        raise PermissionDenied("this requirement belongs to another organisation")


def requirement_reference_next(*, year: int | None = None) -> str:
    """The next unused reference of the (Kyiv) year in the hub's style, e.g. UA-2026-0142."""
    prefix = f"UA-{year or kyiv_today().year}-"
    taken = Requirement.objects.filter(reference__startswith=prefix).values_list(
        "reference", flat=True
    )
    numbers = [int(ref[len(prefix) :]) for ref in taken if ref[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def requirement_submit(*, by: Any, **fields: Any) -> Requirement:
    """A requester submits a requirement for their organisation; it starts SUBMITTED."""
    if by is None or not getattr(by, "is_requester", False) or by.organisation_id is None:
        raise PermissionDenied("only a requester of an organisation submits requirements")
    _check_requester_fields(fields)
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            # Staff set the releasability at triage; nothing is shown to suppliers before then.
            return requirement_create(
                by=by,
                reference=requirement_reference_next(),
                status=Status.SUBMITTED,
                classification=Classification.OFFICIAL,
                requesting_organisation=by.organisation,
                **fields,
            )
        except IntegrityError:
            # Two submissions took the same next number at once; the loser takes the next one.
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
        except ValidationError as error:
            raced = "reference" in getattr(error, "error_dict", {})
            if not raced or attempt == REFERENCE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def requirement_requester_update(
    *, requirement: Requirement, by: Any, **fields: Any
) -> Requirement:
    """A requester edits their organisation's requirement, only while it is still SUBMITTED."""
    _check_requester_of(requirement=requirement, by=by)
    _check_requester_fields(fields)
    with transaction.atomic():
        # Locked so that staff triaging it at the same moment cannot be overwritten.
        locked = Requirement.objects.select_for_update().get(pk=requirement.pk)
        if locked.status != Status.SUBMITTED:
            raise requirement_not_submitted_error()
        for name, value in fields.items():
            setattr(locked, name, value)
        if problem := needed_by_problem(requirement=locked):
            raise ValidationError({"needed_by": problem})
        requirement_update(requirement=locked, by=by, **fields)
    requirement.refresh_from_db()
    return requirement


def requirement_withdraw(
    *, requirement: Requirement, by: Any, note: str = ""
) -> RequirementTransition:
    """A requester withdraws a requirement before triage: it is CLOSED with their note."""
    _check_requester_of(requirement=requirement, by=by)
    with transaction.atomic():
        locked = Requirement.objects.select_for_update().get(pk=requirement.pk)
        if locked.status != Status.SUBMITTED:
            raise requirement_not_submitted_error()
        record = requirement_transition(
            requirement=locked,
            to=Status.CLOSED,
            by=by,
            note=note.strip() or "withdrawn by the requester",
        )
    requirement.refresh_from_db()
    return record


def field_report_file(
    *,
    by: Any,
    capability: Any,
    rating: int,
    summary: str,
    reported_on: Any,
    requirement: Requirement | None = None,
    conditions: tuple[Any, ...] = (),
    author_unit: str = "",
) -> FieldReport:
    """A requester reports how kit shortlisted for their organisation performed."""
    from requirements.selectors import capabilities_reportable_by

    if by is None or not getattr(by, "is_requester", False) or by.organisation_id is None:
        raise PermissionDenied("only a requester of an organisation files field reports here")
    if not capabilities_reportable_by(user=by).filter(pk=capability.pk).exists():
        raise ValidationError(
            {
                "capability": gettext(
                    "Choose kit that was shortlisted for one of your organisation's requirements"
                )
            }
        )
    if requirement is not None and not (
        requirement.requesting_organisation_id == by.organisation.slug
        and ShortlistEntry.objects.filter(
            requirement=requirement, capability=capability, published_at__isnull=False
        ).exists()
    ):
        raise ValidationError(
            {
                "requirement": gettext(
                    "Choose a requirement this kit was shortlisted for, or leave it empty"
                )
            }
        )
    if reported_on > kyiv_today():
        raise ValidationError({"reported_on": gettext("The date cannot be in the future")})
    return field_report_create(
        capability=capability,
        rating=rating,
        summary=summary.strip(),
        reported_on=reported_on,
        author=by,
        author_unit=author_unit.strip(),
        requirement=requirement,
        conditions=conditions,
    )
