from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# A key as an operator would generate it (secrets.token_urlsafe(50)); never a real deployment's.
SECRET = "kq3Jt0v7mXw9Yb2Lr8Zc5Nd1Pf6Gh4Sa-Ue0Io3Wy7Tr9Qp2Lk5Mn8Bv1Cx4Za6"


def production_env(**overrides: str | None) -> dict[str, str]:
    """The environment of a production process: a variable set to None is left out."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "HUB_", "DATABASE_", "REDIS_", "PYTEST"))
    }
    wanted: dict[str, str | None] = {
        "DJANGO_SETTINGS_MODULE": "hub.settings.production",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "hub.example.org,testserver",
        # Nothing connects to these: the checks and the probes below need no database or broker.
        "DATABASE_URL": "postgres://hub:unused@127.0.0.1:1/hub",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        **overrides,
    }
    env.update({key: value for key, value in wanted.items() if value is not None})
    return env


def run_manage(*args: str, timeout: int = 120, **overrides: str | None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(**overrides),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# Runs inside a production-settings process: requests through Django's test client (the real
# middleware stack, whitenoise included) and the settings that shape cookies, as JSON.
PROBE = r"""
import json
from django.conf import settings
from django.test import Client

client = Client()
out = {"settings": {name: getattr(settings, name) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE", "SECURE_HSTS_SECONDS",
    "HUB_WEBHOOK_ALLOW_PRIVATE", "HUB_SESSION_IDLE_SECONDS", "SECURE_SSL_REDIRECT",
    "PASSWORD_HASHERS")}}
out["json_logs"] = settings.LOGGING["handlers"]["console"]["formatter"] == "json"
plain = client.get("/account/sign-in/")
out["plain_http"] = {"status": plain.status_code, "location": plain.get("Location", "")}
page = client.get("/account/sign-in/", secure=True)
cookie = page.cookies.get("csrftoken")
out["page"] = {
    "status": page.status_code,
    "headers": dict(page.headers),
    "csrf_cookie": cookie and {key: cookie[key] for key in ("secure", "httponly", "samesite")},
    "html": page.content.decode(),
}
from django.templatetags.static import static
hashed = static("js/hub.js")
response = client.get(hashed, secure=True, HTTP_ACCEPT_ENCODING="gzip")
out["static"] = {
    "url": hashed,
    "status": response.status_code,
    "encoding": response.get("Content-Encoding", ""),
    "cache": response.get("Cache-Control", ""),
}
response.close()
print("PROBE" + json.dumps(out))
"""


@pytest.fixture(scope="session")
def production_probe(tmp_path_factory):
    """collectstatic under production settings, then the probe in a fresh process."""
    static_root = tmp_path_factory.mktemp("production-static")
    collected = run_manage(
        "collectstatic", "--noinput", "--verbosity", "0", DJANGO_STATIC_ROOT=str(static_root)
    )
    assert collected.returncode == 0, collected.stderr
    probe = run_manage("shell", "-c", PROBE, DJANGO_STATIC_ROOT=str(static_root))
    assert probe.returncode == 0, probe.stderr
    line = next(line for line in probe.stdout.splitlines() if line.startswith("PROBE"))
    return json.loads(line.removeprefix("PROBE"))
