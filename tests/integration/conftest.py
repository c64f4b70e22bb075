"""Real services for integration tests: PostgreSQL, Redis and a Celery worker process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _services_missing() -> str | None:
    if not os.environ.get("REDIS_URL"):
        return "needs REDIS_URL (real Redis broker)"
    if connection.vendor != "postgresql":
        return "needs DATABASE_URL pointing at PostgreSQL"
    return None


@pytest.fixture
def real_services():
    reason = _services_missing()
    if reason:
        if os.environ.get("HUB_REQUIRE_SERVICES") == "1":
            pytest.fail(f"HUB_REQUIRE_SERVICES=1 but this run {reason}")
        pytest.skip(reason)


@pytest.fixture
def celery_not_eager():
    from hub.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = before


def _test_database_url() -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


class WorkerProcess:
    """A Celery worker started by a test and stopped by its own process id.

    `env` adds or overrides environment variables (CELERY_BROKER_URL, CELERY_VISIBILITY_TIMEOUT,
    MATCH_SWEEP_SECONDS...); `argv` replaces the worker command (e.g. `celery beat`)."""

    ready_text = "ready."

    def __init__(
        self,
        name: str,
        log: Path,
        env: dict[str, str] | None = None,
        argv: list[str] | None = None,
    ):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "hub.settings.test",
            "HUB_CELERY_EAGER": "0",
            "DATABASE_URL": _test_database_url(),
            **(env or {}),
        }
        self.log_path = log
        self._log = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv
            argv
            or [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "hub",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--hostname",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log_path.read_text()}")
            if self.ready_text in self.log_path.read_text():
                return
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready in {timeout}s:\n{self.log_path.read_text()}")

    def stop(self, sig_kill: bool = False) -> None:
        if self.process.poll() is None:
            if sig_kill:
                self.process.kill()
            else:
                self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._log.close()


def reseed_reference_data() -> None:
    """Transactional tests flush every table, data migrations' rows included: put them back."""
    import importlib

    from django.apps import apps

    for module in (
        "firms.migrations.0002_seed_taxonomy",
        "requirements.migrations.0002_seed_conditions",
        "matching.migrations.0002_seed_settings",
    ):
        importlib.import_module(module).seed(apps, None)


@pytest.fixture
def start_worker(real_services, transactional_db, celery_not_eager, tmp_path):
    """Start workers on demand; every one started is stopped (by pid) at the end."""
    import redis

    reseed_reference_data()

    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    started: list[WorkerProcess] = []

    def start(name: str = "itest", env: dict[str, str] | None = None) -> WorkerProcess:
        label = f"{name}-{len(started)}"
        worker = WorkerProcess(label, tmp_path / f"{label}.log", env=env)
        started.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(predicate, timeout: float = 60, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")
