"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

`playwright install` cannot download a browser here, so the system Chromium is launched with
flags that keep it from reaching the network on its own. Screenshots of each key page go to
var/screenshots/ (git-ignored).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest
from django.conf import settings

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
    ):
        importlib.import_module(module).seed(apps, None)


@pytest.fixture
def site(live_server, settings, reference_data):
    settings.ALLOWED_HOSTS = ["*"]
    return live_server.url
