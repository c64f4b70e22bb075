from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import setup_logging

# Connects the signal handlers that carry a request's id into the tasks it enqueues.
import hub.requestid  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.local")

app = Celery("hub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _django_logging(**kwargs: Any) -> None:
    # A receiver here stops Celery replacing the root handlers with its own, so worker and beat
    # log through settings.LOGGING: the same format (JSON in production) and the request id.
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
