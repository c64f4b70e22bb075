"""E-mails suppliers receive without asking: certification reminders and requirement alerts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts.emails import send_templated
from accounts.models import FirmMembership
from firms.models import AlertDelivery, AlertPreference, FirmCertification
from matching.models import Match
from matching.storage import of_capabilities
from requirements.dates import kyiv_today
from requirements.flow import ACTIVE, Priority

REMINDER_DAYS = 30
UNSUBSCRIBE_SALT = "firms.alerts.unsubscribe"
DIGEST_EVERY = timedelta(hours=24)


def _absolute(path: str) -> str:
    return str(settings.HUB_SITE_URL).rstrip("/") + path


def unsubscribe_token(*, user: Any) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_for_unsubscribe_token(token: str) -> Any:
    from accounts.models import User

    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=pk).first()


def certification_reminders_send() -> int:
    """One reminder per certification expiry, 30 days ahead, to each active member."""
    today = kyiv_today()
    due = FirmCertification.objects.filter(
        expires_on__gte=today, expires_on__lte=today + timedelta(days=REMINDER_DAYS)
    ).select_related("firm")
    sent = 0
    for certification in due:
        expiry = certification.expires_on
        assert expiry is not None  # noqa: S101 - filtered above
        window_start = expiry - timedelta(days=REMINDER_DAYS)
        # The conditional update claims the reminder, so two runs never both send it.
        claimed = (
            FirmCertification.objects.filter(pk=certification.pk)
            .exclude(reminder_sent_on__gte=window_start)
            .update(reminder_sent_on=today)
        )
        if not claimed:
            continue
        members = FirmMembership.objects.filter(
            firm=certification.firm, user__is_active=True, user__api_client__isnull=True
        ).select_related("user")
        for membership in members:
            send_templated(
                user=membership.user,
                template="certification_reminder",
                context={"certification": certification, "firm": certification.firm},
            )
            sent += 1
    return sent


def _claim(user: Any, requirement_ids: list[int]) -> list[int]:
    claimed = []
    for pk in requirement_ids:
        try:
            with transaction.atomic():
                AlertDelivery.objects.create(user=user, requirement_id=pk)
        except IntegrityError:
            continue
        claimed.append(pk)
    return claimed


def _fitting_matches(membership: FirmMembership, since: Any) -> list[Match]:
    firm = membership.firm
    rows = (
        of_capabilities(firm.capabilities.all())
        .filter(
            eligible=True,
            removed=False,
            requirement__status__in=ACTIVE,
            computed_at__gte=since,
        )
        .select_related("requirement", "capability")
    )
    if not firm.list_x:
        rows = rows.filter(requirement__classification="OFFICIAL")
    already = AlertDelivery.objects.filter(user=membership.user).values("requirement_id")
    return list(rows.exclude(requirement_id__in=already).order_by("-score"))


def _send_alert(membership: FirmMembership, matches: list[Match], *, immediate: bool) -> int:
    by_requirement: dict[int, Match] = {}
    for match in matches:
        by_requirement.setdefault(match.requirement_id, match)
    claimed = set(_claim(membership.user, list(by_requirement)))
    chosen = [m for pk, m in by_requirement.items() if pk in claimed]
    if not chosen:
        return 0
    link = _absolute(
        reverse("portal:alerts-unsubscribe", args=[unsubscribe_token(user=membership.user)])
    )
    with translation.override(settings.LANGUAGE_CODE):
        send_templated(
            user=membership.user,
            template="requirement_alert",
            context={
                "matches": chosen,
                "immediate": immediate,
                "unsubscribe": link,
                "dashboard": _absolute(reverse("portal:dashboard")),
            },
        )
    return 1


def requirement_alerts_send() -> int:
    """Immediate mail for CRITICAL requirements, a daily digest for the rest (per preferences)."""
    now = timezone.now()
    sent = 0
    memberships = FirmMembership.objects.filter(
        user__is_active=True,
        firm__verification_state="VERIFIED",
        user__role="SUPPLIER",
        # API service users read the API, not e-mail.
        user__api_client__isnull=True,
    ).select_related("user", "firm")
    for membership in memberships:
        user = membership.user
        preference, _ = AlertPreference.objects.get_or_create(user=user)
        matches = _fitting_matches(membership, preference.created_at)
        critical = [m for m in matches if m.requirement.priority == Priority.CRITICAL]
        if preference.immediate_critical and critical:
            sent += _send_alert(membership, critical, immediate=True)
        digest_due = preference.last_digest_at is None or (
            now - preference.last_digest_at >= DIGEST_EVERY
        )
        if preference.daily_digest and digest_due:
            rest = [m for m in matches if m not in critical or not preference.immediate_critical]
            if rest:
                sent += _send_alert(membership, rest, immediate=False)
                AlertPreference.objects.filter(pk=preference.pk).update(last_digest_at=now)
    return sent
