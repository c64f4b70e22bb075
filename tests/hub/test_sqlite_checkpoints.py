"""A rescore's commit on SQLite leaves copying the log back to the process's checkpoint thread."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from hub.sqlite_checkpoints import Checkpointer, checkpoint_after

ROOT = Path(__file__).resolve().parents[2]


def _logged_database(path: Path) -> sqlite3.Connection:
    database = sqlite3.connect(path, isolation_level=None)
    database.execute("PRAGMA journal_mode=WAL")
    database.execute("PRAGMA wal_autocheckpoint=0")
    database.execute("CREATE TABLE t (x TEXT)")
    database.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,) for _ in range(3000)])
    return database


def test_the_thread_copies_the_log_into_the_file(tmp_path):
    path = tmp_path / "db.sqlite3"
    database = _logged_database(path)
    assert path.stat().st_size < 100_000  # everything still in the log
    checkpointer = Checkpointer(str(path))
    checkpointer.wake()
    assert checkpointer.wait_idle(timeout=20)
    assert checkpointer.done == 1
    assert path.stat().st_size > 3_000_000
    assert database.execute("SELECT count(*) FROM t").fetchone() == (3000,)


def test_a_failed_checkpoint_leaves_the_thread_ready_for_the_next(tmp_path):
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"not a database" * 100)
    checkpointer = Checkpointer(str(path))
    checkpointer.wake()
    assert checkpointer.wait_idle(timeout=20)
    assert checkpointer.done == 0
    path.unlink()
    _logged_database(path)
    checkpointer.wake()
    assert checkpointer.wait_idle(timeout=20)
    assert checkpointer.done == 1


@pytest.mark.django_db
def test_nothing_changes_on_a_database_in_memory_or_on_postgresql():
    with checkpoint_after():
        pass
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            assert cursor.fetchone()[0] > 0


SNIPPET = """
import os, django
django.setup()
from django.db import connection, transaction
from hub.sqlite_checkpoints import checkpoint_after, checkpointer_for
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE t (x TEXT)")
with checkpoint_after(), transaction.atomic():
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO t VALUES (%s)", [("x" * 1000,)] * 3000)
        cursor.execute("PRAGMA wal_autocheckpoint")
        during = cursor.fetchone()[0]
with connection.cursor() as cursor:
    cursor.execute("PRAGMA wal_autocheckpoint")
    after = cursor.fetchone()[0]
checker = checkpointer_for(str(connection.settings_dict["NAME"]))
idle = checker.wait_idle(20)
print(during, after, idle, checker.done, os.path.getsize(connection.settings_dict["NAME"]))
"""


def test_a_write_under_checkpoint_after_is_copied_back_by_the_thread(tmp_path):
    """The portal's own SQLite settings, on a file: the commit runs without an automatic
    checkpoint (set back afterwards) and the thread then copies the log into the file."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hub.settings.local",
        "HUB_VAR_DIR": str(tmp_path),
        "DJANGO_DEBUG": "0",
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", SNIPPET],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    during, after, idle, checkpoints, size = done.stdout.split()
    assert (during, after, idle, checkpoints) == ("0", "10000", "True", "1")
    assert int(size) > 3_000_000
