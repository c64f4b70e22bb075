"""Start the web server, a Celery worker and beat together; Ctrl-C (or SIGTERM) stops all three.

Used by `make run` on the embedded default; production runs each as its own service."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = os.environ.get("HUB_HOST", "127.0.0.1")
PORT = os.environ.get("HUB_PORT", "8000")

COMMANDS = {
    "web": [
        str(BIN / "gunicorn"),
        "hub.wsgi",
        "--bind",
        f"{HOST}:{PORT}",
        "--workers",
        "2",
        "--threads",
        "4",
        "--access-logfile",
        "-",
    ],
    "worker": [
        str(BIN / "celery"),
        "-A",
        "hub",
        "worker",
        "--loglevel",
        "INFO",
        "--concurrency",
        "2",
        "--hostname",
        "embedded@%h",
    ],
    "beat": [str(BIN / "celery"), "-A", "hub", "beat", "--loglevel", "INFO"],
}


def main() -> int:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    children = {
        name: subprocess.Popen(cmd, cwd=ROOT, env=env)  # noqa: S603 - fixed argv
        for name, cmd in COMMANDS.items()
    }

    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping:
            for _name, child in children.items():
                if child.poll() is not None:
                    stopping = True
            time.sleep(0.5)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 15
        for child in children.values():
            try:
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
