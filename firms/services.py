"""Writes to firms, capabilities and certifications."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from firms.codes import Certification, VerificationState
from firms.models import Capability, Firm, FirmCertification
from matching.triggers import rescore_capabilities_on_commit


def firm_create(*, by: Any = None, **fields: Any) -> Firm:
    """Register a firm; it starts unverified and List X can only be claimed, not set."""
    fields.pop("list_x", None)
    firm = Firm(**fields)
    firm.full_clean()
    firm.save()
    return firm


def firm_update(*, firm: Firm, by: Any = None, **fields: Any) -> Firm:
    for protected in ("list_x", "verification_state", "verified_at"):
        fields.pop(protected, None)
    for name, value in fields.items():
        setattr(firm, name, value)
    firm.full_clean()
    firm.save()
    return firm


def firm_set_verification(*, firm: Firm, state: str, by: Any = None, note: str = "") -> Firm:
    """Staff verify or query a firm; the note is shown to the firm."""
    if state not in VerificationState.values:
        raise ValidationError({"verification_state": f"unknown state '{state}'"})
    firm.verification_state = state
    firm.verification_note = note
    firm.verified_at = timezone.now() if state == VerificationState.VERIFIED else None
    firm.save(
        update_fields=["verification_state", "verification_note", "verified_at", "updated_at"]
    )
    return firm


def firm_set_list_x(*, firm: Firm, confirmed: bool, by: Any = None) -> Firm:
    """Staff confirm or refuse a List X claim."""
    firm.list_x = confirmed
    firm.list_x_claimed = False
    firm.save(update_fields=["list_x", "list_x_claimed", "updated_at"])
    # Sensitive requirements become visible (or not) to this firm: its standing changes.
    _touch_capabilities(firm)
    return firm


def firm_set_certifications(*, firm: Firm, held: dict[str, date | None]) -> None:
    """Replace the firm's certifications (code -> expiry or None) and rescore its capabilities."""
    unknown = sorted(set(held) - set(Certification.values))
    if unknown:
        raise ValidationError({"certifications": f"unknown certification {', '.join(unknown)}"})
    with transaction.atomic():
        FirmCertification.objects.filter(firm=firm).exclude(code__in=held).delete()
        for code, expires_on in held.items():
            FirmCertification.objects.update_or_create(
                firm=firm, code=code, defaults={"expires_on": expires_on}
            )
        _touch_capabilities(firm)


def _touch_capabilities(firm: Firm) -> None:
    capabilities = Capability.objects.filter(firm=firm)
    # The sweep compares updated_at with scored_at, so a lost enqueue is still caught.
    capabilities.update(updated_at=timezone.now())
    rescore_capabilities_on_commit(capabilities.values_list("pk", flat=True))


def capability_create(*, firm: Firm, by: Any = None, **fields: Any) -> Capability:
    capability = Capability(firm=firm, **fields)
    capability.full_clean()
    with transaction.atomic():
        capability.save()
        rescore_capabilities_on_commit([capability.pk])
    return capability


def capability_update(*, capability: Capability, by: Any = None, **fields: Any) -> Capability:
    fields.pop("firm", None)
    for name, value in fields.items():
        setattr(capability, name, value)
    capability.full_clean()
    with transaction.atomic():
        capability.save()
        rescore_capabilities_on_commit([capability.pk])
    return capability


def capability_set_active(*, capability: Capability, active: bool, by: Any = None) -> Capability:
    return capability_update(capability=capability, by=by, active=active)
