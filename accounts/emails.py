"""Plain-text e-mails rendered from templates/emails/ in the recipient's language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

if TYPE_CHECKING:
    from accounts.models import User


def send_templated(*, user: User, template: str, context: dict[str, Any]) -> None:
    """Send templates/emails/<template>.txt to `user`; its first line is the subject.

    Written in the user's language (User.language), or, while the user has none, in the
    language active for whoever's action sends it."""
    with translation.override(user.language or translation.get_language()):
        text = render_to_string(f"emails/{template}.txt", context).strip()
    subject, _, body = text.partition("\n")
    send_mail(subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, [user.email])
