"""Content-Security-Policy on every page, no inline script anywhere, and the production headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def assert_strict_scripts(header: str) -> None:
    policy = directives(header)
    script_src = policy.get("script-src", policy.get("default-src"))
    assert script_src == ["'self'"], header
    assert "'unsafe-inline'" not in header.split("style-src-attr")[0]
    assert "'unsafe-eval'" not in header
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


@pytest.mark.parametrize(
    "url", ["/", "/account/sign-in/", "/account/sign-up/", "/api/docs/", "/privacy/"]
)
def test_pages_carry_a_csp_without_inline_scripts(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_strict_scripts(response["Content-Security-Policy"])
    html = response.content.decode()
    assert "<script" in html  # each page loads its script, as a file
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not EVENT_HANDLER.search(html)


def test_signed_in_pages_carry_the_csp_too(client, cast):
    client.force_login(cast.supplier_a)
    response = client.get("/portal/")
    assert response.status_code == 200
    assert_strict_scripts(response["Content-Security-Policy"])
    assert not INLINE_SCRIPT.search(response.content.decode())


def test_swagger_ui_set_up_script_is_a_file(client):
    html = client.get("/api/docs/").content.decode()
    assert '<script src="/api/docs/?script="></script>' in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JS_URL):
            offenders += [
                f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in pattern.finditer(text)
            ]
    assert offenders == []


def test_production_sends_hsts_and_secure_cookies(production_probe):
    page = production_probe["page"]
    headers = {key.lower(): value for key, value in page["headers"].items()}
    assert page["status"] == 200
    assert headers["strict-transport-security"] == ("max-age=31536000; includeSubDomains; preload")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert_strict_scripts(headers["content-security-policy"])
    assert page["csrf_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    cookies = production_probe["settings"]
    assert cookies["SESSION_COOKIE_SECURE"] is True
    assert cookies["SESSION_COOKIE_HTTPONLY"] is True
    assert cookies["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_redirects_plain_http_to_https(production_probe):
    plain = production_probe["plain_http"]
    assert plain["status"] == 301
    assert plain["location"] == "https://testserver/account/sign-in/"
