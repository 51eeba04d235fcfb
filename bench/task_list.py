"""How fast the 督办 pages answer with a county's years of tasks, or a province's.

Whole requests through django.test.Client: logged in, templates rendered, DEBUG off.
Each figure is the median and the 95th percentile of --repeat requests after three
warm-ups, beside its target from the issue and the ratio target / p95 (1.0 or more
meets it), with the number of SQL queries the page runs.

    .venv/bin/python bench/task_list.py                        # SQLite, 100,000 tasks over 600 units
    .venv/bin/python bench/task_list.py --database postgres    # PostgreSQL luoshi_bench, 1,000,000 tasks
    .venv/bin/python bench/task_list.py --reuse                # keep the database if it holds the data
    .venv/bin/python bench/task_list.py --explain              # and show the plan of each page's slowest query

SQLite runs on var/bench/task_list.sqlite3; PostgreSQL on the database named by --url
(default postgres://postgres@127.0.0.1:5432/luoshi_bench), dropped and created afresh
unless --reuse. The data is written by `manage.py gen_tasks`.
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _bench import page_bench_args, percentile, prepare_database, setup_django, tasks_generated  # noqa: E402

TARGETS_MS = {
    "sqlite": {"list": 100, "search": 100, "inbox": 100, "summary": 1000},
    "postgresql": {"list": 150, "search": 150, "inbox": 150, "summary": 1000},
}
DEFAULT_TASKS = {"sqlite": 100_000, "postgres": 1_000_000}
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/luoshi_bench"


def parse_args():
    return page_bench_args(__doc__, DEFAULT_PG_URL, DEFAULT_TASKS)


def main() -> None:
    args = parse_args()
    maybe_full = prepare_database(args, "task_list.sqlite3")
    setup_django("static")

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from luoshi.lib import workdays
    from luoshi.org.models import Unit, User
    from luoshi.work.models import Task
    from luoshi.work.selectors import TaskFilter, task_list_rows, unit_inbox

    assert not settings.DEBUG
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    generated_in = tasks_generated(args, maybe_full)

    vendor = connection.vendor
    targets = TARGETS_MS[vendor]
    t = workdays.thresholds()
    this_year = timezone.localdate().year
    office = User.objects.get(username="gen-office")
    liaison = User.objects.select_related("unit").get(username="gen-unit-0001")
    busy = (
        Task.objects.filter(year=this_year)
        .values("lead_unit")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("lead_unit", flat=True)
        .first()
    )
    busy_unit = Unit.objects.get(pk=busy)

    def first_title(task_filter: TaskFilter) -> str:
        """What the first row of the list must show, by the selectors the view uses."""
        base = task_filter.apply(Task.objects.visible_to(office), t)
        rows = task_list_rows(task_filter.ordered(task_filter.with_light(base, t)), t)
        first = rows.first()
        return first.title if first else "没有符合条件的事项"

    inbox = unit_inbox(liaison.unit, t)
    inbox_first = next(
        (rows[0].title for rows in (inbox.to_sign, inbox.to_report, inbox.returned, inbox.supporting) if rows),
        "没有待签收的事项",
    )
    pages = [
        ("督办事项列表(全部)", "list", office, "/work/", ["灯色统计", first_title(TaskFilter())]),
        (
            "按单位+红灯+时限排序",
            "list",
            office,
            f"/work/?unit={busy_unit.pk}&light=red&sort=deadline",
            [first_title(TaskFilter(unit=busy_unit.pk, light="red", sort="deadline"))],
        ),
        ("全文检索 河湖保洁", "search", office, "/work/?q=河湖保洁", [first_title(TaskFilter(q="河湖保洁"))]),
        ("单位待办(最忙单位)", "inbox", liaison, "/work/inbox/", [liaison.unit.display_name, inbox_first]),
        ("单位统计", "summary", office, "/work/units/", ["单位统计", busy_unit.display_name]),
    ]

    total = Task.objects.count()
    in_year = Task.objects.filter(year=this_year).count()
    busy_count = Task.objects.filter(year=this_year, lead_unit=busy_unit).count()
    liaison_count = Task.objects.filter(year=this_year, lead_unit=liaison.unit).count()
    print(
        f"数据库:{vendor}({settings.DATABASES['default']['NAME']});事项 {total:,},今年 {in_year:,};"
        f"单位 {Unit.objects.count()};最忙单位 {busy_unit.name} 今年 {busy_count:,} 项;"
        f"联络员 {liaison.username}({liaison.unit.name},今年 {liaison_count:,} 项)。"
    )
    if generated_in is not None:
        print(f"生成用时:{generated_in:,.0f} 秒({args.tasks / generated_in:,.0f} 个事项/秒)。")
    print(f"每页先预热 3 次,再计时 {args.repeat} 次(整个请求:中间件、查询、模板渲染)。")

    clients = {}
    for user in (office, liaison):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        clients[user.pk] = client

    def fetch(client, url, expected):
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url} 返回 {response.status_code},应为 200。")
        body = response.content.decode()
        missing = [text for text in expected if text not in body]
        if missing:
            sys.exit(f"{url} 的页面里没有应有的内容:{missing}")
        return response

    results = []
    for label, kind, user, url, expected in pages:
        client = clients[user.pk]
        for _ in range(2):
            fetch(client, url, expected)
        with CaptureQueriesContext(connection) as captured:
            fetch(client, url, expected)
        # Read now: the next request's request_started signal empties the connection's log.
        queries = list(captured.captured_queries)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            fetch(client, url, expected)
            times.append((time.perf_counter() - started) * 1000)
        median, p95 = statistics.median(times), percentile(times, 0.95)
        target = targets[kind]
        results.append((label, queries))
        print(
            f"{label:<14}\t{url:<44} 中位数 {median:8.1f} ms  p95 {p95:8.1f} ms  目标 ≤{target:5d} ms  "
            f"目标/p95 {target / p95:5.2f}  查询 {len(queries):2d} 次"
            f"{'' if p95 <= target else '  ← 未达标'}"
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
