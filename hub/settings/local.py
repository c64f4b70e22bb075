"""The embedded default: SQLite, a filesystem broker, console e-mail; `manage.py` uses it."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
