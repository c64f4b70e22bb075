"""hub.settings.production in a real process: `check --deploy` clean, refusals named, statics."""

from __future__ import annotations

import pytest

from tests.hub.conftest import run_manage


def test_check_deploy_prints_no_warnings():
    result = run_manage("check", "--deploy")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "System check identified no issues" in output


@pytest.mark.parametrize("variable", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_a_missing_required_variable_stops_start_up_naming_it(variable):
    result = run_manage("check", **{variable: None})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DJANGO_SECRET_KEY", "too-short"),
        ("DJANGO_SECRET_KEY", "embedded-default-not-for-production" + "x" * 30),
        ("DJANGO_ALLOWED_HOSTS", "   "),
        ("DATABASE_URL", "sqlite:////tmp/hub.sqlite3"),
        ("REDIS_URL", ""),
        ("HUB_SIGN_IN_RATE", "lots"),
    ],
)
def test_a_weak_or_wrong_value_is_refused(variable, value):
    result = run_manage("check", **{variable: value})
    assert result.returncode != 0
    assert variable in result.stderr


def test_production_defaults(production_probe):
    assert production_probe["settings"]["DEBUG"] is False
    # Webhooks to the hub's own network are refused unless an operator opts in.
    assert production_probe["settings"]["HUB_WEBHOOK_ALLOW_PRIVATE"] is False
    assert production_probe["json_logs"] is True
    # The idle timeout of the portal stays (30 minutes by default).
    assert production_probe["settings"]["HUB_SESSION_IDLE_SECONDS"] == 30 * 60
    # New passwords are Argon2id; PBKDF2 hashes made before it still verify.
    hashers = production_probe["settings"]["PASSWORD_HASHERS"]
    assert hashers[0] == "accounts.hashers.OWASPArgon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers[1:]


def test_whitenoise_serves_hashed_compressed_static_files(production_probe):
    static = production_probe["static"]
    assert static["url"].startswith("/static/js/hub.")
    assert static["url"] != "/static/js/hub.js"  # a content hash in the name
    assert static["status"] == 200
    assert static["encoding"] == "gzip"
    assert "immutable" in static["cache"]
    assert static["url"] in production_probe["page"]["html"]
