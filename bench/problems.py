"""How fast the 破难题 pages answer with 5,000 problems, 50,000 history entries and 20,000 risks.

Whole requests through django.test.Client: logged in, templates rendered, DEBUG off. Each figure
is the median and the 95th percentile of --repeat requests after two warm-ups, beside its target
from issue 17 and the ratio target / p95 (1.0 or more meets it), with the page's SQL query count.

    .venv/bin/python bench/problems.py                          # SQLite, var/bench/problems.sqlite3
    .venv/bin/python bench/problems.py --database postgres      # PostgreSQL, --url (dropped and created afresh)
    .venv/bin/python bench/problems.py --reuse                  # keep the database if it holds the data

The data is bulk-inserted here (a benchmark's fixture, not a workflow): problems spread over every
unit, level and status, ten history lines each, risks with two to four reviews each, and two 专班
meetings for every other problem. Each page also gets its CPU time (time.process_time: the web process,
and SQLite, which runs inside it; PostgreSQL's own work is not in it), which a loaded machine inflates less.
The daily reminders pass (problems.reminders) is timed once at the end, on a copy of the work it does.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _bench import percentile, prepare_database, setup_django  # noqa: E402

TARGETS_MS = {"ledger": 150, "register": 150, "heat": 300, "detail": 150, "calendar": 150}
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/luoshi_bench_problems"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", default=DEFAULT_PG_URL, help="the PostgreSQL database to (re)create")
    parser.add_argument("--problems", type=int, default=5_000)
    parser.add_argument("--history", type=int, default=50_000)
    parser.add_argument("--risks", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reuse", action="store_true")
    return parser.parse_args()


def generate(args):
    from django.db import transaction
    from django.utils import timezone

    from luoshi.org.demo import demo_load
    from luoshi.org.models import Leader, Unit, User
    from luoshi.problems.models import (
        CATEGORIES,
        RISK_FIELDS,
        Problem,
        ProblemHistory,
        Risk,
        RiskReview,
        TaskForceMeeting,
    )

    demo_load(with_tasks=False)
    rng = random.Random(1)
    office = User.objects.get(username="office")
    units = list(Unit.objects.all())
    leaders = list(Leader.objects.all())
    today = timezone.localdate()
    statuses = list(Problem.Status.values)
    with transaction.atomic():
        problems = []
        for n in range(args.problems):
            level = rng.randint(0, 3)
            problems.append(Problem(
                title=f"遗留问题{n:05d}:{rng.choice(['安置小区办证', '企业改制', '工程欠款', '征地补偿'])}",
                category=rng.choice(CATEGORIES), lead_unit=rng.choice(units), leader=rng.choice(leaders),
                contradiction="主要矛盾" * 5, status=rng.choice(statuses) if level else "open", level=level,
                level_due=today + timedelta(days=rng.randint(-30, 40)) if level else None,
                level_concluded=rng.random() < 0.3, petition_red=rng.random() < 0.05, created_by=office,
            ))  # fmt: skip
        Problem.objects.bulk_create(problems, batch_size=1000)
        ids = list(Problem.objects.values_list("pk", flat=True))
        ProblemHistory.objects.bulk_create(
            (ProblemHistory(problem_id=ids[i % len(ids)], day=today - timedelta(days=rng.randint(1, 4000)),
                            text=f"第{i}条经过:" + "情况说明" * 8, added_by=office)
             for i in range(args.history)),
            batch_size=2000,
        )  # fmt: skip
        risks = []
        for n in range(args.risks):
            likelihood, impact = rng.randint(1, 5), rng.randint(1, 5)
            risks.append(Risk(
                title=f"风险{n:05d}", kind=rng.choice(Risk.Kind.values), field=rng.choice(RISK_FIELDS),
                likelihood=likelihood, impact=impact, score=likelihood * impact, owner_unit=rng.choice(units),
                leader=rng.choice(leaders), next_review=today + timedelta(days=rng.randint(-10, 60)),
                status=rng.choice(Risk.Status.values), created_by=office,
            ))  # fmt: skip
        Risk.objects.bulk_create(risks, batch_size=1000)
        reviews = []
        for risk_id, score in Risk.objects.values_list("pk", "score"):
            for k in range(rng.randint(2, 4)):
                reviews.append(RiskReview(risk_id=risk_id, day=today - timedelta(days=30 * (4 - k)), likelihood=1,
                                          impact=max(1, score - k), score=max(1, score - k), by=office))  # fmt: skip
        RiskReview.objects.bulk_create(reviews, batch_size=2000)
        TaskForceMeeting.objects.bulk_create(
            (TaskForceMeeting(problem_id=ids[i], day=today + timedelta(days=rng.randint(-60, 60) + k), topic="专班会议",
                              status="planned" if k else "held", attendees=["甲", "乙"], minutes="纪要" if not k else "",
                              created_by=office)
             for i in range(0, len(ids), 2) for k in (0, 1)),
            batch_size=2000,
        )  # fmt: skip
    from django.db import connection

    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum would gather after a real day's inserts.
        cursor.execute("ANALYZE")


def main() -> None:
    args = parse_args()
    maybe_full = prepare_database(args, "problems.sqlite3")
    setup_django("static")

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from luoshi.org.models import User
    from luoshi.problems.models import Problem, Risk
    from luoshi.problems.selectors import heat_map

    assert not settings.DEBUG
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if maybe_full and Problem.objects.count() >= args.problems:
        print("沿用已有数据(--reuse)。")
    else:
        started = time.monotonic()
        generate(args)
        print(f"生成用时:{time.monotonic() - started:,.0f} 秒。")

    office = User.objects.get(username="office")
    leader = User.objects.get(username="leader")
    busy = Problem.objects.order_by("-id").first()
    print(
        f"数据库:{connection.vendor};遗留问题 {Problem.objects.count():,},来龙去脉 {busy.history.model.objects.count():,},"
        f"风险 {Risk.objects.count():,};每页预热 2 次,再计时 {args.repeat} 次。"
    )
    pages = [
        ("台账(督查室)", "ledger", office, "/problems/"),
        ("台账 按类别+状态", "ledger", office, "/problems/?category=历史欠账&status=handling"),
        ("台账(分管领导)", "ledger", leader, "/problems/"),
        ("问题详情", "detail", office, f"/problems/{busy.pk}/"),
        ("风险清单+热力图", "register", office, "/problems/risks/"),
        ("风险清单 格子筛选", "register", office, "/problems/risks/?cell=5,5"),
        ("专班会议日程", "calendar", office, "/problems/task-force/"),
        ("专班会议日程(分管领导)", "calendar", leader, "/problems/task-force/"),
    ]
    clients = {}
    for user in (office, leader):
        clients[user.pk] = Client(HTTP_HOST="localhost")
        clients[user.pk].force_login(user)
    for label, kind, user, url in pages:
        client = clients[user.pk]
        for _ in range(2):
            assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = len(captured.captured_queries)
        times, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200
        report(label, url, times, TARGETS_MS[kind], queries, cpu)
    # The heat map's own figure: the aggregate over every visible risk, as the register runs it.
    times, cpu = [], []
    for _ in range(args.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        cells = heat_map(Risk.objects.visible_to(office))
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    assert sum(cell[2] for cell in cells) == Risk.objects.exclude(status=Risk.Status.CLOSED).count()
    report("热力图聚合", "selectors.heat_map", times, TARGETS_MS["heat"], 1, cpu)
    reminders_pass()


def reminders_pass() -> None:
    """The daily reminders pass over the whole ledger, in a transaction rolled back so that --reuse stays the same."""
    from django.db import transaction
    from django.utils import timezone

    from luoshi.problems.reminders import escalation_reminders_run

    with transaction.atomic():
        started, started_cpu = time.perf_counter(), time.process_time()
        overdue = escalation_reminders_run(day=timezone.localdate())
        wall, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000
        transaction.set_rollback(True)
    print(f"每日提醒(problems.reminders)\t待升级 {overdue:,} 个,一次用时 {wall:,.0f} ms(CPU {cpu:,.0f} ms);"
          f"无目标(每个工作日由后台任务运行一次)。")  # fmt: skip


def report(label, url, times, target, queries, cpu=None):
    median, p95 = statistics.median(times), percentile(times, 0.95)
    cpu_text = f"  CPU p95 {percentile(cpu, 0.95):7.1f} ms" if cpu else ""
    print(
        f"{label:<12}\t{url:<48} 中位数 {median:7.1f} ms  p95 {p95:7.1f} ms{cpu_text}  目标 ≤{target:4d} ms  "
        f"目标/p95 {target / p95:5.2f}  查询 {queries:2d} 次{'' if p95 <= target else '  ← 未达标'}"
    )


if __name__ == "__main__":
    main()
