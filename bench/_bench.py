"""What the benchmarks share: a fresh database of their own, and Django set up as in production (DEBUG off)."""

import os
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]


def prepare_database(args, sqlite_name: str) -> bool:
    """Point Django at the benchmark database, fresh unless --reuse. True when it may hold data already.

    SQLite: var/bench/<sqlite_name>; PostgreSQL: the database named by args.url, dropped and created afresh.
    """
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    if args.database == "sqlite":
        path = bench_dir / sqlite_name
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        if path.exists() and args.reuse:
            return True
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return False

    import psycopg

    os.environ["DATABASE_URL"] = args.url
    parts = urlsplit(args.url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        if exists and args.reuse:
            return True
        if exists:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return False


def setup_django(static_dir: str = "static") -> None:
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop")
    # Collected static files of its own, so that a benchmark never touches var/static.
    os.environ.setdefault("LUOSHI_STATIC_ROOT", str(ROOT / "var" / "bench" / static_dir))
    os.environ.setdefault("LUOSHI_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()


def percentile(values, fraction: float):
    """Nearest-rank percentile."""
    import math

    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def tasks_generated(args, maybe_full: bool, *, marker: str = "gen-office") -> float | None:
    """The tasks of `manage.py gen_tasks`: kept when --reuse found enough, else generated; the seconds it took."""
    import sys
    import time

    from django.core.management import call_command

    from luoshi.org.models import User
    from luoshi.work.models import Task

    existing = Task.objects.count() if maybe_full else 0
    if existing >= args.tasks and User.objects.filter(username=marker).exists():
        print(f"沿用已有数据:{existing:,} 个事项(--reuse)。")
        return None
    if existing:
        sys.exit(f"数据库里有 {existing:,} 个事项,少于要求的 {args.tasks:,}:请去掉 --reuse 重新生成。")
    started = time.monotonic()
    call_command("gen_tasks", tasks=args.tasks, units=args.units, seed=args.seed)
    return time.monotonic() - started


def free_port() -> int:
    """A free TCP port on the loopback, for a server a bench starts."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    """Wait until `url` answers 200, or stop the bench after `seconds`."""
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer {url} within {seconds} s")


def page_bench_args(doc: str, default_pg_url: str, default_tasks: dict[str, int]):
    """The arguments of a bench that times pages over `manage.py gen_tasks` data (task_list.py, cockpit.py)."""
    import argparse

    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", default=default_pg_url, help="the PostgreSQL database to (re)create")
    parser.add_argument("--tasks", type=int, help="tasks to generate (100,000 on SQLite, 1,000,000 on PostgreSQL)")
    parser.add_argument("--units", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=30, help="measured requests per page, after 3 warm-ups")
    parser.add_argument("--reuse", action="store_true", help="skip generating when the database holds the data")
    parser.add_argument("--explain", action="store_true", help="print the plan of each page's slowest query")
    args = parser.parse_args()
    args.tasks = args.tasks or default_tasks[args.database]
    return args
