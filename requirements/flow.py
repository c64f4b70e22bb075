"""The requirement status flow of DESIGN.md section 3, as data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "SUBMITTED", _("Submitted")
    TRIAGED = "TRIAGED", _("Triaged")
    OPEN = "OPEN", _("Open")
    SHORTLISTED = "SHORTLISTED", _("Shortlisted")
    FULFILLED = "FULFILLED", _("Fulfilled")
    CLOSED = "CLOSED", _("Closed")
    REJECTED = "REJECTED", _("Rejected")


ALLOWED: dict[str, tuple[str, ...]] = {
    Status.SUBMITTED: (Status.TRIAGED, Status.CLOSED, Status.REJECTED),
    Status.TRIAGED: (Status.OPEN, Status.CLOSED, Status.REJECTED),
    Status.OPEN: (Status.SHORTLISTED, Status.CLOSED),
    Status.SHORTLISTED: (Status.OPEN, Status.FULFILLED, Status.CLOSED),
    Status.FULFILLED: (),
    Status.CLOSED: (),
    Status.REJECTED: (),
}
ACTIVE = (Status.OPEN, Status.SHORTLISTED)
# needed_by must lie in the future for a new requirement in one of these.
FUTURE_DATE_REQUIRED = (Status.SUBMITTED, Status.TRIAGED, Status.OPEN)


def allowed_from(status: str) -> tuple[str, ...]:
    return ALLOWED.get(status, ())


def is_active(status: str) -> bool:
    return status in ACTIVE


class Priority(models.TextChoices):
    CRITICAL = "CRITICAL", _("Critical")
    HIGH = "HIGH", _("High")
    ROUTINE = "ROUTINE", _("Routine")


PRIORITY_RANK = {Priority.CRITICAL: 0, Priority.HIGH: 1, Priority.ROUTINE: 2}


class Classification(models.TextChoices):
    OFFICIAL = "OFFICIAL", _("OFFICIAL")
    OFFICIAL_SENSITIVE = "OFFICIAL_SENSITIVE", _("OFFICIAL-SENSITIVE")
