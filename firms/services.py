"""Writes to firms, capabilities and certifications."""

from __future__ import annotations

import logging
import uuid
from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnavailable

from firms import csv_upload, tasks
from firms.codes import Certification, VerificationState
from firms.models import (
    AlertPreference,
    Capability,
    CapabilityDatasheet,
    Firm,
    FirmBarrier,
    FirmCertification,
)
from matching.triggers import rescore_capabilities_on_commit

logger = logging.getLogger(__name__)


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


# Portal (issue 5): registration by a supplier, datasheets, barriers, alert preferences ------

PDF_SIGNATURE = b"%PDF-"
PDF_CONTENT_TYPES = frozenset({"application/pdf", "application/x-pdf"})


def firm_register(*, by: Any, **fields: Any) -> Firm:
    """A supplier registers its firm and becomes its administrator; staff verify it later."""
    from accounts.models import FirmMembership
    from accounts.services import membership_add

    if FirmMembership.objects.filter(user=by).exists():
        raise ValidationError({"companies_house_number": _("You already belong to a firm.")})
    with transaction.atomic():
        firm = firm_create(by=by, **fields)
        membership_add(user=by, firm=firm, role=FirmMembership.FirmRole.ADMIN)
    return firm


def capability_datasheet_attach(
    *, capability: Capability, upload: UploadedFile, by: Any = None
) -> CapabilityDatasheet:
    """Store a PDF datasheet (at most 10 MB, declared and signed as PDF), replacing any old one."""
    limit = settings.HUB_DATASHEET_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError({"datasheet": _("The datasheet must be 10 MB or smaller.")})
    if upload.size == 0:
        raise ValidationError({"datasheet": _("The selected file is empty.")})
    if (upload.content_type or "").lower() not in PDF_CONTENT_TYPES:
        raise ValidationError({"datasheet": _("The datasheet must be a PDF file.")})
    upload.seek(0)
    head = upload.read(len(PDF_SIGNATURE))
    upload.seek(0)
    if head != PDF_SIGNATURE:
        raise ValidationError({"datasheet": _("The datasheet must be a PDF file.")})
    name = (upload.name or "datasheet.pdf").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        old = CapabilityDatasheet.objects.filter(capability=capability).first()
        if old is not None:
            old.file.delete(save=False)
            old.delete()
        sheet = CapabilityDatasheet(capability=capability, original_name=name, size=upload.size)
        sheet.file.save(name, upload, save=False)
        sheet.save()
    return sheet


def capability_datasheet_remove(*, capability: Capability, by: Any = None) -> None:
    sheet = CapabilityDatasheet.objects.filter(capability=capability).first()
    if sheet is not None:
        sheet.file.delete(save=False)
        sheet.delete()


def firm_barriers_save(*, firm: Firm, answers: dict[str, tuple[str, str]], by: Any = None) -> None:
    """Save the barriers checklist: topic -> (state, note)."""
    for topic, (state, _note) in answers.items():
        if topic not in FirmBarrier.Topic.values or state not in FirmBarrier.State.values:
            raise ValidationError({"barriers": f"unknown topic or state {topic}/{state}"})
    with transaction.atomic():
        for topic, (state, note) in answers.items():
            FirmBarrier.objects.update_or_create(
                firm=firm, topic=topic, defaults={"state": state, "note": note.strip()}
            )


def alert_preference_set(*, user: Any, daily_digest: bool, immediate_critical: bool) -> None:
    AlertPreference.objects.update_or_create(
        user=user,
        defaults={"daily_digest": daily_digest, "immediate_critical": immediate_critical},
    )


def alert_unsubscribe(*, user: Any) -> None:
    """The one-click unsubscribe link: no more alert e-mails of either kind."""
    alert_preference_set(user=user, daily_digest=False, immediate_critical=False)


def capability_csv_upload_start(*, firm: Firm, by: Any, content: bytes) -> str:
    """Keep an uploaded CSV and queue its import; returns the job id the progress page follows."""
    if len(content) > csv_upload.MAX_BYTES:
        raise ValidationError({"file": _("The file must be 5 MB or smaller.")})
    if not content.strip():
        raise ValidationError({"file": _("The selected file is empty.")})
    # The form checks the name too; this holds for any caller that hands over bytes alone.
    if problem := csv_upload.upload_problem(name=None, head=content[: csv_upload.SNIFF_BYTES]):
        raise ValidationError({"file": problem})
    job_id = uuid.uuid4().hex
    path = default_storage.save(f"csv-uploads/{job_id}.csv", ContentFile(content))
    csv_upload.progress_set(job_id, firm_id=firm.pk, state="queued", done=0, total=0)
    # Queued only once committed, like every task; the page polls the cache meanwhile.
    transaction.on_commit(partial(_queue_csv_import, job_id=job_id, firm_id=firm.pk, path=path))
    return job_id


def _queue_csv_import(*, job_id: str, firm_id: int, path: str) -> None:
    try:
        tasks.import_capabilities_csv.delay(job_id=job_id, firm_id=firm_id, path=path)
    except BrokerUnavailable as exc:
        # No sweep picks a lost upload up later, so instead of an error page the progress page
        # tells the supplier to upload the file again (the file itself was not at fault).
        logger.warning("broker unavailable, CSV import %s not queued: %s", job_id, exc)
        csv_upload.progress_set(job_id, state="failed", not_started=True, errors=[])
