"""How fast the reports are compiled for a county's live data.

- the executive-meeting pack for a county of 5,000 live tasks (target ≤ 2 s): compiling it from the
  live data, the whole preview page (compile and render, through django.test.Client), issuing it
  (compile and freeze the snapshot), and its .docx with the matplotlib chart;
- the circular over 600 units (target ≤ 3 s): the figures from `work.selectors.unit_stats` and the
  ranking, the whole page that drafts it, and its .docx and .xlsx.

Each figure is the median and the maximum of --repeat runs after one warm-up, beside its target and
the ratio target / max (1.0 or more meets it), with the number of SQL queries.

    .venv/bin/python bench/reports.py                        # SQLite, var/bench/reports.sqlite3
    .venv/bin/python bench/reports.py --database postgres    # PostgreSQL luoshi_bench_reports
    .venv/bin/python bench/reports.py --reuse                # keep the database if it holds the data

The data is written by `manage.py gen_tasks` (600 units, this year and last): --tasks is chosen so
that about 5,000 tasks are live (assigned, in progress, asking for an extension or closure, returned).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _bench import prepare_database, setup_django  # noqa: E402

TARGET_PACK_S = 2.0
TARGET_CIRCULAR_S = 3.0
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/luoshi_bench_reports"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", default=DEFAULT_PG_URL, help="the PostgreSQL database to (re)create")
    parser.add_argument("--tasks", type=int, default=13_000, help="tasks to generate (about 5,000 of them live)")
    parser.add_argument("--units", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="measured runs of each, after one warm-up")
    parser.add_argument("--reuse", action="store_true", help="skip generating when the database holds the data")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    maybe_full = prepare_database(args, "reports.sqlite3")
    setup_django("static-reports")

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from luoshi.lib import workdays
    from luoshi.org.models import Unit, User
    from luoshi.reports import documents, selectors, services
    from luoshi.reports.models import Circular
    from luoshi.work.models import Task

    assert not settings.DEBUG
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    existing = Task.objects.count() if maybe_full else 0
    if existing and User.objects.filter(username="gen-office").exists():
        print(f"沿用已有数据:{existing:,} 个事项(--reuse)。")
    else:
        started = time.monotonic()
        call_command("gen_tasks", tasks=args.tasks, units=args.units, seed=args.seed, years=2)
        print(f"生成用时:{time.monotonic() - started:,.0f} 秒。")

    today = timezone.localdate()
    t = workdays.thresholds(today)
    live = Task.objects.leaves().filter(status__in=Task.LIT_STATUSES).count()
    units = Unit.objects.active().count()
    print(
        f"数据库:{connection.vendor}({settings.DATABASES['default']['NAME']});事项 {Task.objects.count():,},"
        f"在办(有灯色){live:,};单位 {units}。每项先预热 1 次,再计时 {args.repeat} 次。"
    )
    office = User.objects.get(username="gen-office")
    client = Client(HTTP_HOST="localhost")
    client.force_login(office)
    month_start = (today.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)

    def measure(label, target, run, check=None):
        with CaptureQueriesContext(connection) as captured:
            result = run()
        queries = len(captured.captured_queries)
        if check:
            check(result)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
        median, worst = statistics.median(times), max(times)
        verdict = "" if worst <= target else "  ← 未达标"
        print(
            f"{label:<30} 中位数 {median * 1000:8.1f} ms  最大 {worst * 1000:8.1f} ms  目标 ≤{target * 1000:6.0f} ms  "
            f"目标/最大 {target / worst:5.2f}  查询 {queries:3d} 次{verdict}"
        )
        return result

    def page(url, expected):
        def run():
            response = client.get(url)
            if response.status_code != 200 or expected not in response.content.decode():
                sys.exit(f"{url} 返回 {response.status_code},或页面里没有“{expected}”。")
            return response

        return run

    snapshot = measure(
        "常务会材料:汇编(selector)",
        TARGET_PACK_S,
        lambda: selectors.pack_compile(today, t),
        check=lambda s: s["counts"]["total"] == live or sys.exit("汇编的在办数与数据库不符。"),
    )
    print(
        f"    红灯 {len(snapshot['red']):,} 项,待决定 {len(snapshot['extensions']) + len(snapshot['closures']):,} 项,"
        f"两周内到期 {len(snapshot['due_soon']):,} 项,未按期反馈单位 {len(snapshot['silent'])} 个"
    )
    measure(
        "常务会材料:整页(汇编+渲染)", TARGET_PACK_S, page(f"/reports/packs/preview/?date={today:%Y-%m-%d}", "红灯事项")
    )

    def issue():
        # Issued and rolled back, so that every run issues the same meeting afresh.
        with transaction.atomic():
            issued = services.pack_issue(meeting_date=today, by=office)
            transaction.set_rollback(True)
        return issued

    # The issued pack (rolled back, kept in memory) carries the chart drawn at issue, as a download does.
    pack = measure("常务会材料:印发(汇编+图表+固定)", TARGET_PACK_S, issue)
    measure("常务会材料:下载 Word", TARGET_PACK_S, lambda: documents.pack_docx(pack))

    figures = measure(
        f"督查通报:统计排名({units} 个单位)",
        TARGET_CIRCULAR_S,
        lambda: selectors.circular_compute(month_start, today),
    )
    ranked = sum(len(g["rows"]) for g in figures["groups"])
    print(f"    参与排名 {ranked} 个单位,分 {len(figures['groups'])} 组")
    circular = Circular(
        period_kind="month", year=month_start.year, period_number=month_start.month, start=month_start, end=today,
        title="基准测试通报", intro="导语", closing="要求", snapshot=figures, created_by=office,
    )  # fmt: skip
    measure("督查通报:Word + Excel", TARGET_CIRCULAR_S, lambda: (documents.circular_docx(circular),
                                                                 documents.circular_workbook(circular)))  # fmt: skip


if __name__ == "__main__":
    main()
