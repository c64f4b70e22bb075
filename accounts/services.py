"""Writes to accounts: users of each role and their firm seats."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import FirmMembership, Organisation, Role, User
from firms.models import Firm


def user_create(
    *,
    email: str,
    password: str,
    role: str,
    full_name: str = "",
    organisation: Organisation | None = None,
) -> User:
    """Create a user of one role; requesters must belong to an organisation."""
    if role not in Role.values:
        raise ValidationError({"role": f"unknown role '{role}'"})
    if role == Role.REQUESTER and organisation is None:
        raise ValidationError({"organisation": "a requester belongs to an organisation"})
    if role != Role.REQUESTER and organisation is not None:
        raise ValidationError({"organisation": "only requesters belong to an organisation"})
    user = User(
        email=email.strip().lower(),
        role=role,
        full_name=full_name,
        organisation=organisation,
        is_staff=role == Role.STAFF,
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def membership_add(
    *, user: User, firm: Firm, role: str = FirmMembership.FirmRole.MEMBER
) -> FirmMembership:
    """Give a supplier user a seat in a firm (one firm per user)."""
    if user.role != Role.SUPPLIER:
        raise ValidationError({"user": "only suppliers join a firm"})
    if FirmMembership.objects.filter(user=user).exclude(firm=firm).exists():
        raise ValidationError({"user": "this user already belongs to another firm"})
    with transaction.atomic():
        membership, _ = FirmMembership.objects.update_or_create(
            user=user, defaults={"firm": firm, "role": role}
        )
    return membership
