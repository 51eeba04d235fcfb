"""The office's batch urge: 5,000 tasks over 600 units in one request, against the old per-task path.

    .venv/bin/python bench/urge.py --reuse                        # SQLite, var/bench/notify.sqlite3
    .venv/bin/python bench/urge.py --database postgres --reuse    # PostgreSQL luoshi_bench_notify

The data is bench/notify.py's (100,000 tasks over 600 units by `manage.py gen_tasks`); without --reuse it is
generated afresh. The batch is "every task of the list's filter": the live tasks with a deadline in a window
that holds about 5,000 of them, which is what the page posts (the filter and the count the office confirmed,
never 5,000 ids). Printed:

1. the new set-based path: one POST to /work/urge/ through django.test.Client, the Urge rows, the timeline
   entries, the urge counts, and the messages and deliveries (one per unit) all written; target ≤ 1 s;
2. the baseline: the old path of commit 6249896 (the view's `list(visible.filter(pk__in=ids))`, then each task
   re-read as a model, `Urge` and `TimelineEntry` instances through bulk_create), on the same tasks, run in a
   transaction that is rolled back so that the database is left as the new path left it.

Wall time and CPU time (time.process_time of this process; the database server's is not in it) are shown,
with the load average, because the machine is shared.
"""

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _bench import prepare_database, setup_django, tasks_generated  # noqa: E402

TARGET_S = 1.0
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/luoshi_bench_notify"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", default=DEFAULT_PG_URL, help="the PostgreSQL database to (re)create")
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=600)
    parser.add_argument("--urge", type=int, default=5_000, help="about how many tasks the filter holds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="skip generating when the database holds the data")
    parser.add_argument("--no-baseline", action="store_true", help="skip the old per-task path")
    return parser.parse_args()


def old_task_urge(*, tasks, message, by):
    """work.services.task_urge as of commit 6249896: model instances for every task, Urge and timeline row."""
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from luoshi.lib import workdays
    from luoshi.notify import services as notify
    from luoshi.work.models import Task, TimelineEntry, Urge

    t = workdays.thresholds()
    now = timezone.now()
    with transaction.atomic():
        ids = sorted({task.pk for task in tasks})
        targets = []
        for start in range(0, len(ids), 900):
            targets += Task.objects.select_for_update(of=("self",)).filter(
                pk__in=ids[start : start + 900], status__in=Task.LIT_STATUSES, lead_unit__isnull=False
            )
        batch = uuid.uuid4() if len(targets) > 1 else None
        Urge.objects.bulk_create(
            [Urge(task=task, unit_id=task.lead_unit_id, message=message.strip(), light=task.light_for(t),
                  batch=batch, created_by=by, created_at=now) for task in targets],
            batch_size=1000,
        )  # fmt: skip
        ids = [task.pk for task in targets]
        for start in range(0, len(ids), 900):
            Task.objects.filter(pk__in=ids[start : start + 900]).update(urge_count=F("urge_count") + 1, updated_at=now)
        TimelineEntry.objects.bulk_create(
            [TimelineEntry(task=task, actor=by, action=TimelineEntry.Action.URGE, unit_id=task.lead_unit_id, at=now,
                           note=message.strip(), before={"urge_count": task.urge_count},
                           after={"urge_count": task.urge_count + 1}) for task in targets],
            batch_size=1000,
        )  # fmt: skip
        notify.tasks_urged(tasks=targets, message=message)
    return len(targets)


def main() -> None:
    args = parse_args()
    maybe_full = prepare_database(args, "notify.sqlite3")
    setup_django("static")

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from luoshi.lib import workdays
    from luoshi.notify.models import Channel, Delivery, Event, Message, RobotChannel
    from luoshi.org.models import Unit, User
    from luoshi.work.models import Task, TimelineEntry, Urge

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    tasks_generated(args, maybe_full)
    # As bench/notify.py sets them up: a WeCom robot per unit and the liaisons' emails, so that the urge writes
    # its outbound deliveries too (nothing is sent here: no worker runs).
    if not RobotChannel.objects.exists():
        RobotChannel.objects.bulk_create(
            [RobotChannel(unit=unit, kind=Channel.WECOM, webhook=f"http://127.0.0.1:9/cgi-bin/webhook/send?key=k{unit.pk}")
             for unit in Unit.objects.filter(active=True)]
        )  # fmt: skip
    User.objects.filter(role=User.Role.UNIT).exclude(email__contains="@").update(email="liaison@example.org")

    # The filter: live leaf tasks whose deadline falls in [first, last], holding about --urge of them.
    t = workdays.thresholds()
    lit = Task.objects.filter(status__in=Task.LIT_STATUSES, lead_unit__isnull=False, deadline__gte=t.today)
    deadlines = list(lit.order_by("deadline").values_list("deadline", flat=True)[: args.urge])
    first, last = deadlines[0], deadlines[-1]
    window = lit.filter(deadline__range=(first, last))
    count = window.count()
    units = window.values("lead_unit").distinct().count()
    query = f"deadline_from={first:%Y-%m-%d}&deadline_to={last:%Y-%m-%d}"
    office = User.objects.get(username="gen-office")
    client = Client(HTTP_HOST="localhost")
    client.force_login(office)
    client.get("/")  # warm: URLconf imported, templates loaded
    print(f"数据库:{connection.vendor};事项 {Task.objects.count():,};筛选 {query}:{count:,} 项,{units} 个牵头单位")

    before = {model: model.objects.count() for model in (Urge, TimelineEntry, Event, Message, Delivery)}
    confirm = client.post("/work/urge/", {"scope": "all", "query": query, "message": "请抓紧办理,并按时反馈进展。",
                                          "token": f"bench-{time.time()}"})  # fmt: skip
    assert confirm.status_code == 200 and f'共 <strong id="urge-count">{count}</strong>' in confirm.content.decode()
    load = os.getloadavg()[0]
    cpu, wall = time.process_time(), time.perf_counter()
    response = client.post("/work/urge/", {"scope": "all", "query": query, "message": "请抓紧办理,并按时反馈进展。",
                                           "confirmed": "1", "expected": str(count),
                                           "token": f"bench-{time.time()}"})  # fmt: skip
    new_wall, new_cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert response.status_code == 302, response.status_code
    added = {model.__name__: model.objects.count() - n for model, n in before.items()}
    assert added["Urge"] == count and added["TimelineEntry"] == count, added
    print(f"负载(1 分钟平均):{load:.2f}")
    print(f"{'批量催办,新路径(一次请求)':<24} {new_wall:7.2f} s(CPU {new_cpu:.2f} s)  目标 ≤ {TARGET_S:g} s  "
          f"比值 {TARGET_S / new_wall:.2f}")  # fmt: skip
    print(f"{'':24} 写入:催办 {added['Urge']:,},留痕 {added['TimelineEntry']:,},事件 {added['Event']:,},"
          f"站内消息 {added['Message']:,},外发 {added['Delivery']:,}")  # fmt: skip
    if args.no_baseline:
        return

    class Rollback(Exception):
        pass

    cpu, wall = time.process_time(), time.perf_counter()
    try:
        with transaction.atomic():
            # The old view: every ticked id read into a Task model, then the old service.
            visible = Task.objects.visible_to(office).leaves()
            ids = list(window.values_list("pk", flat=True))
            tasks = []
            for start in range(0, len(ids), 900):
                tasks += visible.filter(pk__in=ids[start : start + 900])
            old_task_urge(tasks=tasks, message="请抓紧办理,并按时反馈进展。", by=office)
            old_wall, old_cpu = time.perf_counter() - wall, time.process_time() - cpu
            raise Rollback
    except Rollback:
        pass
    print(f"{'基线:旧的逐项路径':<24} {old_wall:7.2f} s(CPU {old_cpu:.2f} s)  新路径快 {old_wall / new_wall:.1f} 倍"
          f"(CPU {old_cpu / max(new_cpu, 1e-9):.1f} 倍)")  # fmt: skip


if __name__ == "__main__":
    main()
