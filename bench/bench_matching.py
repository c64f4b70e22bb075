"""Matching speed at scale: one warm rescore, a cold `rematch --requirement --sync`, all actives.

    .venv/bin/python bench/bench_matching.py [--capabilities 100000] [--requirements 1000]

Runs on a throw-away SQLite file by default, or on a scratch PostgreSQL database when
DATABASE_URL is set (the database is created afresh). Prints each figure beside a same-run
baseline: a bare SELECT of every capability row."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _prepare_env(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env["HUB_VAR_DIR"] = tempfile.mkdtemp(prefix="hub-bench-")
    env["DJANGO_SETTINGS_MODULE"] = "hub.settings.local"
    env["DJANGO_DEBUG"] = "0"
    env.pop("REDIS_URL", None)
    if env.get("DATABASE_URL"):
        base, _, _name = env["DATABASE_URL"].rpartition("/")
        env["DATABASE_URL"] = f"{base}/hub_bench"
        subprocess.run(
            ["psql", f"{base}/postgres", "-qc", "DROP DATABASE IF EXISTS hub_bench"], check=True
        )
        subprocess.run(["psql", f"{base}/postgres", "-qc", "CREATE DATABASE hub_bench"], check=True)
    os.environ.update(env)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    return env


def _generate(n_caps: int, n_reqs: int) -> None:
    from bench.synthetic import capability_rows, requirement_rows
    from firms.models import Capability, Firm
    from requirements.dates import kyiv_today
    from requirements.models import Requirement

    rng = random.Random(20261124)  # noqa: S311 - benchmark data, not secrets
    firms = [
        Firm(
            companies_house_number=f"{20000000 + i:08d}",
            name=f"Bench Firm {i} Ltd",
            postcode="GL1 2EH",
            verification_state="VERIFIED",
        )
        for i in range(max(1, n_caps // 20))
    ]
    Firm.objects.bulk_create(firms, batch_size=2000)
    firm_ids = list(Firm.objects.values_list("pk", flat=True))
    Capability.objects.bulk_create(
        [Capability(**row) for row in capability_rows(rng, n_caps, firm_ids)], batch_size=5000
    )
    Requirement.objects.bulk_create(
        [Requirement(**row) for row in requirement_rows(rng, n_reqs, kyiv_today())], batch_size=2000
    )


def _bare_select() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM firms_capability")
        rows = cursor.fetchall()
    elapsed = time.perf_counter() - started
    if not rows:
        raise SystemExit("no capability rows: generation failed")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--capabilities", type=int, default=100_000)
    parser.add_argument("--requirements", type=int, default=1_000)
    parser.add_argument("--warm-samples", type=int, default=30)
    args = parser.parse_args()
    env = _prepare_env(args)

    import django

    django.setup()
    from django.db import connection

    from matching import services
    from matching.index_cache import warm_index
    from matching.loading import engine_config
    from requirements.models import Requirement

    started = time.perf_counter()
    _generate(args.capabilities, args.requirements)
    print(
        f"database: {connection.vendor}; generated {args.capabilities} capabilities and "
        f"{args.requirements} requirements in {time.perf_counter() - started:.1f} s"
    )
    baseline = min(_bare_select() for _ in range(3))
    print(f"baseline  bare SELECT of all capability rows: {baseline * 1000:.0f} ms")

    refs = list(Requirement.objects.order_by("pk").values_list("reference", flat=True))
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "rematch", "--requirement", refs[0], "--sync"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    cold = time.perf_counter() - started
    print(
        f"cold      rematch --requirement {refs[0]} --sync (fresh process): {cold:.2f} s "
        f"(target 3 s)"
    )

    config = engine_config()
    started = time.perf_counter()
    warm_index(config)
    print(f"index     build in this process: {time.perf_counter() - started:.2f} s")

    ids = list(Requirement.objects.order_by("pk").values_list("pk", flat=True))
    first, steady = [], []
    for pk in ids[1 : 1 + args.warm_samples]:
        t0 = time.perf_counter()
        services.requirement_rescore(requirement_id=pk)
        first.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        services.requirement_rescore(requirement_id=pk)
        steady.append(time.perf_counter() - t0)
    for label, samples in (("first", first), ("unchanged", steady)):
        print(
            f"warm      one requirement rescored end to end ({label} write), "
            f"median {statistics.median(samples) * 1000:.0f} ms, "
            f"max {max(samples) * 1000:.0f} ms over {len(samples)} (target 100 ms)"
        )

    started = time.perf_counter()
    totals = services.rescore_all_sync()
    print(
        f"all       {totals['requirements']} active requirements rescored: "
        f"{time.perf_counter() - started:.1f} s (target 60 s); rows kept {totals['kept']}, "
        f"written {totals['created'] + totals['changed']}"
    )
    print(f"baseline  bare SELECT again: {min(_bare_select() for _ in range(3)) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
