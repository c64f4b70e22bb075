from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django.utils import timezone

KYIV = ZoneInfo("Europe/Kyiv")


def kyiv_today() -> date:
    """Dates in this portal are Ukrainian dates, whatever the server's zone."""
    return timezone.now().astimezone(KYIV).date()
