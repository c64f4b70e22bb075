"""Production hardening on top of base: every secret and host comes from the environment.

A missing or weak required variable stops the process at start-up with ImproperlyConfigured
naming it, rather than running with a development default. docs/operations.md lists them all.
"""

from __future__ import annotations

import environ
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, DEFAULT_FROM_EMAIL, REDIS_URL, env, logging_config

# No scheme: base's development defaults (ALLOWED_HOSTS of localhost) must not apply here.
_required = environ.Env()


def _require(var: str) -> str:
    value = _required.str(var, default="").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {var} environment variable (production settings)")
    return value


DEBUG = False
SECRET_KEY = _require("DJANGO_SECRET_KEY")
if SECRET_KEY.startswith("embedded-default") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a random string of 50+ characters")
# Old keys still verify sessions, password-reset links and signed values while users move over
# (docs/operations.md, "Rotate the Django secret").
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = [host.strip() for host in _require("DJANGO_ALLOWED_HOSTS").split(",")]
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
_require("DATABASE_URL")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production")
if not REDIS_URL:
    raise ImproperlyConfigured("Set the REDIS_URL environment variable (production settings)")

# TLS ends at the reverse proxy, which must set X-Forwarded-Proto (and overwrite a client's).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Load balancers and the compose health check probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# The idle timeout (HUB_SESSION_IDLE_SECONDS, accounts.middleware) and the 8-hour SESSION_COOKIE_AGE
# come from base unchanged.

# A client could otherwise register a webhook on the hub's own network (SSRF).
HUB_WEBHOOK_ALLOW_PRIVATE = env.bool("HUB_WEBHOOK_ALLOW_PRIVATE", default=False)

# Static files: collected at image build time; whitenoise serves them compressed (gzip)
# under hashed names with far-future caching, from base's STORAGES.
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "hub.staticfiles.HubStaticFilesStorage"},
}

LOGGING = logging_config(json_lines=env.bool("HUB_LOG_JSON", default=True))

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
