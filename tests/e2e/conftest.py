"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

`playwright install` cannot download a browser here, so the system Chromium is launched with
flags that keep it from reaching the network on its own. Screenshots of each key page go to
var/screenshots/ (git-ignored).
"""

from __future__ import annotations

import importlib
import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between page actions are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
            if os.environ.get("HUB_SKIP_BROWSER") == "1":
                item.add_marker(pytest.mark.skip(reason="HUB_SKIP_BROWSER=1 (embedded CI pass)"))
            elif not Path(CHROMIUM).exists():
                if os.environ.get("HUB_REQUIRE_SERVICES") == "1":
                    raise pytest.UsageError(f"HUB_REQUIRE_SERVICES=1 but {CHROMIUM} is absent")
                item.add_marker(
                    pytest.mark.skip(reason=f"{CHROMIUM} is absent: apt-get install chromium")
                )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1100, "height": 900}, "locale": "en-GB"}


@pytest.fixture
def shot():
    """Save a full-page screenshot under var/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests start from a flushed database: put back what migrations seed."""
    from django.apps import apps

    for module in (
        "firms.migrations.0002_seed_taxonomy",
        "requirements.migrations.0002_seed_conditions",
        # The matching engine's synonyms and settings: relevance reads the synonym groups.
        "matching.migrations.0002_seed_settings",
    ):
        importlib.import_module(module).seed(apps, None)


@pytest.fixture
def site(live_server, settings, reference_data):
    settings.ALLOWED_HOSTS = ["*"]
    return live_server.url


def sign_in(page, site: str, email: str, password: str) -> None:
    """Sign in through the form, as a person would; every role's tests sign in through here."""
    page.goto(f"{site}/account/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert "/account/sign-in/" not in page.url, f"sign-in as {email} failed"
    if "/account/second-factor/" in page.url:
        _second_factor(page, email)


def _second_factor(page, email: str) -> None:
    """Hub staff confirm the sign-in with the code their authenticator app would show now."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__email=email, confirmed=True).first()
    assert device is not None, f"{email} has no authenticator to confirm the sign-in with"
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    # A code is good once: signing in again within the same 30 seconds types the next step's
    # code, which the device accepts (one step of drift).
    totp.drift += max(0, device.last_t + 1 - totp.t())
    page.get_by_label("Security code").fill(f"{totp.token():0{device.digits}d}")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert "/account/second-factor/" not in page.url, f"second factor for {email} failed"


@pytest.fixture
def new_page(browser, browser_context_args):
    """Open another browser context (its own cookies) for a second person in one test."""
    contexts = []

    def make():
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def demo(site):
    """The demo data set of `manage.py seed_demo` (scored inline, as the unit tests do)."""
    call_command("seed_demo", stdout=io.StringIO())


def _services_missing() -> str | None:
    if not os.environ.get("REDIS_URL"):
        return "needs REDIS_URL: a real Redis broker for the Celery worker process"
    if connection.vendor != "postgresql":
        # The live server and the worker are two processes: they can only share a database
        # server, not pytest's in-memory SQLite test database.
        return "needs DATABASE_URL pointing at PostgreSQL, shared by live server and worker"
    return None


@pytest.fixture
def worker(request, tmp_path):
    """The demo data set and a real Celery worker process on the test database, to which the
    live server (a thread of this process) enqueues; skips, or fails when HUB_REQUIRE_SERVICES=1,
    without Redis and PostgreSQL.

    The demo is seeded before the worker starts, so its scoring runs inline; the worker is
    stopped by its own pid."""
    reason = _services_missing()
    if reason:
        if os.environ.get("HUB_REQUIRE_SERVICES") == "1":
            pytest.fail(f"HUB_REQUIRE_SERVICES=1 but this run {reason}")
        pytest.skip(reason)
    request.getfixturevalue("demo")
    import redis

    from hub.celery import app
    from tests.integration.conftest import WorkerProcess

    # Only the broker's own database (REDIS_URL's) is emptied, never any other.
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    process = WorkerProcess("e2e", tmp_path / "worker.log")
    try:
        process.wait_ready()
        yield process
    finally:
        process.stop()
        app.conf.task_always_eager = eager
