"""Plain-text e-mails rendered from templates/emails/ in the current language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def send_templated(*, to: str, template: str, context: dict[str, Any]) -> None:
    """Send templates/emails/<template>.txt; its first line is the subject."""
    text = render_to_string(f"emails/{template}.txt", context).strip()
    subject, _, body = text.partition("\n")
    send_mail(subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, [to])
