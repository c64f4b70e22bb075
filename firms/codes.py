"""The interchange contract's codes and patterns (DESIGN.md section 3), in one place."""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

COMPANIES_HOUSE_RE = re.compile(r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$")
# Outward code, optional space, inward code; GIR 0AA is the one historic exception.
POSTCODE_RE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")
REFERENCE_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
CONTROL_RATING_RE = re.compile(
    r"^(NLR"
    r"|ML([1-9]|1[0-9]|2[0-2])"
    r"|PL5(00[1-9]|0[1-9][0-9]|[1-9][0-9]{2})"
    r"|[0-9][A-E][0-9]{3}(\.[a-z0-9]+)*)$"
)
# The same patterns for database CHECK constraints (POSIX-compatible on PostgreSQL and SQLite).
COMPANIES_HOUSE_SQL = r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$"
REFERENCE_SQL = r"^[A-Za-z0-9._-]{1,64}$"
CONTROL_RATING_SQL = CONTROL_RATING_RE.pattern


class Certification(models.TextChoices):
    ISO9001 = "ISO9001", "ISO 9001"
    AS9100 = "AS9100", "AS9100"
    AQAP2110 = "AQAP2110", "AQAP 2110"
    ISO27001 = "ISO27001", "ISO 27001"
    CYBER_ESSENTIALS = "CYBER_ESSENTIALS", "Cyber Essentials"
    CYBER_ESSENTIALS_PLUS = "CYBER_ESSENTIALS_PLUS", "Cyber Essentials Plus"
    JOSCAR = "JOSCAR", "JOSCAR"


class LicenceStatus(models.TextChoices):
    NOT_REQUIRED = "NOT_REQUIRED", _("Not required")
    OGEL_REGISTERED = "OGEL_REGISTERED", _("OGEL registered")
    SIEL_HELD = "SIEL_HELD", _("SIEL held")
    OIEL_HELD = "OIEL_HELD", _("OIEL held")
    APPLIED = "APPLIED", _("Applied for")
    NONE = "NONE", _("None")


class VerificationState(models.TextChoices):
    UNVERIFIED = "UNVERIFIED", _("Awaiting verification")
    VERIFIED = "VERIFIED", _("Verified")
    QUERIED = "QUERIED", _("Queried by hub staff")


def normalise_postcode(value: str) -> str:
    """Upper-case with a single space before the inward code, as Royal Mail writes it."""
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def companies_house_problem(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return "is required"
    if len(value) != 8:
        return "must be 8 characters"
    if not COMPANIES_HOUSE_RE.match(value):
        return "must be 8 digits, or 2 capital letters and 6 digits (e.g. SC123456)"
    return None


def postcode_problem(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "is required"
    if not POSTCODE_RE.match(normalise_postcode(value)):
        return "is not a UK postcode (e.g. GL1 2EH)"
    return None


def reference_problem(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return "is required"
    if not REFERENCE_RE.match(value):
        return "must be 1-64 letters, digits, '.', '_' or '-'"
    return None


def control_rating_problem(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return "is required"
    if not CONTROL_RATING_RE.match(value):
        return "must be NLR, ML1-ML22, PL5001-PL5999 or a dual-use entry such as 5A002.a"
    return None


def licence_pairing_problem(control_rating: str, licence_status: str) -> str | None:
    """NLR goes with NOT_REQUIRED and nothing else; a controlled rating never does."""
    if control_rating == "NLR" and licence_status != LicenceStatus.NOT_REQUIRED:
        return "NLR (no licence required) goes only with NOT_REQUIRED"
    if control_rating != "NLR" and licence_status == LicenceStatus.NOT_REQUIRED:
        return "a controlled rating needs a licence status other than NOT_REQUIRED"
    return None


# A capability's fields in the interchange contract (DESIGN.md section 3), in contract order: the
# CSV upload's columns and the API's capability items both follow it.
CAPABILITY_FIELDS: tuple[str, ...] = (
    "reference",
    "name",
    "description",
    "category",
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
