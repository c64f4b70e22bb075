"""SQLite log checkpoints off a rescore's path: a thread per process copies the log back.

In WAL mode every commit appends pages to the log, and the commit that takes the log past
`wal_autocheckpoint` pages copies all of it back into the database file before it returns
(with fsync). A requirement's rescore writes 400-2,400 pages, so with a checkpoint every
10,000 pages roughly one rescore in seven paid 150-400 ms on top of its 40-100 ms. Instead a
rescore commits with automatic checkpoints off and then wakes this process's checkpointer,
whose own connection runs a PASSIVE checkpoint (it waits for no reader or writer) while the
worker goes on scoring. Other writers keep the automatic checkpoint, which also still bounds
the log should this thread fall behind."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from django.db import connection

log = logging.getLogger(__name__)


class Checkpointer:
    """Runs `PRAGMA wal_checkpoint(PASSIVE)` on `path` in a daemon thread when woken.

    Started lazily and again after a fork (a Celery pool's children do not inherit threads)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.done = 0  # checkpoints run, for tests and logs
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._pid: int | None = None
        self._starting = threading.Lock()

    def wake(self) -> None:
        with self._starting:
            if self._pid != os.getpid():
                self._pid = os.getpid()
                self._wake, self._idle = threading.Event(), threading.Event()
                self._idle.set()
                threading.Thread(target=self._run, name="sqlite-checkpoints", daemon=True).start()
        self._idle.clear()
        self._wake.set()

    def wait_idle(self, timeout: float) -> bool:
        """True once the thread has no checkpoint asked of it (tests, orderly shutdown)."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        # Its own connection: a checkpoint on the worker's would hold the worker's thread.
        database = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        while True:
            self._wake.wait()
            self._wake.clear()
            try:
                database.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                self.done += 1
            except sqlite3.Error:
                # The next wake tries again; meanwhile automatic checkpoints bound the log.
                log.exception("SQLite checkpoint failed")
            if not self._wake.is_set():
                self._idle.set()


_checkpointers: dict[str, Checkpointer] = {}


def checkpointer_for(path: str) -> Checkpointer:
    if path not in _checkpointers:
        _checkpointers[path] = Checkpointer(path)
    return _checkpointers[path]


@contextmanager
def checkpoint_after() -> Iterator[None]:
    """Commit what the block writes without an automatic checkpoint, then have this process's
    checkpointer copy the log back. Outside a file-backed SQLite database, nothing."""
    if connection.vendor != "sqlite" or cast(Any, connection).is_in_memory_db():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        (pages,) = cursor.fetchone()
        cursor.execute("PRAGMA wal_autocheckpoint=0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")
    checkpointer_for(str(connection.settings_dict["NAME"])).wake()
