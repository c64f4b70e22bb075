"""pytest settings: embedded default unless DATABASE_URL or REDIS_URL point at real services."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Unit tests run tasks inline when their transaction commits; the integration tests start a real
# worker process and set HUB_CELERY_EAGER=0 for it and for themselves.
CELERY_TASK_ALWAYS_EAGER = env.bool("HUB_CELERY_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = VAR_DIR / "test-media"
# No collectstatic before tests: serve static names unhashed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Test runs keep their own files (the saved matching index) apart from the development ones.
VAR_DIR = VAR_DIR / "test"
VAR_DIR.mkdir(parents=True, exist_ok=True)
if not env.str("REDIS_URL", default=""):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# The cache outlives a test (locmem per process, Redis per run) and every test client comes from
# 127.0.0.1, so rate limits are far out of reach here; tests/hub/test_rate_limits.py lowers them.
HUB_SIGN_IN_RATE = "100000/minute"
HUB_SIGN_UP_RATE = "100000/minute"
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
}
