"""Settings shared by every run mode. Environment variables are read here and nowhere else."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("HUB_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env(
    DJANGO_DEBUG=(bool, False),
    DJANGO_ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "testserver"]),
    LICENCE_WAIT_WEEKS=(int, 4),
    MATCH_TOP_ELIGIBLE=(int, 200),
    MATCH_NEAR_MISSES=(int, 20),
    MATCH_PER_CAPABILITY=(int, 20),
    MATCH_REMOVAL_RETENTION_DAYS=(int, 30),
    MATCH_SWEEP_SECONDS=(int, 60),
    CELERY_VISIBILITY_TIMEOUT=(int, 300),
)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="embedded-default-not-for-production")
DEBUG = env("DJANGO_DEBUG")
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "hub.admin_site.HubAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "firms",
    "requirements",
    "matching",
]

MIDDLEWARE = [
    # First, so that every log line of the request, even a middleware's, carries its id.
    "hub.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    # After OTPMiddleware (it tells whether the session passed the second factor).
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.portal",
            ],
        },
    },
]


def _rate(var: str, default: str) -> str:
    """A rate such as "20/minute" (DRF's form: a count, then second, minute, hour or day)."""
    value = env.str(var, default=default)
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise ImproperlyConfigured(f"{var} must look like 20/minute (got {value!r})")
    return value


def _database(url_var: str = "DATABASE_URL") -> dict:
    if env.str(url_var, default=""):
        db = env.db_url(url_var)
        if db["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured(f"{url_var} must point at PostgreSQL (postgres://...)")
        db["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
        # A backend killed under us (failover, pg_terminate_backend) is noticed before reuse.
        db["CONN_HEALTH_CHECKS"] = True
        return db
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "db.sqlite3",
        "OPTIONS": {
            # WAL lets the web server read while the worker writes; the busy timeout and
            # IMMEDIATE transactions make concurrent writers wait instead of failing.
            # A larger page cache and a memory map keep the match table's indexes in memory
            # while a rescore upserts thousands of rows into them. A rescore touches some 700
            # pages: with the default checkpoint every 1,000 pages of log, most commits copied
            # the log back into the file (17-27 ms of a 70 ms rescore); every 10,000 (a log of
            # up to about 40 MB) that cost is paid a tenth as often, and a rescore's own commit
            # leaves it to a checkpoint thread (hub.sqlite_checkpoints).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA cache_size=-131072; PRAGMA mmap_size=1073741824; "
                "PRAGMA wal_autocheckpoint=10000;"
            ),
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The first hashes new passwords; the rest (Django's defaults) verify hashes made before it,
# which Django rewrites with the first at the next successful sign-in. Argon2id at OWASP's
# parameters costs a sign-in about 45 ms of CPU where PBKDF2 at 1,000,000 iterations cost
# 300 ms (accounts/hashers.py says why not Django's own Argon2 parameters).
PASSWORD_HASHERS = [
    "accounts.hashers.OWASPArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en", "English"), ("uk", "Українська")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Kyiv"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "hub.staticfiles.HubStaticFilesStorage"},
}

LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_AGE = 60 * 60 * 8
# Portal (issue 5): a session idle this long ends; failed sign-ins lock an address for a while.
HUB_SESSION_IDLE_SECONDS = env.int("HUB_SESSION_IDLE_SECONDS", default=30 * 60)
HUB_SIGN_IN_MAX_FAILURES = env.int("HUB_SIGN_IN_MAX_FAILURES", default=5)
HUB_SIGN_IN_LOCKOUT_SECONDS = env.int("HUB_SIGN_IN_LOCKOUT_SECONDS", default=15 * 60)
# Sign-in and sign-up POSTs per client address (shared cache, fixed window), on top of the
# per-address lock-out: one source cannot spray passwords over many accounts or mass-register.
HUB_SIGN_IN_RATE = _rate("HUB_SIGN_IN_RATE", "20/minute")
HUB_SIGN_UP_RATE = _rate("HUB_SIGN_UP_RATE", "10/hour")
HUB_DATASHEET_MAX_BYTES = 10 * 1024 * 1024
HUB_EMAIL_VERIFY_MAX_AGE_SECONDS = 3 * 24 * 60 * 60
# Links in e-mails sent by background tasks (no request to take the host from).
HUB_SITE_URL = env.str("HUB_SITE_URL", default="http://localhost:8000")
# Hub staff confirm sign-in with a TOTP code or a recovery code (django-otp). Wrong codes count
# towards the sign-in lock-out above, so django-otp's own back-off is off: it would refuse a right
# code typed a second after a typo. Device keys stay out of the admin's pages.
OTP_TOTP_ISSUER = "Kyiv Defence Industry Hub"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="hub@kyiv-hub.example")

# Broker and cache: Redis when REDIS_URL is set, otherwise an embedded set-up that needs no server
# but still works across the web, worker and beat processes.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "hub",
        }
    }
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Late acks on Redis: an unacknowledged task returns to the queue after this many
        # seconds, so a worker killed mid-rescore costs minutes, not the default hour.
        "visibility_timeout": env("CELERY_VISIBILITY_TIMEOUT"),
    }
else:
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "data_folder_processed": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "matching-sweep": {
        "task": "matching.tasks.sweep_stale",
        "schedule": timedelta(seconds=env("MATCH_SWEEP_SECONDS")),
    },
    "matching-retry-stalled-webhooks": {
        "task": "matching.webhook_tasks.retry_stalled_webhooks",
        "schedule": timedelta(minutes=5),
    },
    "worker-heartbeat": {
        "task": "matching.tasks.worker_heartbeat",
        "schedule": timedelta(seconds=60),
    },
    "matching-purge-removals": {
        "task": "matching.tasks.purge_old_removals",
        "schedule": crontab(hour=3, minute=17),
    },
    "firms-certification-reminders": {
        "task": "firms.tasks.send_certification_reminders",
        "schedule": crontab(hour=7, minute=5),
    },
    "firms-requirement-alerts": {
        "task": "firms.tasks.send_requirement_alerts",
        "schedule": timedelta(minutes=10),
    },
}

# Matching: defaults the engine settings row starts from (staff tune them in the admin).
HUB_MATCHING = {
    "LICENCE_WAIT_WEEKS": env("LICENCE_WAIT_WEEKS"),
    "TOP_ELIGIBLE": env("MATCH_TOP_ELIGIBLE"),
    "NEAR_MISSES": env("MATCH_NEAR_MISSES"),
    "PER_CAPABILITY": env("MATCH_PER_CAPABILITY"),
    "REMOVAL_RETENTION_DAYS": env("MATCH_REMOVAL_RETENTION_DAYS"),
}

REST_FRAMEWORK = {
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    # Also what `manage.py spectacular` documents when no --api-version is given.
    "DEFAULT_VERSION": "v1",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Token first: its `authenticate_header` turns a missing credential into 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.TokenAuthentication",
        # Refuses a hub staff session that has not passed the second factor (403).
        "accounts.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["hub.api_filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "hub.api_pagination.ReferenceCursorPagination",
    "PAGE_SIZE": 50,
    "COERCE_DECIMAL_TO_STRING": False,
    # Every token has its own service user, so a per-user rate is a per-token rate; anonymous
    # callers (the schema, the docs) are counted per client address. Over the rate: 429 with a
    # JSON `detail` and Retry-After.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": _rate("API_ANON_THROTTLE_RATE", "120/minute"),
        "user": _rate("API_THROTTLE_RATE", "1200/minute"),
    },
    # How many reverse proxies in front of gunicorn append to X-Forwarded-For. 0: the client
    # address is REMOTE_ADDR (a client-sent X-Forwarded-For is not trusted). The sign-in and
    # sign-up rate limits use the same rule.
    "NUM_PROXIES": env.int("HUB_NUM_PROXIES", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kyiv Defence Industry Hub API",
    "DESCRIPTION": "Requirements and ranked supplier matches for partner systems.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"RequirementStatusEnum": "requirements.flow.Status"},
}

# Webhooks (REST API): local and test runs post to receivers on 127.0.0.1, production settings
# refuse loopback and private addresses; deliveries retry with exponential backoff, at most
# HUB_WEBHOOK_MAX_ATTEMPTS tries.
HUB_WEBHOOK_ALLOW_PRIVATE = env.bool("HUB_WEBHOOK_ALLOW_PRIVATE", default=True)
HUB_WEBHOOK_MAX_ATTEMPTS = env.int("HUB_WEBHOOK_MAX_ATTEMPTS", default=6)
HUB_WEBHOOK_BACKOFF_SECONDS = env.int("HUB_WEBHOOK_BACKOFF_SECONDS", default=30)
HUB_WEBHOOK_TIMEOUT_SECONDS = env.int("HUB_WEBHOOK_TIMEOUT_SECONDS", default=10)
HUB_WEBHOOK_TOP = 20
HUB_WEBHOOK_SCORE_DELTA = 5.0


def logging_config(*, json_lines: bool) -> dict:
    """Every record gets the request id (hub/requestid.py); JSON lines or readable text."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "hub.requestid.RequestIdFilter"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {"()": "hub.requestid.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_lines else "plain",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
        # The filesystem broker has no host; kombu warns about that on every publish.
        "loggers": {"kombu.connection": {"level": "ERROR"}},
    }


LOGGING = logging_config(json_lines=env.bool("HUB_LOG_JSON", default=False))

# Content-Security-Policy (django-csp) on every page: scripts and styles only from our own static
# files, so an injected <script> or onclick= does not run. Inline style attributes stay allowed
# (style-src-attr): a server-rendered progress bar sets its width that way, and an attribute
# cannot run script. Swagger UI loads through the split view (its set-up script is a file too).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
