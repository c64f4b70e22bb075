"""Ends a browser session that has been idle too long (issue 5: session timeout), and holds hub
staff at the second-factor step until they pass it (issue 7)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.selectors import second_factor_pending
from accounts.services import language_remember

LAST_SEEN_KEY = "hub_last_seen"
# The stamp is rewritten at most this often, so most requests cost no session write.
REFRESH_SECONDS = 60


@receiver(user_logged_in)
def _stamp_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())


@receiver(user_logged_in)
def _remember_language(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # The language the sign-in page was shown in (LocaleMiddleware), for the user's e-mails.
    if request is not None:
        language_remember(user=user, language=getattr(request, "LANGUAGE_CODE", None))


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            if last is not None and now - last > settings.HUB_SESSION_IDLE_SECONDS:
                logout(request)
                request.session["hub_timed_out"] = True
            elif last is not None and now - last > REFRESH_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """Hub staff who signed in with a password but not yet with a second factor (issue 7) are
    sent to that step from every page but the few they need to finish it or leave; the API
    refuses such a session itself (accounts.api.authentication.SessionAuthentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and second_factor_pending(user)
            and not _reachable_before_second_factor(request.path_info)
        ):
            step = reverse("accounts:second-factor")
            if request.method in ("GET", "HEAD"):
                step += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(step)
        return self.get_response(request)


# The API answers for itself (403 with a reason); static files, the health check and the language
# switch carry nothing of staff's.
_OPEN_PREFIXES = ("/api/", "/i18n/", "/healthz", "/" + settings.STATIC_URL.lstrip("/"))
_OPEN_URL_NAMES = (
    "accounts:second-factor",
    "accounts:second-factor-setup",
    "accounts:sign-in",
    "accounts:sign-out",
)


def _reachable_before_second_factor(path: str) -> bool:
    if path.startswith(_OPEN_PREFIXES):
        return True
    return path in {reverse(name) for name in _OPEN_URL_NAMES}
