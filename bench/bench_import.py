"""Catalogue import speed: 100,000 capabilities across ~5,000 firms through `import_catalogue`.

    .venv/bin/python bench/bench_import.py [--capabilities 100000] [--firms 5000]

Times a first import, an unchanged re-import and a re-import that changes every capability,
each in a fresh `manage.py` process as staff would run it. Runs on a throw-away SQLite file in
its own HUB_VAR_DIR by default, or on a scratch PostgreSQL database (created afresh and dropped
afterwards) when DATABASE_URL is set. Prints each figure beside same-run baselines: a bare
SELECT of every capability row, and the start-up of a manage.py process that does nothing."""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH_DB = "hub_bench_import"
CERTIFICATIONS = ["ISO9001", "AS9100", "AQAP2110", "ISO27001", "CYBER_ESSENTIALS", "JOSCAR"]


def _prepare_env(var_dir: Path) -> tuple[dict[str, str], str | None]:
    env = dict(os.environ)
    env["HUB_VAR_DIR"] = str(var_dir)
    env["DJANGO_SETTINGS_MODULE"] = "hub.settings.local"
    env["DJANGO_DEBUG"] = "0"
    # The import enqueues one rescore task; it must land in this run's filesystem broker.
    env.pop("REDIS_URL", None)
    admin_url = None
    if env.get("DATABASE_URL"):
        base, _, _name = env["DATABASE_URL"].rpartition("/")
        admin_url = f"{base}/postgres"
        env["DATABASE_URL"] = f"{base}/{SCRATCH_DB}"
        _psql(admin_url, f"DROP DATABASE IF EXISTS {SCRATCH_DB}")
        _psql(admin_url, f"CREATE DATABASE {SCRATCH_DB}")
    os.environ.update(env)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    return env, admin_url


def _psql(url: str, sql: str) -> None:
    quiet = {**os.environ, "PGOPTIONS": "--client-min-messages=warning"}
    subprocess.run(["psql", url, "-qc", sql], check=True, env=quiet)


def _catalogue(rng: random.Random, n_caps: int, n_firms: int) -> dict:
    from bench.synthetic import capability_rows

    firms = [
        {
            "companies_house_number": f"{30000000 + i:08d}",
            "name": f"Bench Import {i} Ltd",
            "postcode": rng.choice(["GL1 2EH", "EH6 6QW", "BS1 4DJ", "M1 1AE", "CF10 1EP"]),
            "employees": rng.randint(3, 400),
            "annual_turnover_gbp": rng.randint(100_000, 60_000_000),
            "website": f"https://bench-import-{i}.example",
            "certifications": rng.sample(CERTIFICATIONS, rng.randint(0, 3)),
            "list_x": rng.random() < 0.05,
            "description": "Benchmark supplier of defence and resilience equipment.",
            "capabilities": [],
        }
        for i in range(n_firms)
    ]
    for row in capability_rows(rng, n_caps, list(range(n_firms))):
        firm = firms[row.pop("firm_id")]
        row["category"] = row.pop("category_id")
        row["unit_price_gbp"] = int(row["unit_price_gbp"])
        firm["capabilities"].append(row)
    return {"firms": firms}


def _every_capability_changed(catalogue: dict) -> dict:
    for firm in catalogue["firms"]:
        for capability in firm["capabilities"]:
            capability["monthly_capacity"] += 1
            capability["lead_time_weeks"] += 1
    return catalogue


def _timed_command(env: dict[str, str], *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed, done.stdout.strip()


def _bare_select() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM firms_capability")
        rows = cursor.fetchall()
    elapsed = time.perf_counter() - started
    if not rows:
        sys.exit("no capability rows: the import wrote nothing")
    return elapsed


def _run(args: argparse.Namespace, work: Path) -> None:
    env, admin_url = _prepare_env(work / "var")
    try:
        _measure(args, env, work)
    finally:
        if admin_url:
            from django.db import connections

            connections.close_all()
            _psql(admin_url, f"DROP DATABASE IF EXISTS {SCRATCH_DB}")


def _measure(args: argparse.Namespace, env: dict[str, str], work: Path) -> None:
    import django

    django.setup()
    from django.db import connection

    rng = random.Random(20261124)  # noqa: S311 - benchmark data, not secrets
    catalogue = _catalogue(rng, args.capabilities, args.firms)
    first = work / "catalogue.json"
    first.write_text(json.dumps(catalogue), encoding="utf-8")
    changed = work / "catalogue-changed.json"
    changed.write_text(json.dumps(_every_capability_changed(catalogue)), encoding="utf-8")
    size_mb = first.stat().st_size / 1e6
    print(
        f"database: {connection.vendor}; catalogue of {args.firms} firms and "
        f"{args.capabilities} capabilities, {size_mb:.0f} MB"
    )

    startup, _ = _timed_command(env, "shell", "-c", "pass")
    print(f"baseline  manage.py start-up doing nothing: {startup:.2f} s")
    runs = [
        ("first     import_catalogue (all new)", first),
        ("again     import_catalogue (same file, nothing changes)", first),
        ("changed   import_catalogue (every capability changed)", changed),
    ]
    for label, path in runs:
        elapsed, counts = _timed_command(env, "import_catalogue", str(path))
        print(f"{label}: {elapsed:.1f} s (target well under 60 s)  [{counts}]")
    baseline = min(_bare_select() for _ in range(3))
    print(f"baseline  bare SELECT of all capability rows: {baseline * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--capabilities", type=int, default=100_000)
    parser.add_argument("--firms", type=int, default=5_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hub-bench-import-") as work:
        _run(args, Path(work))


if __name__ == "__main__":
    main()
