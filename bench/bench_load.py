"""A bounded locust run against gunicorn on PostgreSQL: supplier pages, match-list API pulls and
capability saves, beside a trivial authenticated DRF endpoint measured in the same run.

    .venv/bin/python bench/bench_load.py            # full: 50 users, 60 s, 10,000 capabilities
    .venv/bin/python bench/bench_load.py --short    # CI: 10 users, 10 s, 1,000 capabilities

Everything stays on 127.0.0.1: a scratch database hub_load (dropped and recreated) on the local
PostgreSQL, Redis database 11 as cache and broker (flushed before and after; no other database is
touched), gunicorn on a free port, stopped by the process id this script started. The sign-in and
API rate limits are raised for the run through the environment variables the settings read
(HUB_SIGN_IN_RATE, API_THROTTLE_RATE, API_ANON_THROTTLE_RATE): every simulated user comes from
one address. No Celery worker runs: rescores enqueued by saves wait in Redis database 11 and are
flushed at the end, so the figures are the web tier's.

Exits 1 if any request failed (or the run could not be set up), 0 otherwise; the latency and
throughput targets are printed with a verdict but do not change the exit status."""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hub_load"
REDIS_URL = "redis://127.0.0.1:6379/11"
PASSWORD = "load-test-Kyiv-2026"  # noqa: S105 - a throw-away database's bench accounts
P95_TARGET_MS = 250
RATIO_TARGET = 0.5
SIGN_IN = ("sign-in GET", "sign-in POST")
BASELINE, MATCHES = "api firms (baseline)", "api matches"


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true", help="the CI form: small and quick")
    parser.add_argument("--users", type=int, help="simulated users (default 50; short 10)")
    parser.add_argument("--duration", type=int, help="seconds of load (default 60; short 10)")
    parser.add_argument("--spawn-rate", type=float, help="users started per second")
    parser.add_argument("--capabilities", type=int, help="default 10,000; short 1,000")
    parser.add_argument("--requirements", type=int, help="default 500; short 50")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        metavar=("MIN", "MAX"),
        help="a supplier's pause between pages, in seconds (default 5 15; short 1 3)",
    )
    parser.add_argument(
        "--api-pacing",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="each API client starts one request every SECONDS (default 1)",
    )
    parser.add_argument("--out", type=Path, help="directory for locust's CSV files and logs")
    args = parser.parse_args()
    short = args.short
    args.users = args.users or (10 if short else 50)
    args.duration = args.duration or (10 if short else 60)
    args.spawn_rate = args.spawn_rate or (10.0 if short else 5.0)
    args.think = args.think or ((1.0, 3.0) if short else (5.0, 15.0))
    args.capabilities = args.capabilities or (1_000 if short else 10_000)
    args.requirements = args.requirements or (50 if short else 500)
    if not 2 <= args.workers <= 4:
        parser.error("--workers must be 2, 3 or 4 on this machine")
    if args.users < 3:
        parser.error("--users must be at least 3 (one per user class)")
    args.out = args.out or Path(tempfile.mkdtemp(prefix="hub-load-"))
    args.out.mkdir(parents=True, exist_ok=True)
    return args


def _environment(out: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "HUB_", "API_", "CELERY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="hub.settings.local",
        DJANGO_DEBUG="0",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        HUB_VAR_DIR=str(out / "var"),
        HUB_SIGN_IN_RATE="1000000/minute",
        API_THROTTLE_RATE="1000000/minute",
        API_ANON_THROTTLE_RATE="1000000/minute",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def _flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def _prepare_database(env: dict[str, str]) -> None:
    for sql in ("DROP DATABASE IF EXISTS hub_load WITH (FORCE)", "CREATE DATABASE hub_load"):
        subprocess.run(["psql", PG_ADMIN_URL, "-qc", sql], check=True)
    subprocess.run([BIN / "python", "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    # DEBUG off: pages name hashed static files, so the manifest must exist (as `make run` does).
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    newest = max(
        (p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file()), default=0
    )
    if manifest.exists() and manifest.stat().st_mtime > newest:
        return
    # Without brotli: locust brings it in, and whitenoise would then spend some 40 CPU seconds
    # brotli-compressing the API docs' bundles; the load run requests no static file at all.
    subprocess.run(
        [BIN / "python", "-c", COLLECTSTATIC_WITHOUT_BROTLI], cwd=ROOT, env=env, check=True
    )


COLLECTSTATIC_WITHOUT_BROTLI = """
import sys
sys.modules["brotli"] = None
import django
django.setup()
from django.core.management import call_command
call_command("collectstatic", interactive=False, verbosity=0)
"""


def _generate(args: argparse.Namespace) -> dict:
    """The catalogue, open requirements, supplier accounts and two API tokens; returns the data
    file's contents for the locustfile."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from accounts.models import APIClient, FirmMembership, Role, User
    from accounts.services import api_client_create
    from bench.synthetic import capability_rows, requirement_rows
    from firms.models import Capability, Firm
    from requirements.dates import kyiv_today
    from requirements.models import Requirement

    rng = random.Random(20261207)  # noqa: S311 - benchmark data, not secrets
    Firm.objects.bulk_create(
        [
            Firm(
                companies_house_number=f"{30000000 + i:08d}",
                name=f"Load Firm {i} Ltd",
                postcode="GL1 2EH",
                verification_state="VERIFIED",
            )
            for i in range(max(1, args.capabilities // 20))
        ],
        batch_size=2000,
    )
    firm_ids = list(Firm.objects.order_by("pk").values_list("pk", flat=True))
    Capability.objects.bulk_create(
        [Capability(**row) for row in capability_rows(rng, args.capabilities, firm_ids)],
        batch_size=5000,
    )
    Requirement.objects.bulk_create(
        [Requirement(**row) for row in requirement_rows(rng, args.requirements, kyiv_today())],
        batch_size=2000,
    )
    caps_of: dict[int, list[int]] = {}
    for pk, firm_id in Capability.objects.values_list("pk", "firm_id"):
        caps_of.setdefault(firm_id, []).append(pk)
    seats = [firm_id for firm_id in firm_ids if caps_of.get(firm_id)][: args.users]
    # One real hash (the settings' first hasher, Argon2id) shared by every bench account: set-up
    # need not hash per user, and sign-in still checks the password in full.
    password_hash = make_password(PASSWORD)
    users = User.objects.bulk_create(
        [
            User(email=f"supplier{i}@load.example", role=Role.SUPPLIER, password=password_hash)
            for i in range(len(seats))
        ]
    )
    FirmMembership.objects.bulk_create(
        [
            FirmMembership(user=user, firm_id=firm_id, role=FirmMembership.FirmRole.ADMIN)
            for user, firm_id in zip(users, seats, strict=True)
        ]
    )
    _staff, staff_token = api_client_create(name="load staff", scope=APIClient.Scope.STAFF)
    _firm, firm_token = api_client_create(
        name="load firm", scope=APIClient.Scope.FIRM, firm=Firm.objects.get(pk=seats[0])
    )
    names = dict(Firm.objects.filter(pk__in=seats).values_list("pk", "name"))
    with connection.cursor() as cursor:
        # Fresh tables: give the planner statistics, as autovacuum would in production.
        cursor.execute("ANALYZE")
    return {
        "password": PASSWORD,
        "suppliers": [
            {"email": user.email, "firm": names[firm_id], "capabilities": caps_of[firm_id]}
            for user, firm_id in zip(users, seats, strict=True)
        ],
        "staff_token": staff_token,
        "firm_token": firm_token,
        "requirements": list(Requirement.objects.values_list("reference", flat=True)),
    }


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_gunicorn(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    with open(log, "w") as handle:
        process = subprocess.Popen(
            [
                BIN / "gunicorn",
                "hub.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:  # noqa: S310 - fixed loopback URL
                if response.status == 200:
                    return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    _stop(process)
    raise SystemExit(f"gunicorn did not answer within 60 s; see {log}")


def _warm_up(port: int, data: dict, threads: int) -> None:
    """Each page and endpoint of the run, a few times at once, so that every gunicorn worker has
    loaded its code, templates and translations before the measured traffic starts."""
    import requests  # locust's own HTTP client library

    base = f"http://127.0.0.1:{port}"

    def visit(i: int) -> None:
        seat = data["suppliers"][i % len(data["suppliers"])]
        with requests.Session() as browser:
            browser.get(f"{base}/account/sign-in/", timeout=60).raise_for_status()
            signed_in = browser.post(
                f"{base}/account/sign-in/",
                data={
                    "csrfmiddlewaretoken": browser.cookies.get("csrftoken", ""),
                    "email": seat["email"],
                    "password": data["password"],
                },
                headers={"Referer": f"{base}/account/sign-in/"},
                allow_redirects=False,
                timeout=60,
            )
            if signed_in.status_code != 302:
                raise SystemExit(f"warm-up: sign-in answered {signed_in.status_code}")
            for path in ("/portal/", f"/portal/capabilities/{seat['capabilities'][0]}/"):
                browser.get(base + path, timeout=60).raise_for_status()
        ref = data["requirements"][i % len(data["requirements"])]
        for path, token in (
            (f"/api/v1/requirements/{ref}/matches/", data["staff_token"]),
            ("/api/v1/firms/", data["firm_token"]),
        ):
            answer = requests.get(
                base + path, headers={"Authorization": f"Token {token}"}, timeout=60
            )
            answer.raise_for_status()

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(visit, range(threads)))


def _stop(process: subprocess.Popen) -> None:
    """Stop the gunicorn master this script started (it stops its own workers)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _run_locust(args: argparse.Namespace, env: dict[str, str], port: int, data: Path) -> Path:
    prefix = args.out / "locust"
    api_users = max(1, args.users // 10)
    locust_env = {
        **env,
        "HUB_LOAD_DATA": str(data),
        "HUB_LOAD_API_USERS": str(api_users),
        "HUB_LOAD_THINK": "{},{}".format(*args.think),
        "HUB_LOAD_API_PACING": str(args.api_pacing),
    }
    command = [
        BIN / "locust",
        "-f",
        ROOT / "bench" / "load" / "locustfile.py",
        "--headless",
        "-u",
        str(args.users),
        "-r",
        str(args.spawn_rate),
        "-t",
        f"{args.duration}s",
        "--stop-timeout",
        "10",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        prefix,
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    with open(args.out / "locust.log", "w") as log:
        # Locust exits 1 when any request failed; the CSV says which, so read it either way.
        subprocess.run(
            command,
            cwd=ROOT,
            env=locust_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=args.duration + 120,
            check=False,
        )
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise SystemExit(f"locust wrote no statistics; see {args.out / 'locust.log'}")
    return stats


def _read_stats(path: Path) -> dict[str, dict[str, float]]:
    rows: dict[str, dict[str, float]] = {}
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["Name"]
            rows[name] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "mean": float(row["Average Response Time"]),
                "p50": float(row["50%"] if row["50%"] != "N/A" else 0),
                "p95": float(row["95%"] if row["95%"] != "N/A" else 0),
                "p99": float(row["99%"] if row["99%"] != "N/A" else 0),
            }
    return rows


def _report(stats: dict[str, dict[str, float]], failures_csv: Path) -> int:
    print(
        f"{'request':<24} {'requests':>8} {'rps':>7} {'mean':>6} {'p50':>6} {'p95':>6} "
        f"{'p99':>6} {'errors':>6}"
    )
    for name, row in stats.items():
        print(
            f"{name:<24} {row['requests']:>8} {row['rps']:>7.1f} {row['mean']:>4.0f}ms "
            f"{row['p50']:>4.0f}ms {row['p95']:>4.0f}ms {row['p99']:>4.0f}ms {row['failures']:>6}"
        )
    failures = int(stats.get("Aggregated", {}).get("failures", 0))
    worst = max(
        (row["p95"] for name, row in stats.items() if name not in (*SIGN_IN, "Aggregated")),
        default=0,
    )
    print(
        f"p95 of every request type after sign-in at most {worst:.0f} ms "
        f"(target under {P95_TARGET_MS} ms): {'met' if worst < P95_TARGET_MS else 'NOT MET'}"
    )
    if BASELINE in stats and MATCHES in stats and stats[MATCHES]["mean"]:
        # The API clients are paced, so their request counts are equal by design; what each
        # endpoint could sustain is one over its mean time to answer, under the same load.
        matches, baseline = (1000 / stats[name]["mean"] for name in (MATCHES, BASELINE))
        ratio = matches / baseline
        print(
            f"match-list API / baseline throughput per connection (1 / mean time): "
            f"{matches:.1f} / {baseline:.1f} requests/s = {ratio:.2f} "
            f"(target at least {RATIO_TARGET}): {'met' if ratio >= RATIO_TARGET else 'NOT MET'}; "
            f"by median time {stats[BASELINE]['p50'] / max(stats[MATCHES]['p50'], 1):.2f}"
        )
    else:
        print("match-list API / baseline throughput: not measured (a class made no requests)")
        failures = failures or 1
    print(f"errors: {failures}")
    if failures and failures_csv.exists():
        print(failures_csv.read_text().strip())
    return failures


def main() -> None:
    args = _args()
    env = _environment(args.out)
    # The settings create it only for SQLite; the saved matching index goes there.
    Path(env["HUB_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    print(
        f"load: {args.users} users, {args.duration} s, spawn {args.spawn_rate}/s, "
        f"{args.capabilities} capabilities, {args.requirements} requirements, "
        f"{args.workers} gunicorn workers, supplier think time {args.think[0]:g}-"
        f"{args.think[1]:g} s, API pacing {args.api_pacing:g} s; {os.cpu_count()} CPUs, "
        f"load average before {load_before[0]:.2f}; files in {args.out}"
    )
    phases = [time.perf_counter()]
    _flush_redis()
    _prepare_database(env)
    phases.append(time.perf_counter())
    os.environ.update(env)
    import django

    django.setup()
    data = _generate(args)
    data_file = args.out / "data.json"
    data_file.write_text(json.dumps(data))
    phases.append(time.perf_counter())
    subprocess.run(
        [BIN / "python", "manage.py", "rematch", "--sync"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        # Again after scoring: without statistics on the fresh match table the planner reads a
        # supplier's standing by scanning the whole table instead of its capability index.
        cursor.execute("ANALYZE")
    phases.append(time.perf_counter())

    from matching.models import Match

    migrate, generate, score = (b - a for a, b in zip(phases, phases[1:], strict=False))
    print(
        f"set-up: {len(data['suppliers'])} supplier accounts, {Match.objects.count()} stored "
        f"matches; migrate {migrate:.0f} s, generate {generate:.0f} s, score {score:.0f} s"
    )
    connection.close()
    port = _free_port()
    server = _start_gunicorn(env, port, args.workers, args.out / "gunicorn.log")
    try:
        _warm_up(port, data, threads=2 * args.workers)
        stats_csv = _run_locust(args, env, port, data_file)
    finally:
        _stop(server)
        _flush_redis()
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    failures = _report(_read_stats(stats_csv), args.out / "locust_failures.csv")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
