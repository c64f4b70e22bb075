"""Writes to requirements: creation, edits, the status flow and field reports."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from matching.triggers import rescore_capabilities_on_commit, rescore_requirements_on_commit
from requirements import flow
from requirements.dates import kyiv_today
from requirements.flow import Status
from requirements.models import FieldReport, Interest, Requirement, RequirementTransition


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
