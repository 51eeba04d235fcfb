"""How fast the leader's cockpit answers for a principal leader who sees everything, and how long the daily snapshot takes.

Whole requests through django.test.Client, as bench/task_list.py measures: logged in, templates
rendered, DEBUG off. Each figure is the median and the 95th percentile of --repeat requests after
three warm-ups, beside its target from issue 12 and the ratio target / p95 (1.0 or more meets it),
with the number of SQL queries. The snapshot (manage.py snapshot_units) is timed once, in a
transaction rolled back afterwards, so that the database keeps no row of it.

    .venv/bin/python bench/cockpit.py                                  # SQLite, 100,000 tasks over 600 units
    .venv/bin/python bench/cockpit.py --database postgres              # PostgreSQL, 1,000,000 tasks
    .venv/bin/python bench/cockpit.py --database postgres --tasks 100000
    .venv/bin/python bench/cockpit.py --reuse                          # keep the database if it holds the data

SQLite runs on var/bench/cockpit.sqlite3; PostgreSQL on the database named by --url (default
postgres://postgres@127.0.0.1:5432/luoshi_bench), dropped and created afresh unless --reuse.
The data is written by `manage.py gen_tasks`.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _bench import page_bench_args, percentile, prepare_database, setup_django, tasks_generated  # noqa: E402

# Issue 12: p95 ≤ 200 ms at 100,000 tasks on SQLite, ≤ 300 ms at 1,000,000 on PostgreSQL; snapshot ≤ 30 s.
TARGETS_MS = {"sqlite": 200, "postgresql": 300}
SNAPSHOT_TARGET_S = 30
DEFAULT_TASKS = {"sqlite": 100_000, "postgres": 1_000_000}
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/luoshi_bench"


def parse_args():
    return page_bench_args(__doc__, DEFAULT_PG_URL, DEFAULT_TASKS)


def main() -> None:
    args = parse_args()
    maybe_full = prepare_database(args, "cockpit.sqlite3")
    setup_django("static")

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from luoshi.lib import workdays
    from luoshi.org.models import Unit, User
    from luoshi.work.models import Task
    from luoshi.work.selectors import live_counts, year_period
    from luoshi.work.snapshots import unit_snapshot_take

    assert not settings.DEBUG
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    generated_in = tasks_generated(args, maybe_full, marker="gen-leader-01")

    vendor = connection.vendor
    target = TARGETS_MS[vendor]
    principal = User.objects.select_related("leader").get(username="gen-leader-01")
    assert principal.sees_everything, "gen-leader-01 应为主要负责人(县长)"
    deputy = User.objects.select_related("leader").get(username="gen-leader-02")
    office = User.objects.get(username="gen-office")
    t = workdays.thresholds()
    counts = live_counts(Task.objects.all(), t, year_period(t.today))
    print(
        f"数据库:{vendor}({settings.DATABASES['default']['NAME']});事项 {Task.objects.count():,};"
        f"单位 {Unit.objects.count()};全县本年在办及已办结 {counts['total']:,} 项"
        f"(红灯 {counts['red']:,},结转 {counts['carried']:,})。"
    )
    if generated_in is not None:
        print(f"生成用时:{generated_in:,.0f} 秒({args.tasks / generated_in:,.0f} 个事项/秒)。")
    print(f"每页先预热 3 次,再计时 {args.repeat} 次(整个请求:中间件、查询、模板渲染)。")
    print(
        f"本机负载(1/5/15 分钟):{'、'.join(f'{x:.1f}' for x in os.getloadavg())};CPU 核数 {os.cpu_count()}。"
        "本进程 CPU 不含数据库进程;SQL 为一次请求各查询的用时之和。"
    )

    red_text = f'<strong id="red-count">{counts["red"]}</strong>'
    pages = [
        ("驾驶舱(县长,全县)", principal, "/", [red_text, "领导驾驶舱"]),
        ("驾驶舱(督查室)", office, "/cockpit/", [red_text]),
        ("驾驶舱(常务副县长)", deputy, "/", ["领导驾驶舱", deputy.leader.title]),
        ("驾驶舱 API(县长)", principal, "/api/cockpit", [f'"red": {counts["red"]}']),
    ]
    results = []
    for label, user, url, expected in pages:
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)

        def fetch(client=client, url=url, expected=expected):
            response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"{url} 返回 {response.status_code},应为 200。")
            body = response.content.decode()
            missing = [text for text in expected if text not in body]
            if missing:
                sys.exit(f"{url} 的页面里没有应有的内容:{missing}")

        for _ in range(2):
            fetch()
        with CaptureQueriesContext(connection) as captured:
            fetch()
        queries = list(captured.captured_queries)
        times, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            fetch()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        median, p95 = statistics.median(times), percentile(times, 0.95)
        sql_ms = sum(float(query["time"]) for query in queries) * 1000
        results.append((label, queries))
        print(
            f"{label:<16}\t{url:<14} 中位数 {median:8.1f} ms  p95 {p95:8.1f} ms  目标 ≤{target:4d} ms  "
            f"目标/p95 {target / p95:5.2f}  查询 {len(queries):2d} 次  本进程 CPU p95 {percentile(cpu, 0.95):6.1f} ms  "
            f"SQL {sql_ms:6.1f} ms{'' if p95 <= target else '  ← 未达标'}"
        )

    # The daily snapshot, once, rolled back.
    with transaction.atomic():
        started = time.perf_counter()
        written = unit_snapshot_take()
        took = time.perf_counter() - started
        transaction.set_rollback(True)
    print(
        f"每日快照 snapshot_units:{written} 个单位,用时 {took:6.1f} 秒  目标 ≤{SNAPSHOT_TARGET_S} 秒  "
        f"目标/用时 {SNAPSHOT_TARGET_S / took:5.2f}{'' if took <= SNAPSHOT_TARGET_S else '  ← 未达标'}"
        + ("(今天的快照已存在,未重新计算)" if not written else "")
    )

    if args.explain:
        for label, queries in results:
            slowest = max(queries, key=lambda query: float(query["time"]))
            print(f"\n== {label}:最慢的查询({float(slowest['time']) * 1000:.1f} ms)\n{slowest['sql']}\n")
            explain = "EXPLAIN (ANALYZE, BUFFERS) " if vendor == "postgresql" else "EXPLAIN QUERY PLAN "
            with connection.cursor() as cursor:
                cursor.execute(explain + slowest["sql"])
                for row in cursor.fetchall():
                    print("  " + " | ".join(str(value) for value in row))


if __name__ == "__main__":
    main()
