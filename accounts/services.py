"""Writes to accounts: users of each role, their firm seats, API clients and their tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import APIClient, FirmMembership, Organisation, Role, User
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


def language_remember(*, user: User, language: str | None) -> None:
    """Keep the portal language `user` signed in with or chose, for the e-mails they get.

    `language` as Django names it ("uk", "en-gb", ...), brought to one of settings.LANGUAGES;
    one the portal does not offer is ignored, and nothing is written when it is already kept."""
    if not language:
        return
    try:
        code = translation.get_supported_language_variant(language)
    except LookupError:
        return
    if user.language != code:
        user.language = code
        User.objects.filter(pk=user.pk).update(language=code)


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


# API clients --------------------------------------------------------------------------------

TOKEN_BYTES = 32
TOKEN_PREFIX_LENGTH = 8
LAST_USED_EVERY = timedelta(minutes=1)


def _new_token() -> tuple[str, str, str]:
    """A fresh token, its display prefix and its SHA-256 hash (the only part stored)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token[:TOKEN_PREFIX_LENGTH], api_token_hash(token)


def api_token_hash(token: str) -> str:
    # A plain hash suffices: the token carries 256 random bits, so there is nothing to brute-force
    # and a salted slow hash would only make every request slower.
    return hashlib.sha256(token.encode()).hexdigest()


def api_client_create(
    *,
    name: str,
    scope: str,
    firm: Firm | None = None,
    by: User | None = None,
    expires_at: datetime | None = None,
) -> tuple[APIClient, str]:
    """Create an API client and its service user; returns the token, which is never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "an API client needs a name"})
    if scope not in APIClient.Scope.values:
        raise ValidationError({"scope": f"unknown scope '{scope}'"})
    if (scope == APIClient.Scope.FIRM) != (firm is not None):
        raise ValidationError({"firm": "a firm token names one firm; a staff token names none"})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "must be in the future"})
    token, prefix, digest = _new_token()
    with transaction.atomic():
        # The service user holds the role so selectors treat the token like that role's
        # session; an unusable password and no admin flag mean nobody can sign in as it.
        user = User(
            email=f"api-client-{uuid.uuid4().hex}@api-clients.invalid",
            full_name=f"API client: {name}"[:200],
            role=Role.STAFF if scope == APIClient.Scope.STAFF else Role.SUPPLIER,
            is_staff=False,
        )
        user.set_unusable_password()
        user.save()
        if firm is not None:
            FirmMembership.objects.create(user=user, firm=firm)
        client = APIClient.objects.create(
            name=name,
            scope=scope,
            firm=firm,
            user=user,
            token_prefix=prefix,
            token_hash=digest,
            created_by=by,
            expires_at=expires_at,
        )
    return client, token


def api_client_rotate(*, client: APIClient, by: User | None = None) -> str:
    """Replace a client's token; the old one stops working at once. Returns the new token."""
    if client.revoked_at is not None:
        raise ValidationError({"client": "a revoked client cannot be rotated"})
    token, prefix, digest = _new_token()
    APIClient.objects.filter(pk=client.pk).update(token_prefix=prefix, token_hash=digest)
    client.refresh_from_db()
    return token


def api_client_revoke(*, client: APIClient, by: User | None = None) -> APIClient:
    """Revoke a client for good: its token and its service user stop working."""
    with transaction.atomic():
        now = timezone.now()
        APIClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(revoked_at=now)
        User.objects.filter(pk=client.user_id).update(is_active=False)
    client.refresh_from_db()
    return client


def api_client_authenticate(*, token: str) -> APIClient | None:
    """The usable client holding `token`, or None; notes when it was last used."""
    client = (
        APIClient.objects.select_related("user", "user__membership__firm")
        .filter(token_hash=api_token_hash(token))
        .first()
    )
    now = timezone.now()
    if client is None or not client.is_usable(now) or not client.user.is_active:
        return None
    # Written at most once a minute so a busy client does not turn every read into a write.
    if client.last_used_at is None or now - client.last_used_at > LAST_USED_EVERY:
        APIClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now
    return client


# Browser sign-up, sign-in lock-out, firm seats, account deletion (issue 5) --------------------

EMAIL_VERIFY_SALT = "accounts.email-verify"


def _lock_key(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"sign-in-failures:{digest}"


def sign_in_locked(*, email: str) -> bool:
    """True while an address is locked out after too many failed sign-ins."""
    failures = cache.get(_lock_key(email), 0)
    return bool(failures >= settings.HUB_SIGN_IN_MAX_FAILURES)


def sign_in_failed(*, email: str) -> bool:
    """Count a failed sign-in; returns True when the address is now locked."""
    key = _lock_key(email)
    # add() then incr() keeps concurrent failures from overwriting each other's count.
    cache.add(key, 0, timeout=settings.HUB_SIGN_IN_LOCKOUT_SECONDS)
    try:
        failures = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.HUB_SIGN_IN_LOCKOUT_SECONDS)
        failures = 1
    return bool(failures >= settings.HUB_SIGN_IN_MAX_FAILURES)


def sign_in_succeeded(*, email: str) -> None:
    cache.delete(_lock_key(email))


def user_sign_up(*, email: str, password: str, full_name: str = "") -> User:
    """A supplier registers; the account stays inactive until the e-mail address is verified."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    with transaction.atomic():
        user = user_create(email=email, password=password, role=Role.SUPPLIER, full_name=full_name)
        user.is_active = False
        user.save(update_fields=["is_active"])
    return user


def email_verification_token(*, user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=EMAIL_VERIFY_SALT)


def user_verify_email(*, token: str) -> User | None:
    """Activate the account a verification link names; None if the link is bad or too old."""
    try:
        data = signing.loads(
            token, salt=EMAIL_VERIFY_SALT, max_age=settings.HUB_EMAIL_VERIFY_MAX_AGE_SECONDS
        )
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None or user.has_usable_password() is False:
        return None
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def membership_invite(*, firm: Firm, email: str, by: User) -> tuple[User, bool]:
    """A firm administrator invites a colleague; returns the user and whether it is new."""
    _require_firm_admin(firm=firm, user=by)
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User(email=email, role=Role.SUPPLIER, is_active=False)
        # No password until the invitation is accepted, so nobody can sign in as it meanwhile.
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    elif user.role != Role.SUPPLIER:
        raise ValidationError(
            {"email": _("This address belongs to a hub account, not a supplier.")}
        )
    elif FirmMembership.objects.filter(user=user).exists():
        raise ValidationError({"email": _("This person already belongs to a firm.")})
    FirmMembership.objects.create(user=user, firm=firm, role=FirmMembership.FirmRole.MEMBER)
    return user, created


def membership_remove(*, membership: FirmMembership, by: User) -> None:
    """Remove a seat; the last administrator of a firm cannot be removed."""
    _require_firm_admin(firm=membership.firm, user=by)
    if membership.role == FirmMembership.FirmRole.ADMIN:
        admins = FirmMembership.objects.filter(
            firm=membership.firm, role=FirmMembership.FirmRole.ADMIN
        )
        if admins.count() <= 1:
            raise ValidationError(_("A firm needs at least one administrator."))
    with transaction.atomic():
        user = membership.user
        membership.delete()
        # An invitation never accepted leaves nothing behind.
        if not user.is_active and not user.has_usable_password():
            user.delete()


def _require_firm_admin(*, firm: Firm, user: User) -> None:
    if not FirmMembership.objects.filter(
        firm=firm, user=user, role=FirmMembership.FirmRole.ADMIN
    ).exists():
        raise PermissionDenied("only the firm's administrators manage its members")


def invitation_accept(*, user: User, password: str, full_name: str = "") -> User:
    """An invited colleague sets a password; the invitation link proved the address."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"new_password1": error.messages}) from error
    user.set_password(password)
    user.full_name = full_name or user.full_name
    user.is_active = True
    user.save(update_fields=["password", "full_name", "is_active"])
    return user


def user_delete(*, user: User) -> None:
    """A user deletes their own account; the firm stays for its other members and for staff."""
    membership = FirmMembership.objects.filter(user=user).select_related("firm").first()
    if membership is not None and membership.role == FirmMembership.FirmRole.ADMIN:
        others = FirmMembership.objects.filter(firm=membership.firm).exclude(user=user)
        if others.exists() and not others.filter(role=FirmMembership.FirmRole.ADMIN).exists():
            # Hand the firm to the longest-serving colleague rather than orphan it.
            heir = others.order_by("joined_at", "pk").first()
            if heir is not None:
                FirmMembership.objects.filter(pk=heir.pk).update(role=FirmMembership.FirmRole.ADMIN)
    user.delete()


# Requesters: organisations and invitations by hub staff (issue 6) ----------------------------


def _require_hub_staff(user: User | None) -> None:
    if user is None or not user.is_hub_staff:
        raise PermissionDenied("only hub staff manage requesting organisations")


def organisation_create(*, name: str, by: User, name_uk: str = "", slug: str = "") -> Organisation:
    """Hub staff add a requesting organisation; its slug never changes once requirements use it."""
    _require_hub_staff(by)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the organisation's name")})
    slug = slugify(slug.strip() or name)[:64].strip("-")
    if not slug:
        raise ValidationError(
            {"slug": _("Enter a short name of Latin letters, digits and hyphens, like mod-kyiv")}
        )
    if Organisation.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("An organisation with this short name already exists")})
    organisation = Organisation(slug=slug, name=name, name_uk=name_uk.strip())
    organisation.full_clean()
    organisation.save()
    return organisation


def requester_invite(*, organisation: Organisation, email: str, by: User) -> tuple[User, bool]:
    """Hub staff invite a requester for an organisation; returns the user and whether the
    invitation is new (False when an unanswered one is sent again)."""
    _require_hub_staff(by)
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, role=Role.REQUESTER, organisation=organisation, is_active=False)
        # No password until the invitation is accepted, so nobody can sign in as it meanwhile.
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        return user, True
    if user.role != Role.REQUESTER:
        raise ValidationError(
            {"email": _("This address belongs to a supplier or staff account, not a requester.")}
        )
    if user.organisation_id != organisation.pk:
        raise ValidationError({"email": _("This person is a requester of another organisation.")})
    if user.is_active or user.has_usable_password():
        raise ValidationError({"email": _("This person already has an account here.")})
    return user, False


# Second factor for hub staff: an authenticator app (TOTP) and recovery codes (issue 7) --------

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def _require_staff_account(user: User) -> None:
    if not user.is_hub_staff:
        raise PermissionDenied("only hub staff accounts have a second factor")


def _normalised_code(code: str) -> str:
    # People copy codes with the spaces or hyphens an app or a printout groups them by.
    return "".join(code.split()).replace("-", "").lower()


def authenticator_enrolment(*, user: User) -> TOTPDevice:
    """The authenticator a staff user is setting up (unconfirmed until a code from it is typed);
    the same one on every visit, so the QR code does not change under them."""
    _require_staff_account(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def authenticator_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the authenticator being set up with a code from it and issue recovery codes;
    None if the code is wrong."""
    code = _normalised_code(code)
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None or not code.isdigit() or not device.verify_token(code):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = recovery_codes_issue(user=user)
    return device, codes


def second_factor_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts `code`: the authenticator's current code, or an unused recovery
    code (which is used up); None if neither does."""
    code = _normalised_code(code)
    if not code:
        return None
    # select_for_update: two requests racing with one recovery code cannot both spend it.
    with transaction.atomic():
        if code.isdigit():
            for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
                if device.verify_token(code):
                    return device
        for static in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if static.verify_token(code):
                return static
    return None


def recovery_codes_issue(*, user: User) -> list[str]:
    """Replace a staff user's recovery codes with fresh single-use ones, returned to show once."""
    _require_staff_account(user)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        # The same device keeps its id, so a session verified by a recovery code stays verified.
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def authenticator_install(
    *, user: User, key_hex: str, name: str = AUTHENTICATOR_NAME
) -> TOTPDevice:
    """Give a staff user a confirmed authenticator with a known key (the demo accounts)."""
    _require_staff_account(user)
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name=name, defaults={"key": key_hex, "confirmed": True}
    )
    return device
