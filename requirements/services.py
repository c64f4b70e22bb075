"""Writes to requirements: creation, edits, the status flow and field reports."""

from __future__ import annotations

from decimal import Decimal
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
    REQUIREMENT_FIELDS,
    DuplicateDismissal,
    ExportRecord,
    FieldReport,
    Interest,
    Requirement,
    RequirementEvent,
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
    before = {name: _stored_value(requirement, name) for name in fields}
    for name, value in fields.items():
        setattr(requirement, name, value)
    requirement.full_clean()
    changed = {
        name: {"from": before[name], "to": after}
        for name in fields
        if (after := _stored_value(requirement, name)) != before[name]
    }
    with transaction.atomic():
        requirement.save()
        if changed:
            staff = by is not None and getattr(by, "is_hub_staff", False)
            RequirementEvent.objects.create(
                requirement=requirement,
                action=RequirementEvent.Action.TRIAGED_EDIT
                if staff
                else RequirementEvent.Action.EDITED,
                by=by,
                detail={"changed": changed},
            )
        if requirement.is_active:
            rescore_requirements_on_commit([requirement.pk])
    return requirement


def _stored_value(requirement: Requirement, name: str) -> Any:
    """A field's value as the history stores it: JSON-ready, a foreign key by its code."""
    field = Requirement._meta.get_field(name)
    value = getattr(requirement, getattr(field, "attname", name))
    if value is None or isinstance(value, bool | int | float | str | list):
        return value
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


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


# Hub staff: duplicates, the shortlist and exports (issue 6). Each records a RequirementEvent.

FINAL = (Status.FULFILLED, Status.CLOSED, Status.REJECTED)
SHORTLIST_EDITABLE = (Status.OPEN, Status.SHORTLISTED)


def requirement_event_record(
    *, requirement: Requirement, action: str, by: Any, note: str = "", **detail: Any
) -> RequirementEvent:
    """Add one staff action to a requirement's history."""
    return RequirementEvent.objects.create(
        requirement=requirement, action=action, by=by, note=note, detail=detail
    )


def requirement_merge(
    *, duplicate: Requirement, kept: Requirement, by: Any, note: str
) -> RequirementTransition:
    """Close `duplicate` as a duplicate of `kept` (the note says why); both histories show it."""
    if not note.strip():
        raise ValidationError({"note": "say why these requirements are the same"})
    if kept.pk == duplicate.pk:
        raise ValidationError({"duplicate_of": "a requirement cannot be merged into itself"})
    if kept.status in FINAL:
        raise ValidationError({"duplicate_of": "the requirement kept must not be closed"})
    with transaction.atomic():
        record = requirement_transition(
            requirement=duplicate, to=Status.CLOSED, by=by, note=note.strip(), duplicate_of=kept
        )
        requirement_event_record(
            requirement=kept,
            action=RequirementEvent.Action.MERGED,
            by=by,
            note=note.strip(),
            duplicate=duplicate.reference,
        )
    return record


def duplicate_dismiss(
    *, requirement: Requirement, other: Requirement, by: Any
) -> DuplicateDismissal:
    """Record that two requirements are not duplicates, so the pair is not suggested again."""
    if requirement.pk == other.pk:
        raise ValidationError({"other": "a requirement is not a duplicate of itself"})
    first, second = sorted((requirement, other), key=lambda r: r.pk)
    with transaction.atomic():
        dismissal, created = DuplicateDismissal.objects.get_or_create(
            first=first, second=second, defaults={"by": by}
        )
        if created:
            for one, two in ((requirement, other), (other, requirement)):
                requirement_event_record(
                    requirement=one,
                    action=RequirementEvent.Action.DUPLICATE_DISMISSED,
                    by=by,
                    other=two.reference,
                )
    return dismissal


def _check_shortlist_editable(requirement: Requirement) -> None:
    if requirement.status not in SHORTLIST_EDITABLE:
        raise ValidationError(
            {"capability": "the shortlist can change only while the requirement is open"}
        )


def shortlist_add(
    *, requirement: Requirement, capability: Any, by: Any, note: str = ""
) -> ShortlistEntry:
    """Put a capability from the requirement's match list on its (draft) shortlist."""
    from matching.selectors import matches_for_requirement

    with transaction.atomic():
        locked = Requirement.objects.select_for_update().get(pk=requirement.pk)
        _check_shortlist_editable(locked)
        listed = matches_for_requirement(user=by, requirement=locked)
        if not listed.filter(capability_id=capability.pk).exists():
            raise ValidationError(
                {"capability": "only a capability in this requirement's match list can be added"}
            )
        if ShortlistEntry.objects.filter(requirement=locked, capability=capability).exists():
            raise ValidationError({"capability": "this capability is already on the shortlist"})
        entry = ShortlistEntry.objects.create(
            requirement=locked, capability=capability, note=note.strip(), added_by=by
        )
        requirement_event_record(
            requirement=locked,
            action=RequirementEvent.Action.SHORTLIST_ADD,
            by=by,
            note=note.strip(),
            capability=capability.reference,
            firm=capability.firm.name,
        )
    return entry


def shortlist_remove(
    *, requirement: Requirement, entry: ShortlistEntry, by: Any, note: str = ""
) -> None:
    """Take an entry off the shortlist; a published shortlist keeps at least one."""
    with transaction.atomic():
        locked = Requirement.objects.select_for_update().get(pk=requirement.pk)
        _check_shortlist_editable(locked)
        if entry.requirement_id != locked.pk:
            raise ValidationError({"capability": "this entry is not on this shortlist"})
        if locked.status == Status.SHORTLISTED and locked.shortlist.count() <= 1:
            raise ValidationError(
                {
                    "capability": "a published shortlist keeps at least one entry; "
                    "move the requirement back to OPEN to withdraw it"
                }
            )
        capability = entry.capability
        entry.delete()
        requirement_event_record(
            requirement=locked,
            action=RequirementEvent.Action.SHORTLIST_REMOVE,
            by=by,
            note=note.strip(),
            capability=capability.reference,
            firm=capability.firm.name,
        )


def shortlist_publish(*, requirement: Requirement, by: Any, note: str = "") -> RequirementEvent:
    """Publish the shortlist: OPEN -> SHORTLISTED, then introductions by e-mail after commit."""
    with transaction.atomic():
        locked = Requirement.objects.select_for_update().get(pk=requirement.pk)
        if locked.status not in SHORTLIST_EDITABLE:
            raise ValidationError(
                {"note": "a shortlist can be published only while the requirement is open"}
            )
        entries = list(locked.shortlist.select_related("capability__firm"))
        if not entries:
            raise ValidationError({"note": "add at least one capability to the shortlist first"})
        fresh = [e for e in entries if e.published_at is None]
        if locked.status == Status.SHORTLISTED and not fresh:
            raise ValidationError({"note": "nothing new to publish: add a capability first"})
        now = timezone.now()
        ShortlistEntry.objects.filter(pk__in=[e.pk for e in fresh]).update(published_at=now)
        if locked.status == Status.OPEN:
            requirement_transition(
                requirement=locked,
                to=Status.SHORTLISTED,
                by=by,
                note=note.strip(),
                via_shortlist=True,
            )
        told = _firms_already_told(locked)
        shortlisted = {e.capability.firm_id for e in entries}
        introduced = sorted({e.capability.firm_id for e in fresh} - told["introduced"])
        not_selected = sorted(
            set(
                Interest.objects.filter(requirement=locked, withdrawn_at__isnull=True)
                .exclude(firm_id__in=shortlisted)
                .values_list("firm_id", flat=True)
            )
            - told["not_selected"]
        )
        event = requirement_event_record(
            requirement=locked,
            action=RequirementEvent.Action.SHORTLIST_PUBLISH,
            by=by,
            note=note.strip(),
            capabilities=[e.capability.reference for e in fresh],
            introduced=introduced,
            not_selected=not_selected,
        )
        transaction.on_commit(
            lambda: _shortlist_mail(locked.pk, introduced=introduced, not_selected=not_selected)
        )
    requirement.refresh_from_db()
    return event


def _firms_already_told(requirement: Requirement) -> dict[str, set[int]]:
    told: dict[str, set[int]] = {"introduced": set(), "not_selected": set()}
    for detail in requirement.events.filter(
        action=RequirementEvent.Action.SHORTLIST_PUBLISH
    ).values_list("detail", flat=True):
        for key, ids in told.items():
            ids.update(detail.get(key, []))
    return told


def _site_link(name: str, *args: Any) -> str:
    from django.conf import settings
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse(name, args=args)
    except NoReverseMatch:
        path = "/"
    return str(settings.HUB_SITE_URL).rstrip("/") + path


def _mail(user: Any, template: str, context: dict[str, Any]) -> None:
    from django.utils import translation

    from accounts.emails import send_templated

    # The user's language when the account keeps one; English otherwise.
    language = getattr(user, "language", "") or "en"
    with translation.override(language):
        send_templated(user=user, template=template, context=context)


def _shortlist_mail(requirement_id: int, *, introduced: list[int], not_selected: list[int]) -> None:
    """Introductions to the requester's people and the shortlisted firms; word to the rest."""
    from accounts.models import Role, User
    from accounts.selectors import members_of_firm
    from firms.models import Firm

    requirement = Requirement.objects.select_related("requesting_organisation").get(
        pk=requirement_id
    )
    entries = list(
        requirement.shortlist.filter(published_at__isnull=False).select_related(
            "capability__firm", "capability__category"
        )
    )
    requesters = User.objects.filter(
        role=Role.REQUESTER,
        is_active=True,
        organisation__isnull=False,
        organisation=requirement.requesting_organisation,
        api_client__isnull=True,
    ).order_by("email")
    for user in requesters:
        _mail(
            user,
            "shortlist_requester",
            {
                "requirement": requirement,
                "entries": entries,
                "link": _site_link("requester:requirement", requirement.reference),
            },
        )
    firms = Firm.objects.in_bulk([*introduced, *not_selected])
    for firm_id in introduced:
        offered = [e for e in entries if e.capability.firm_id == firm_id]
        for membership in members_of_firm(firm=firms[firm_id]).filter(user__is_active=True):
            _mail(
                membership.user,
                "shortlist_firm",
                {
                    "requirement": requirement,
                    "firm": firms[firm_id],
                    "entries": offered,
                    "link": _site_link("portal:requirement", requirement.reference),
                },
            )
    for firm_id in not_selected:
        for membership in members_of_firm(firm=firms[firm_id]).filter(user__is_active=True):
            _mail(
                membership.user,
                "shortlist_not_selected",
                {"requirement": requirement, "firm": firms[firm_id]},
            )


def export_record(
    *,
    by: Any,
    kind: str,
    requirement: Requirement | None,
    file_format: str,
    language: str,
    row_count: int,
) -> ExportRecord:
    """Log a staff export in the audit log and, for a requirement, in its history."""
    with transaction.atomic():
        record = ExportRecord.objects.create(
            by=by,
            kind=kind,
            requirement=requirement,
            format=file_format,
            language=language,
            row_count=row_count,
        )
        if requirement is not None:
            requirement_event_record(
                requirement=requirement,
                action=RequirementEvent.Action.EXPORT,
                by=by,
                kind=kind,
                format=file_format,
                language=language,
                rows=row_count,
            )
    return record


# Requesters (issue 6): submitting, editing and withdrawing their organisation's requirements,
# and field reports on the kit shortlisted for them.

# The requirement fields of DESIGN.md section 3 that a requester knows; staff set the rest.
REQUESTER_FIELDS: tuple[str, ...] = (
    *(name for name in REQUIREMENT_FIELDS if name not in ("reference", "classification")),
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
