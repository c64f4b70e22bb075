"""The short form of the load run (bench/bench_load.py --short): gunicorn on PostgreSQL under a few
seconds of locust traffic from suppliers, match-list API clients and the baseline endpoint, with
not one failed request.

It runs against the local services only: its own scratch database hub_load on 127.0.0.1, Redis
database 11, gunicorn on a free 127.0.0.1 port, stopped by the process id the driver started."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.integration.conftest import ROOT

pytestmark = pytest.mark.integration

DRIVER_TIMEOUT = 300  # the short form takes about a minute, most of it set-up


@pytest.mark.timeout(DRIVER_TIMEOUT + 30)
@pytest.mark.usefixtures("real_services")
def test_short_load_run_serves_every_request_without_an_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "bench/bench_load.py", "--short", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=DRIVER_TIMEOUT,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert re.search(r"^errors: 0$", result.stdout, re.MULTILINE), output[-4000:]
    # Every kind of traffic was really sent: each request name has a row with requests in it.
    for name in ("sign-in POST", "dashboard", "capability save", "api matches", "api firms"):
        row = next((line for line in result.stdout.splitlines() if line.startswith(name)), "")
        assert row, f"no '{name}' row in:\n{result.stdout}"
        assert int(row[24:].split()[0]) > 0, row
