"""Schemathesis against the JSON API on a live local server: how many cases, how many server errors.

The demo county is loaded into a database of the bench's own, the office gets an API token, gunicorn
serves Luoshi on a loopback port (DEBUG off, as in production), and schemathesis generates requests for
every operation of /api/openapi.json, valid and invalid, with the office's token. Target: 0 server
errors (5xx), and every error answered as JSON. It prints each operation's cases, the totals, and the
first failing requests.

    .venv/bin/python bench/api_fuzz.py                          # SQLite, var/bench/api_fuzz.sqlite3
    .venv/bin/python bench/api_fuzz.py --database postgres      # PostgreSQL luoshi_api_fuzz
    .venv/bin/python bench/api_fuzz.py --examples 200           # cases per operation (default 100)

Baseline (issue 20, before the fixes): 1,883 cases, 3 server errors from 2 causes.
"""

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _bench import free_port, prepare_database, setup_django, wait_for  # noqa: E402

DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/luoshi_api_fuzz"
BASELINE = {"cases": 1883, "server_errors": 3}
ACCESS_LOG = ROOT / "var" / "bench" / "api_fuzz-access.log"
# The server's log goes to a file, never to a pipe nobody reads until the end: once 64 KB of warnings
# (one per 4xx) had filled that pipe, every gunicorn worker blocked in write(), and the run "stalled"
# on whichever operation came next (POST /api/work/closures/{id}/decision in the first runs).
SERVER_LOG = ROOT / "var" / "bench" / "api_fuzz-server.log"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", default=DEFAULT_PG_URL, help="the PostgreSQL database to (re)create")
    parser.add_argument("--examples", type=int, default=80, help="cases per operation and mode (valid, invalid)")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--only", default="", help="only the operations whose label contains this text")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    args.reuse = False
    prepare_database(args, "api_fuzz.sqlite3")
    setup_django("static-api-fuzz")

    from django.core.management import call_command

    from luoshi.org.demo import demo_load
    from luoshi.org.models import User
    from luoshi.org.services import api_token_create

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    demo_load()
    _, secret = api_token_create(user=User.objects.get(username="office"), name="api_fuzz")

    ACCESS_LOG.unlink(missing_ok=True)
    server_log = SERVER_LOG.open("w")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "luoshi.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--timeout",
            "60",
            "--access-logfile",
            str(ACCESS_LOG),
            "--access-logformat",
            "%(L)s %(s)s %(r)s",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=server_log,
    )
    try:
        wait_for(f"{base}/healthz", 180)
        results = fuzz(base, secret, examples=args.examples, seed=args.seed, only=args.only)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server_log.close()
    stderr = SERVER_LOG.read_text(errors="replace")
    report(results, args, stderr)


def fuzz(base: str, secret: str, *, examples: int, seed: int, only: str = "") -> dict:
    import requests
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hypothesis_seed

    headers = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_url(f"{base}/api/openapi.json", headers=headers)
    per_operation: dict[str, Counter] = {}
    failures: list[str] = []

    def fuzz_operation(operation, counts: Counter, mode) -> None:
        label = f"{operation.label} ({mode.value})"

        @hypothesis_seed(seed)
        @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(mode))
        def run(case):
            counts["cases"] += 1
            try:
                response = case.call(base_url=base, headers=headers, timeout=30)
            except requests.RequestException as exc:
                # A request the server did not answer in 30 s: counted and shown, not shrunk for minutes.
                counts["timeouts"] += 1
                failures.append(f"{label} → {type(exc).__name__}: {case.as_curl_command()[:400]}")
                return
            counts[f"{response.status_code // 100}xx"] += 1
            if response.status_code >= 500:
                counts["server_errors"] += 1
                failures.append(f"{label} → {response.status_code}: {case.as_curl_command()[:400]}")
            elif response.status_code >= 400 and not content_type(response).startswith("application/json"):
                counts["not_json"] += 1
                failures.append(f"{label} → {response.status_code} not JSON ({response.text[:80]!r})")

        run()

    # Valid requests (as the schema describes them) and invalid ones (wrong types, missing fields, out of range).
    for result in schema.get_all_operations():
        operation = result.ok()
        if only not in operation.label:
            continue
        for mode in schemathesis.GenerationMode:
            fuzz_operation(operation, per_operation.setdefault(operation.label, Counter()), mode)
    return {"per_operation": per_operation, "failures": failures}


def content_type(response) -> str:
    """Schemathesis keeps headers lower-cased, each a list of values."""
    for name, value in response.headers.items():
        if name.lower() == "content-type":
            return value[0] if isinstance(value, list) else value
    return ""


def report(results: dict, args, server_stderr: str) -> None:
    total = Counter()
    print(
        f"Schemathesis: {args.examples} valid and {args.examples} invalid cases per operation at most, seed {args.seed},"
        f" database {args.database}\n"
    )
    print(f"{'operation':58s} {'cases':>6s} {'2xx':>5s} {'4xx':>5s} {'5xx':>4s} {'non-JSON':>8s} {'timeouts':>8s}")
    for label, counts in sorted(results["per_operation"].items()):
        total.update(counts)
        print(
            f"{label:58s} {counts['cases']:6d} {counts['2xx']:5d} {counts['4xx']:5d} "
            f"{counts['server_errors']:4d} {counts['not_json']:8d} {counts['timeouts']:8d}"
        )
    print(
        f"\nTotal: {total['cases']:,} cases, {total['server_errors']} server errors (target 0; baseline "
        f"{BASELINE['server_errors']} in {BASELINE['cases']:,} cases), {total['not_json']} errors not in JSON, "
        f"{total['timeouts']} requests unanswered in 30 s."
    )
    for failure in results["failures"][:20]:
        print("  " + failure)
    if ACCESS_LOG.exists():
        timed = [line.split(" ", 2) for line in ACCESS_LOG.read_text().splitlines() if line.count(" ") >= 2]
        slowest = sorted(timed, key=lambda parts: -float(parts[0]))[:5]
        print("\nSlowest requests (seconds, status, request):")
        for seconds, status, request in slowest:
            print(f"  {float(seconds):6.2f}  {status}  {request[:200]}")
    errors = [line for line in server_stderr.splitlines() if "Traceback" in line or "Error" in line]
    if errors:
        print("\nServer log, errors:")
        print("\n".join(errors[:20]))
    figures = {key: total[key] for key in ("cases", "server_errors", "not_json", "timeouts")}
    print(json.dumps(figures))
    sys.exit(1 if total["server_errors"] or total["not_json"] or total["timeouts"] else 0)


if __name__ == "__main__":
    main()
