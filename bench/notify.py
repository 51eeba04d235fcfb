"""How fast events reach people: a batch urge, two workers delivering it, and the scheduler's daily pass.

    .venv/bin/python bench/notify.py                         # SQLite, 100,000 tasks over 600 units
    .venv/bin/python bench/notify.py --database postgres     # PostgreSQL luoshi_bench_notify
    .venv/bin/python bench/notify.py --reuse                 # keep the generated tasks

Figures, each beside its target from issue 11 and the ratio target / figure (1.0 or more meets it):

1. the office's batch urge of about 5,000 tasks (every live task of a list filter), as one POST through
   django.test.Client, with its messages and deliveries written in the same transaction (target 1 s);
   bench/urge.py measures it alone, with CPU time and the old per-task path as its baseline;
2. two `manage.py db_worker` processes delivering them to local fakes: a WeCom robot per unit and
   an aiosmtpd SMTP server for each liaison's email (target 60 s from the workers' start);
3. the scheduler's daily pass (`reminders_run`) over every live task (target 10 s).

The data is written by `manage.py gen_tasks`, as bench/task_list.py does.
"""

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _bench import prepare_database, setup_django  # noqa: E402

TARGETS_S = {"urge": 1.0, "deliver": 60.0, "daily": 10.0}
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/luoshi_bench_notify"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", default=DEFAULT_PG_URL, help="the PostgreSQL database to (re)create")
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=600)
    parser.add_argument("--urge", type=int, default=5_000, help="tasks in the batch urge")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="skip generating when the database holds the data")
    return parser.parse_args()


def line(name: str, seconds: float, target: float, extra: str = "") -> None:
    print(f"{name:<34} {seconds:8.2f} s   目标 ≤ {target:g} s   比值 {target / max(seconds, 1e-9):5.2f}  {extra}")


def main() -> None:
    args = parse_args()
    maybe_full = prepare_database(args, "notify.sqlite3")
    setup_django("static")

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from luoshi.notify.models import Channel, Delivery, Event, Message, ReminderLog, RobotChannel
    from luoshi.notify.reminders import reminders_run
    from luoshi.notify.tests.fakes import Mailbox, Robot
    from luoshi.org.models import Unit, User
    from luoshi.work.models import Task

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    existing = Task.objects.count() if maybe_full else 0
    if existing < args.tasks:
        if existing:
            sys.exit(f"数据库里有 {existing:,} 个事项,少于要求的 {args.tasks:,}:请去掉 --reuse 重新生成。")
        started = time.monotonic()
        call_command("gen_tasks", tasks=args.tasks, units=args.units, seed=args.seed)
        print(f"生成 {args.tasks:,} 个事项用时 {time.monotonic() - started:.1f} s")
    # A fresh slate of messages, so that a --reuse run measures the same work.
    for model in (Delivery, Message, Event, ReminderLog, RobotChannel):
        model.objects.all().delete()

    robot, mailbox = Robot(), Mailbox()
    settings.LUOSHI_NOTIFY_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", mailbox.port
    units = list(Unit.objects.filter(active=True).order_by("pk")[: args.units])
    RobotChannel.objects.bulk_create(
        [RobotChannel(unit=unit, kind=Channel.WECOM, webhook=robot.wecom_url(f"goodkey{unit.pk}")) for unit in units]
    )
    User.objects.filter(role=User.Role.UNIT).exclude(email__contains="@").update(email="liaison@example.org")

    # The batch: every live task of a list filter (a deadline window holding about --urge of them), posted as the
    # page posts it: the filter and the count the office confirmed, never thousands of ids (bench/urge.py too).
    from luoshi.lib import workdays

    t = workdays.thresholds()
    lit = Task.objects.filter(status__in=Task.LIT_STATUSES, lead_unit__isnull=False, deadline__gte=t.today)
    deadlines = list(lit.order_by("deadline").values_list("deadline", flat=True)[: args.urge])
    window = lit.filter(deadline__range=(deadlines[0], deadlines[-1]))
    chosen = list(window.values_list("pk", flat=True))
    urged_units = window.values("lead_unit").distinct().count()
    query = f"deadline_from={deadlines[0]:%Y-%m-%d}&deadline_to={deadlines[-1]:%Y-%m-%d}"
    office = User.objects.get(username="gen-office")
    client = Client(HTTP_HOST="localhost")
    client.force_login(office)
    client.get("/")  # warm: URLconf imported, templates loaded
    # The share of the request spent writing the messages and deliveries (luoshi.notify), measured apart.
    from luoshi.notify import services as notify_services

    spent = []
    original = notify_services.tasks_urged

    def timed(**kwargs):
        begun = time.perf_counter()
        try:
            return original(**kwargs)
        finally:
            spent.append(time.perf_counter() - begun)

    notify_services.tasks_urged = timed
    started = time.perf_counter()
    response = client.post("/work/urge/", {"scope": "all", "query": query, "confirmed": "1", "expected": str(len(chosen)),
                                           "message": "请抓紧办理,并按时反馈进展。", "token": f"bench-{time.time()}"})  # fmt: skip
    urge_s = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    deliveries = Delivery.objects.count()
    messages = Message.objects.count()
    print(f"数据库:{connection.vendor};事项 {Task.objects.count():,};单位 {len(units)}")
    notify_services.tasks_urged = original
    line("批量催办(一次请求,含写入消息)", urge_s, TARGETS_S["urge"],
         f"{len(chosen):,} 项 / {urged_units} 个单位 → 站内消息 {messages:,} 条,外发 {deliveries:,} 条")  # fmt: skip
    print(
        f"{'':34} 其中写入消息与外发记录(luoshi.notify)用时 {sum(spent):.2f} s,其余为催办本身(work.office.task_urge_batch 与视图)"
    )

    db = connection.settings_dict
    url = (f"sqlite:///{db['NAME']}" if connection.vendor == "sqlite"
           else f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}")  # fmt: skip
    env = {**os.environ, "DATABASE_URL": url, "LUOSHI_NOTIFY_ALLOWED_HOSTS": "127.0.0.1", "LUOSHI_SMTP_HOST": "127.0.0.1",
           "LUOSHI_SMTP_PORT": str(mailbox.port), "DEBUG": "0"}  # fmt: skip
    connection.close()
    started = time.perf_counter()
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"]
    workers = [
        subprocess.Popen([*command, "--worker-id", f"bench-{i}", "--verbosity", "0"], cwd=ROOT, env=env)
        for i in range(2)
    ]
    try:
        while Delivery.objects.filter(status=Delivery.Status.SENT).count() < deliveries:
            if time.perf_counter() - started > 600:
                break
            time.sleep(0.25)
        deliver_s = time.perf_counter() - started
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=60)
    received = Counter((body["_key"], body["markdown"]["content"]) for body in robot.of("wecom"))
    statuses = dict(Counter(Delivery.objects.values_list("status", flat=True)))
    line("两个 worker 送达全部外发", deliver_s, TARGETS_S["deliver"],
         f"机器人收到 {len(robot.of('wecom')):,} 条,邮件 {len(mailbox.messages):,} 封;状态 {statuses}")  # fmt: skip
    twice = sum(1 for n in received.values() if n > 1)
    print(f"{'':34} 重复送达:{twice} 条(应为 0)")

    started = time.perf_counter()
    reminded = reminders_run(day=timezone.localdate())
    daily_s = time.perf_counter() - started
    live = Task.objects.filter(status__in=Task.LIT_STATUSES).count()
    line("定时任务每日一轮(提醒)", daily_s, TARGETS_S["daily"],
         f"在办事项 {live:,} 项,提醒 {reminded:,} 项,生成消息 {Message.objects.count() - messages:,} 条")  # fmt: skip
    robot.close()
    mailbox.close()


if __name__ == "__main__":
    main()
