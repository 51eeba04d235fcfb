"""How fast 争先进位 is with a province-sized history: 300 indicators × 15 counties × 10 years of monthly values.

- recomputing every rank and every rule status (540,000 values, 36,000 periods): target ≤ 2 s;
- the rankings page (/rankings/, every indicator's latest rank, status and gaps) and an indicator's page
  (its 120 periods ranked, the charts' data): p95 ≤ 150 ms each, through django.test.Client;
- the preview of a 300-indicator 通报 sheet (15 counties, 900 columns under a two-row header): ≤ 5 s.

Each figure is printed beside its target and the ratio target / measured (1.0 or more meets it), with the
CPU time of this process and the machine's load average: on a shared machine the wall time mostly measures
the wait for a core.

    .venv/bin/python bench/rankings.py                        # SQLite, var/bench/rankings.sqlite3
    .venv/bin/python bench/rankings.py --database postgres    # PostgreSQL luoshi_bench_rankings
    .venv/bin/python bench/rankings.py --reuse                # keep the database if it holds the data
"""

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _bench import prepare_database, setup_django  # noqa: E402

TARGET_RECOMPUTE_S = 2.0
TARGET_PAGE_P95_S = 0.150
TARGET_PREVIEW_S = 5.0
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/luoshi_bench_rankings"
RULES = ["top3", "not_bottom3", "upper_half", "first", "upper_half"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", default=DEFAULT_PG_URL, help="the PostgreSQL database to (re)create")
    parser.add_argument("--indicators", type=int, default=300)
    parser.add_argument("--counties", type=int, default=15)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=40, help="page loads measured for each p95, after a warm-up")
    parser.add_argument("--reuse", action="store_true", help="skip generating when the database holds the data")
    return parser.parse_args()


def generate(args, office):
    from django.db import transaction

    from luoshi.lib.bulk import insert_many
    from luoshi.rankings.models import County, Indicator, IndicatorValue

    rng = random.Random(1)
    counties = [County(name=f"第{i:02d}县", order=i, is_ours=i == 7) for i in range(1, args.counties + 1)]
    County.objects.bulk_create(counties)
    counties = list(County.objects.all())
    indicators = [
        Indicator(name=f"指标{i:03d}", measure="亿元", rule=RULES[i % len(RULES)], basis="growth" if i % 2 else "absolute",
                  direction="lower" if i % 7 == 0 else "higher", period_kind="monthly", order=i)
        for i in range(1, args.indicators + 1)
    ]  # fmt: skip
    Indicator.objects.bulk_create(indicators)
    indicators = list(Indicator.objects.all())
    last_year = 2026
    periods = [
        year * 100 + month for year in range(last_year - args.years + 1, last_year + 1) for month in range(1, 13)
    ]
    with transaction.atomic():
        for indicator in indicators:
            rows = [
                IndicatorValue(indicator_id=indicator.pk, county_id=county.pk, period=period,
                               value=Decimal(f"{rng.uniform(10, 500):.2f}"), growth=Decimal(f"{rng.uniform(-5, 15):.2f}"),
                               source="demo", entered_by_id=office.pk)
                for period in periods for county in counties
            ]  # fmt: skip
            insert_many(IndicatorValue, rows)
        Indicator.objects.update(latest_period=periods[-1])
    return len(indicators) * len(periods) * len(counties)


def tongbao_sheet(indicators, counties) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.append(["2026年1-10月全市主要指标完成情况通报"])
    top, parts = ["县(市、区)"], [None]
    for indicator in indicators:
        top += [indicator.name, None, None]
        parts += ["绝对值", "增速", "位次"]
    ws.append(top)
    ws.append(parts)
    for index in range(len(indicators)):
        column = 2 + 3 * index
        ws.merge_cells(start_row=2, start_column=column, end_row=2, end_column=column + 2)
    rng = random.Random(2)
    for county in counties:
        row = [county.name[:-1]]
        for _ in indicators:
            row += [round(rng.uniform(10, 500), 2), f"{rng.uniform(-5, 15):.1f}%", "—"]
        ws.append(row)
    ws.append(["注:增速按可比价计算。"])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def main() -> None:
    args = parse_args()
    maybe_full = prepare_database(args, "rankings.sqlite3")
    setup_django("static-rankings")

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from luoshi.org.models import User
    from luoshi.rankings.models import County, Indicator, IndicatorValue
    from luoshi.rankings.sheet import read_sheet

    assert not settings.DEBUG
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    office, _ = User.objects.get_or_create(
        username="bench-office", defaults={"role": User.Role.OFFICE, "name": "督查室"}
    )
    existing = IndicatorValue.objects.count() if maybe_full else 0
    if existing:
        print(f"沿用已有数据:{existing:,} 个指标值(--reuse)。")
    else:
        started = time.monotonic()
        created = generate(args, office)
        print(f"生成 {created:,} 个指标值,用时 {time.monotonic() - started:,.0f} 秒。")
    print(f"数据库:{connection.vendor}({settings.DATABASES['default']['NAME']});指标 {Indicator.objects.count()},"
          f"县(市、区) {County.objects.count()},指标值 {IndicatorValue.objects.count():,}。")  # fmt: skip

    def report(label, seconds, target, extra="", cpu=None):
        verdict = "" if seconds <= target else "  ← 未达标"
        cpu_text = f"  CPU {cpu * 1000:.0f} ms" if cpu is not None else ""
        print(f"{label:<28} {seconds * 1000:9.1f} ms  目标 ≤{target * 1000:7.0f} ms  目标/实测 {target / seconds:5.2f}"
              f"{cpu_text}{extra}{verdict}")  # fmt: skip

    print(f"本机负载(1/5/15 分钟):{'、'.join(f'{x:.1f}' for x in os.getloadavg())};CPU 核数 {os.cpu_count()}。")

    from luoshi.rankings.selectors import recompute_all

    recompute_all()
    times, cpus = [], []
    for _ in range(3):
        started, cpu = time.perf_counter(), time.process_time()
        groups, statuses = recompute_all()
        times.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    report("重算全部位次(3 次中位数)", statistics.median(times), TARGET_RECOMPUTE_S, cpu=statistics.median(cpus), extra=
           f"  {groups:,} 期;达标 {statuses.get('met', 0):,} 临界 {statuses.get('at_risk', 0):,} 未达标 {statuses.get('broken', 0):,}")  # fmt: skip

    client = Client(HTTP_HOST="localhost")
    client.force_login(office)
    indicator = Indicator.objects.order_by("id")[len(RULES)]

    def p95(url, expected):
        response = client.get(url)
        if response.status_code != 200 or expected not in response.content.decode():
            sys.exit(f"{url} 返回 {response.status_code},或页面里没有“{expected}”。")
        times, cpus = [], []
        for _ in range(args.repeat):
            started, cpu = time.perf_counter(), time.process_time()
            client.get(url)
            times.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
        at = max(0, round(0.95 * len(times)) - 1)
        return sorted(times)[at], statistics.median(times), sorted(cpus)[at]

    worst, median, cpu = p95("/rankings/", "指标300")
    report("指标位次页 /rankings/ p95", worst, TARGET_PAGE_P95_S, f"  中位数 {median * 1000:.1f} ms", cpu=cpu)
    worst, median, cpu = p95(f"/rankings/indicators/{indicator.pk}/", "本县位次变化")
    report("单个指标页 p95", worst, TARGET_PAGE_P95_S, f"  中位数 {median * 1000:.1f} ms(120 期)", cpu=cpu)

    data = tongbao_sheet(list(Indicator.objects.order_by("id")[:300]), list(County.objects.all()))
    started, cpu = time.perf_counter(), time.process_time()
    preview = read_sheet(data, year=None, month=None)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if preview.errors or len(preview.indicators) != min(300, Indicator.objects.count()):
        sys.exit(f"预览有误:{[p.message for p in preview.errors[:3]]},指标 {len(preview.indicators)} 项。")
    report("300 项指标通报表预览", seconds, TARGET_PREVIEW_S,
           f"  {len(preview.values):,} 组数值,{len(data) // 1024} KB", cpu=cpu)  # fmt: skip


if __name__ == "__main__":
    main()
