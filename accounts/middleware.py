"""Ends a browser session that has been idle too long (issue 5: session timeout)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

LAST_SEEN_KEY = "hub_last_seen"
# The stamp is rewritten at most this often, so most requests cost no session write.
REFRESH_SECONDS = 60


@receiver(user_logged_in)
def _stamp_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())


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
