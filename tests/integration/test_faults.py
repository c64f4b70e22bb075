"""Faults (issue 7): real PostgreSQL, real Redis and real Celery worker processes under failure.

1. a worker SIGKILLed in the middle of a requirement rescore;
2. the broker gone while a supplier saves a capability;
3. PostgreSQL backends terminated while the portal and a worker are busy;
4. the same task delivered twice, and two workers rescoring one requirement at once.

Pausing a rescore mid-way needs no hook in the code: the test holds `FOR NO KEY UPDATE` on the
requirement's row in its own transaction. A rescore's transaction writes its match rows (the
foreign-key checks take only `FOR KEY SHARE`, which does not conflict) and then waits to stamp
the requirement as scored, so the worker is stopped inside its write transaction, rows written
and not committed, until the test lets go. Every process a test starts is stopped by its pid.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
import redis
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from firms import csv_upload
from firms.models import Capability
from matching import services, tasks
from matching.models import Match
from requirements.models import Requirement
from tests import factories
from tests.integration.conftest import ROOT, WorkerProcess, _test_database_url, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.timeout(90)]

# A killed worker's unacknowledged task returns to the queue after this long (300 s in base).
VISIBILITY_SECONDS = 5
# How often beat sends the sweep in the broker test (60 s in base).
SWEEP_SECONDS = 2
TERMINATE_SQL = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


# Helpers --------------------------------------------------------------------------------------


def stored(requirement: Requirement) -> list[tuple]:
    """Every stored column of the requirement's rows in the order users see them, except the
    surrogate id and the time of computation."""
    columns = [
        f.attname for f in Match._meta.concrete_fields if f.attname not in ("id", "computed_at")
    ]
    return list(
        Match.objects.filter(requirement=requirement)
        .order_by("removed", "-eligible", "-score", "capability_id")
        .values_list(*columns)
    )


def assert_no_duplicates(requirement: Requirement) -> None:
    rows = Match.objects.filter(requirement=requirement)
    pairs = set(rows.values_list("requirement_id", "capability_id"))
    assert rows.count() == len(pairs)
    assert not rows.filter(removed=True).exists()


def single_run(requirement: Requirement) -> list[tuple]:
    """What one undisturbed rescore in this process stores for the same data."""
    Match.objects.filter(requirement=requirement).delete()
    services.requirement_rescore(requirement_id=requirement.pk)
    return stored(requirement)


def some_capabilities(prefix: str, count: int = 24) -> list[Capability]:
    """A spread of eligible and blocked candidates (TRL 4-9 against a minimum of 6)."""
    return [
        factories.CapabilityFactory(
            reference=f"{prefix}-{i}",
            trl=4 + i % 6,
            monthly_capacity=40 * (i + 1),
            lead_time_weeks=2 + i % 7,
        )
        for i in range(count)
    ]


def succeeded(worker: WorkerProcess, task: str = "rescore_requirement") -> int:
    text = worker.log_path.read_text()
    return sum(1 for line in text.splitlines() if task in line and " succeeded in " in line)


def broker_idle() -> bool:
    client = redis.Redis.from_url(tasks.rescore_requirement.app.conf.broker_url)
    return client.llen("celery") == 0 and not client.hlen("unacked")


def free_port(preferred: int | None = None) -> int:
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free port")


def process_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hub.settings.test",
        "HUB_CELERY_EAGER": "0",
        "DATABASE_URL": _test_database_url(),
        **extra,
    }


def stop_process(process: subprocess.Popen) -> None:
    """Stop one process this test started, by its pid, with bounded waits."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


class RequirementPause:
    """Holds the requirement's row so that a rescore waits inside its write transaction."""

    def __init__(self, requirement: Requirement):
        params = connection.settings_dict
        self.conn = psycopg2.connect(
            dbname=params["NAME"],
            user=params["USER"],
            host=params["HOST"] or "127.0.0.1",
            port=params["PORT"] or 5432,
            password=params["PASSWORD"] or None,
        )
        with self.conn.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.pid = cursor.fetchone()[0]
            cursor.execute(
                "SELECT id FROM requirements_requirement WHERE id = %s FOR NO KEY UPDATE",
                [requirement.pk],
            )

    def _query(self, sql: str, params: list | None = None) -> list[tuple]:
        with self.conn.cursor() as cursor:
            # Activity views are read once per transaction unless the snapshot is dropped.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(sql, params or [])
            return cursor.fetchall()

    def waiting(self) -> dict[int, str]:
        """Backends of this database waiting on a lock, with the lock they wait for."""
        rows = self._query(
            "SELECT pid, wait_event FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return dict(rows)

    def alive(self, pid: int) -> bool:
        return bool(self._query("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]))

    def terminate_others(self) -> int:
        """The fault of promise 3, run on this connection (which keeps its lock)."""
        return sum(1 for (done,) in self._query(TERMINATE_SQL) if done)

    def release(self) -> None:
        if not self.conn.closed:
            self.conn.rollback()
            self.conn.close()


@contextlib.contextmanager
def paused(requirement: Requirement):
    pause = RequirementPause(requirement)
    try:
        yield pause
    finally:
        pause.release()


def wait_for_backend_gone(pid: int, timeout: float = 20) -> None:
    def gone() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
            return cursor.fetchone() is None

    wait_for(gone, timeout=timeout)


# 1. A worker killed mid-rescore ---------------------------------------------------------------


def test_a_worker_killed_mid_rescore_is_replaced_and_the_matches_are_complete(start_worker):
    some_capabilities("KILL")
    requirement = factories.RequirementFactory()
    fast_redelivery = {"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_SECONDS)}
    doomed = start_worker("doomed", env=fast_redelivery)

    with paused(requirement) as pause:
        tasks.rescore_requirement.delay(requirement.pk)
        (pid,) = wait_for(pause.waiting, timeout=30)
        delivered = time.monotonic()
        doomed.stop(sig_kill=True)
        assert doomed.process.returncode == -9
    # The orphaned backend finds its client gone once it may go on, and rolls back.
    wait_for_backend_gone(pid)
    assert not Match.objects.filter(requirement=requirement).exists(), "half a rescore committed"
    assert not broker_idle(), "the killed worker's task was lost"

    # Redis hands the unacknowledged task back once the visibility timeout has passed.
    time.sleep(max(0.0, delivered + VISIBILITY_SECONDS + 0.5 - time.monotonic()))
    heir = start_worker("heir", env=fast_redelivery)
    wait_for(lambda: succeeded(heir) == 1, timeout=30)
    wait_for(broker_idle, timeout=15)

    by_worker = stored(requirement)
    assert len(by_worker) == 24
    assert_no_duplicates(requirement)
    assert Match.objects.filter(requirement=requirement, eligible=True).exists()
    assert Match.objects.filter(requirement=requirement, eligible=False).exists()
    assert by_worker == single_run(requirement)


# 2. The broker gone while a supplier saves -----------------------------------------------------


@dataclass
class OwnRedis:
    """A redis-server this test starts and stops by pid; never the machine's own Redis."""

    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        wait_for(lambda: _pings(client), timeout=10, interval=0.05)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


@pytest.fixture
def own_broker(start_worker, tmp_path):
    """Points this process's Celery producer at a redis-server of the test's own."""
    server = OwnRedis(port=free_port(6390), log=tmp_path / "own-redis.log")
    app = tasks.rescore_requirement.app
    before = os.environ.get("CELERY_BROKER_URL")

    def repoint() -> None:
        # Dropped, not closed: kombu's process-wide producer pools are keyed by broker URL and
        # would hand a closed pool to the next test that publishes to the same URL.
        app._pool = None
        app.amqp._producer_pool = None

    server.start()
    os.environ["CELERY_BROKER_URL"] = server.url  # read by celery before its own setting
    repoint()
    try:
        yield server
    finally:
        if before is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = before
        repoint()
        server.stop()


CAPABILITY_FORM = {
    "reference": "OUTAGE-1",
    "name": "Night interceptor",
    "description": "Carbon quadcopter interceptor for pursuit of attack drones at night.",
    "category": "UAS.INTERCEPTOR",
    "keywords": "interceptor, shahed",
    "trl": "8",
    "unit_price_gbp": "1800",
    "monthly_capacity": "400",
    "lead_time_weeks": "5",
    "control_rating": "ML10",
    "licence_status": "SIEL_HELD",
    "licence_reference": "GB-SIEL-2026-002",
    "licence_expiry": "2030-06-30",
    "itar_free": "on",
}


def test_a_capability_saved_while_the_broker_is_down_is_rescored_when_it_returns(
    start_worker, own_broker, client, tmp_path
):
    supplier = factories.MembershipFactory().user
    requirements = [factories.RequirementFactory(min_trl=6 + i) for i in range(3)]
    for requirement in requirements:  # scored already, so the sweep finds only the new capability
        services.requirement_rescore(requirement_id=requirement.pk)
    env = {"CELERY_BROKER_URL": own_broker.url, "MATCH_SWEEP_SECONDS": str(SWEEP_SECONDS)}
    worker = start_worker("sweeper", env=env)
    beat = WorkerProcess(
        "beat",
        tmp_path / "beat.log",
        env=env,
        argv=[
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "hub",
            "beat",
            "--loglevel",
            "INFO",
            "--max-interval",
            "1",
            "--schedule",
            str(tmp_path / "beat-schedule"),
        ],
    )
    beat.ready_text = "beat: Starting"
    try:
        beat.wait_ready()
        own_broker.stop()
        client.force_login(supplier)

        response = client.post(reverse("portal:capability-create"), CAPABILITY_FORM, follow=True)

        assert response.status_code == 200
        assert "“Night interceptor” is saved." in response.content.decode()
        capability = Capability.objects.get(reference="OUTAGE-1")
        assert not Match.objects.filter(capability=capability).exists()

        connected = worker.log_path.read_text().count("Connected to redis://")
        own_broker.start()
        wait_for(
            lambda: worker.log_path.read_text().count("Connected to redis://") > connected,
            timeout=40,
        )
        back = time.monotonic()
        rows = wait_for(
            lambda: list(Match.objects.filter(capability=capability)),
            timeout=SWEEP_SECONDS + 5,
        )
        assert time.monotonic() - back <= SWEEP_SECONDS + 5
        assert {row.requirement_id for row in rows} == {r.pk for r in requirements}
        assert "sweep enqueued 0 requirements, 1 capabilities" in worker.log_path.read_text()
        wait_for(lambda: succeeded(worker, "rescore_capability") >= 1, timeout=10)
        again = services.capability_rescore(capability_id=capability.pk)
        assert (again.created, again.changed, again.removed) == (0, 0, 0)
    finally:
        worker.stop()  # before the fixture stops the broker it listens to
        beat.stop()


def test_a_csv_upload_while_the_broker_is_down_says_to_upload_again(
    own_broker, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    supplier = factories.MembershipFactory().user
    own_broker.stop()
    client.force_login(supplier)
    header = ",".join(csv_upload.COLUMNS)
    row = (
        "QX-1,Quad 1,Fast quad,UAS.INTERCEPTOR,7,1800,400,5,ML10,SIEL_HELD,true,false,"
        "interceptor;shahed,true"
    )
    upload = SimpleUploadedFile("caps.csv", f"{header}\n{row}\n".encode(), "text/csv")

    response = client.post(reverse("portal:csv-upload"), {"file": upload}, follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "The import could not be started. Upload the same file again in a few minutes." in html
    assert "Nothing is wrong with your file" in html
    # Not the page for a file with mistakes in it.
    assert "Fix them in your spreadsheet" not in html
    assert "problem in your file" not in html
    assert not Capability.objects.exists()


# 3. PostgreSQL backends terminated during traffic ----------------------------------------------


@pytest.fixture
def gunicorn(start_worker, tmp_path):
    """The portal served by gunicorn (one sync worker keeping its database connection)."""
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "hub.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--worker-class",
            "sync",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=process_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _status(base + "/healthz", {}) in (200, 503), timeout=30)
        yield base
    finally:
        stop_process(process)
        log.close()


def _status(url: str, headers: dict[str, str]) -> int | None:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback test URL
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def test_terminated_database_backends_do_not_fail_the_next_requests(gunicorn, client):
    membership = factories.MembershipFactory()
    factories.CapabilityFactory(firm=membership.firm, reference="PG-1")
    factories.RequirementFactory()
    client.force_login(membership.user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
    urls = [gunicorn + path for path in ("/portal/", "/portal/capabilities/", "/healthz")]
    for url in urls:
        assert _status(url, cookie) == 200, url

    # Requests and terminations interleave, never overlap: each termination lands on the
    # server's idle persistent connection, the case a failover leaves behind. A request cut
    # mid-query may fail; the promise is about the requests after it.
    gate = threading.Lock()
    log: list[tuple[str, int | None]] = []
    stop = threading.Event()

    def traffic() -> None:
        while not stop.is_set():
            for url in urls:
                with gate:
                    log.append((url, _status(url, cookie)))
                time.sleep(0.02)

    thread = threading.Thread(target=traffic, daemon=True)
    terminated: list[tuple[int, int]] = []  # (backends terminated, requests served before)
    params = connection.settings_dict
    admin = psycopg2.connect(
        dbname=params["NAME"],
        user=params["USER"],
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
    )
    admin.autocommit = True
    thread.start()
    try:
        for _ in range(4):
            time.sleep(0.5)
            with gate, admin.cursor() as cursor:
                cursor.execute(TERMINATE_SQL)
                terminated.append((sum(1 for (done,) in cursor.fetchall() if done), len(log)))
        time.sleep(0.5)
    finally:
        stop.set()
        thread.join(15)
        admin.close()
    connection.close()  # this process's own backend was among those terminated

    # Each time the server's connection was there to be killed, and requests followed.
    assert all(killed >= 1 for killed, _ in terminated), terminated
    assert all(served < len(log) for _, served in terminated)
    assert len(log) >= 4 * len(urls)
    failed = [entry for entry in log if entry[1] != 200]
    assert not failed, f"{len(failed)} of {len(log)} requests failed: {failed[:5]}"


def test_a_task_whose_database_backend_is_terminated_retries_and_completes(start_worker):
    some_capabilities("RETRY", count=12)
    requirement = factories.RequirementFactory()
    worker = start_worker("retrying")

    with paused(requirement) as pause:
        tasks.rescore_requirement.delay(requirement.pk)
        (pid,) = wait_for(pause.waiting, timeout=30)
        assert pause.terminate_others() >= 1
    connection.close()  # ours was terminated too
    wait_for_backend_gone(pid)

    wait_for(lambda: succeeded(worker) == 1, timeout=30)
    text = worker.log_path.read_text()
    assert "retry: Retry in" in text
    assert "OperationalError" in text
    assert_no_duplicates(requirement)
    assert stored(requirement) == single_run(requirement)


# 4. The same task twice; two workers at once ----------------------------------------------------


def test_the_same_task_delivered_twice_stores_what_one_run_stores(start_worker):
    some_capabilities("TWICE", count=12)
    requirement = factories.RequirementFactory()
    worker = start_worker("twice")
    message_id = str(uuid.uuid4())

    tasks.rescore_requirement.apply_async((requirement.pk,), task_id=message_id)
    wait_for(lambda: succeeded(worker) == 1, timeout=30)
    first = stored(requirement)
    stamps = dict(Match.objects.values_list("capability_id", "computed_at"))
    tasks.rescore_requirement.apply_async((requirement.pk,), task_id=message_id)
    wait_for(lambda: succeeded(worker) == 2, timeout=30)
    wait_for(broker_idle, timeout=15)

    assert stored(requirement) == first
    # The second delivery found nothing to change, so it rewrote nothing.
    assert dict(Match.objects.values_list("capability_id", "computed_at")) == stamps
    assert_no_duplicates(requirement)
    assert first == single_run(requirement)


def test_two_workers_rescoring_one_requirement_at_once_store_one_runs_rows(start_worker):
    some_capabilities("TWIN", count=16)
    requirement = factories.RequirementFactory()
    workers = [start_worker("twin"), start_worker("twin")]

    with paused(requirement) as pause:
        tasks.rescore_requirement.delay(requirement.pk)
        tasks.rescore_requirement.delay(requirement.pk)
        waits = wait_for(lambda: (w := pause.waiting()) and len(w) == 2 and w, timeout=30)
        # Both are inside a rescore; the second must wait for the first's per-requirement
        # advisory lock, not write alongside it and queue behind its uncommitted rows.
        assert "advisory" in waits.values(), f"not serialised by the advisory lock: {waits}"
    wait_for(lambda: sum(succeeded(w) for w in workers) == 2, timeout=30)
    wait_for(broker_idle, timeout=15)

    assert_no_duplicates(requirement)
    assert stored(requirement) == single_run(requirement)
