"""Reads of accounts: who belongs where."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import FirmMembership


def firm_of(*, user: Any) -> Any:
    """The firm a supplier user belongs to, or None."""
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.firm if membership is not None else None


def members_of_firm(*, firm: Any) -> QuerySet[FirmMembership]:
    """The firm's people; the service users behind its API tokens are not members to show."""
    return (
        FirmMembership.objects.filter(firm=firm, user__api_client__isnull=True)
        .select_related("user")
        .order_by("user__email")
    )


# Second factor for hub staff (issue 7) --------------------------------------------------------


def second_factor_required(*, user: Any) -> bool:
    """Hub staff (role STAFF or superuser) confirm a password sign-in with a second factor."""
    return bool(user.is_authenticated and user.is_hub_staff)


def second_factor_passed(*, user: Any) -> bool:
    """True once this session's user was verified by a device (django-otp's OTPMiddleware)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified is not None and is_verified())


def second_factor_pending(user: Any) -> bool:
    """A signed-in hub staff session that has not passed the second factor yet."""
    return second_factor_required(user=user) and not second_factor_passed(user=user)


def authenticator_of(*, user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator app, or None before enrolment."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(*, user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
