"""How fast the plans pages answer for a county of 600 units × 50 items × 3 years.

Whole requests through django.test.Client: logged in, templates rendered, DEBUG off. Each
figure is the median and the 95th percentile of --repeat requests after three warm-ups,
beside the target (p95 ≤ 150 ms on both databases) and the ratio target / p95 (1.0 or more
meets it), with the number of SQL queries the page runs.

The data: for each unit, an annual plan for each of three years (50 items each, the
front-loaded profile) with monthly actuals, and a three-year plan; two projects from the
templates; revenue plans and a debt calendar.

    .venv/bin/python bench/plans_pages.py                          # SQLite, var/bench/plans_pages.sqlite3
    .venv/bin/python bench/plans_pages.py --database postgres      # PostgreSQL luoshi_plans_bench
    .venv/bin/python bench/plans_pages.py --reuse                  # keep the data if present
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _bench import percentile, prepare_database, setup_django  # noqa: E402

TARGET_MS = 150
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/luoshi_plans_bench"


def generate(units: int, items: int, years: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from luoshi.org.models import Unit, User
    from luoshi.plans.cascade import default_profile
    from luoshi.plans.demo import LAND, templates_load
    from luoshi.plans.models import Plan, PlanActual, PlanItem
    from luoshi.plans.projects import project_from_template

    today = timezone.localdate()
    with transaction.atomic():
        office = User(username="bench-office", role=User.Role.OFFICE, name="督查室")
        office.set_password("bench-pass-2026")
        office.save()
        rows = Unit.objects.bulk_create(
            Unit(name=f"单位{i:04d}", short_name=f"单位{i:04d}", kind=Unit.Kind.DEPARTMENT, order=i)
            for i in range(units)
        )
        liaison = User(username="bench-unit", role=User.Role.UNIT, unit=rows[0], name="联络员")
        liaison.set_password("bench-pass-2026")
        liaison.save()
        plans = []
        for unit in rows:
            for y in range(years):
                plans.append(
                    Plan(
                        unit=unit,
                        horizon=Plan.Horizon.ANNUAL,
                        year=today.year - y,
                        title=f"{unit.name}年度计划",
                        created_by=office,
                    )
                )
            plans.append(
                Plan(
                    unit=unit,
                    horizon=Plan.Horizon.THREE_YEAR,
                    year=today.year,
                    title=f"{unit.name}三年行动计划",
                    created_by=office,
                )
            )
        Plan.objects.bulk_create(plans, batch_size=2000)
        plan_items = []
        for plan in plans:
            for n in range(1, items + 1):
                target = float(100 + n)
                if plan.horizon == Plan.Horizon.ANNUAL:
                    plan_items.append(
                        PlanItem(
                            plan=plan,
                            order=n,
                            name=f"重点工作{n}",
                            indicator="完成量",
                            measure="项",
                            target=target,
                            profile=default_profile(target),
                        )
                    )
                else:
                    plan_items.append(
                        PlanItem(
                            plan=plan,
                            order=n,
                            name=f"重点工作{n}",
                            measure="项",
                            targets={str(plan.year + k): target + k for k in range(3)},
                        )
                    )
        PlanItem.objects.bulk_create(plan_items, batch_size=5000)
        actuals = []
        for item in plan_items:
            if item.target is None:
                continue
            last = 12 if item.plan.year < today.year else today.month - 1
            for month in range(1, last + 1):
                value = round(item.profile[month - 1] * (0.85 + (item.order % 4) * 0.06), 2)
                actuals.append(PlanActual(item=item, month=month, value=value, entered_by=office))
            if len(actuals) > 50_000:
                PlanActual.objects.bulk_create(actuals, batch_size=5000)
                actuals = []
        PlanActual.objects.bulk_create(actuals, batch_size=5000)
        templates = templates_load()
        project_from_template(
            template=templates[LAND], name="城东地块出让", unit=rows[0], deadline=today.replace(month=12, day=20)
            if today.month < 3 else today.replace(year=today.year + 1, month=12, day=20), by=office,
        )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", default=DEFAULT_PG_URL)
    parser.add_argument("--units", type=int, default=600)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    maybe_full = prepare_database(args, "plans_pages.sqlite3")
    setup_django("static")

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from luoshi.org.models import User
    from luoshi.plans.models import Plan, PlanActual, PlanItem, Project

    assert not settings.DEBUG
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if maybe_full and User.objects.filter(username="bench-office").exists():
        print("沿用已有数据(--reuse)。")
    else:
        started = time.monotonic()
        generate(args.units, args.items, args.years)
        print(f"生成用时:{time.monotonic() - started:,.0f} 秒。")

    if connection.vendor == "postgresql":
        # Fresh bulk-loaded tables have no statistics yet; autovacuum would gather them within minutes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    office = User.objects.get(username="bench-office")
    liaison = User.objects.get(username="bench-unit")
    unit = liaison.unit
    annual = Plan.objects.filter(unit=unit, horizon=Plan.Horizon.ANNUAL).order_by("-year").first()
    project = Project.objects.first()
    print(
        f"数据库:{connection.vendor};单位 {args.units};计划 {Plan.objects.count():,};"
        f"计划事项 {PlanItem.objects.count():,};月度完成 {PlanActual.objects.count():,}。"
    )
    pages = [
        ("单位计划与序时进度(联络员)", liaison, f"/plans/units/{unit.pk}/", "年度目标序时进度"),
        ("单位计划(督查室)", office, f"/plans/units/{unit.pk}/", "年度目标序时进度"),
        ("填报完成情况", liaison, f"/plans/plan/{annual.pk}/actuals/6/", "完成情况"),
        ("本周要干什么", liaison, f"/plans/units/{unit.pk}/week/", "本周到期"),
        ("各单位计划", office, "/plans/units/", "各单位计划"),
        ("重点项目列表", office, "/plans/projects/", "倒排工期"),
        ("项目页(甘特图)", office, f"/plans/projects/{project.pk}/", "最晚开始"),
        ("收入与还本付息", office, "/plans/revenue/", "逐月收支"),
    ]
    clients = {}
    for user in (office, liaison):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        clients[user.pk] = client
    print(f"每页先预热 3 次,再计时 {args.repeat} 次;目标 p95 ≤ {TARGET_MS} ms。")
    print("CPU 为本进程(Django)的 CPU 时间 p95;SQL 为一次请求里各查询在数据库端的用时之和(机器繁忙时墙钟偏高)。")
    print(f"{'页面':<20} {'中位数':>8} {'p95':>8} {'目标/p95':>8} {'查询数':>6} {'CPU p95':>8} {'SQL':>7}")
    worst = 0.0
    for label, user, url, must in pages:
        client = clients[user.pk]
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            assert must in response.content.decode(), (url, must)
        times, cpu = [], []
        for _ in range(args.repeat):
            began, began_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000
        p95 = percentile(times, 0.95)
        worst = max(worst, p95)
        print(
            f"{label:<20} {statistics.median(times):>7.1f}ms {p95:>7.1f}ms {TARGET_MS / p95:>8.2f} {len(queries):>6} "
            f"{percentile(cpu, 0.95):>6.1f}ms {sql_ms:>5.1f}ms"
        )
    print(f"最慢页面 p95 {worst:.1f} ms;目标 {TARGET_MS} ms;比值 {TARGET_MS / worst:.2f}(1.0 以上达标)。")


if __name__ == "__main__":
    main()
