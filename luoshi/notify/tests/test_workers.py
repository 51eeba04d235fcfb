"""Real worker processes (django-tasks' db_worker) against one database, counted at a local fake robot.

- two workers never send a delivery twice;
- SIGTERM: the worker finishes the round it holds, records it, and exits; nothing is left claimed;
- kill -9: the rows it held are taken again once their lease runs out; nothing is lost.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from django.db import connection

from luoshi.notify.models import Channel, Delivery, RobotChannel
from luoshi.notify.services import EventSpec, events_raise
from luoshi.notify.tasks import deliver
from luoshi.work.tests.conftest import TZ

from .fakes import SECRET

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def working_morning(time_machine):
    # Deliveries are written on a working morning, so that quiet hours hold none of them.
    time_machine.move_to(datetime(2026, 3, 16, 10, tzinfo=TZ), tick=True)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(name: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": _database_url(), "LUOSHI_NOTIFY_ALLOWED_HOSTS": "127.0.0.1",
           "LUOSHI_NOTIFY_LEASE_SECONDS": "5", "DEBUG": "0"}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2",
         "--worker-id", name, "--verbosity", "0"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def raise_events(personas, robot, count: int) -> None:
    RobotChannel.objects.create(unit=personas.finance, kind=Channel.DINGTALK, webhook=robot.dingtalk_url(),
                                secret=SECRET)  # fmt: skip
    events_raise([EventSpec(kind="urged", title=f"催办第{i}号", body="请反馈", url="/work/",
                            robot_units=[personas.finance.pk]) for i in range(count)])  # fmt: skip


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("超时:worker 未在限定时间内完成")


def titles(robot) -> Counter:
    return Counter(body["markdown"]["title"] for body in robot.of("dingtalk"))


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_two_workers_never_send_a_delivery_twice(personas, robot):
    robot.delay = 0.01
    raise_events(personas, robot, 150)
    deliver.enqueue()  # a second task, so that both workers claim at once
    workers = [start_worker("w1"), start_worker("w2")]
    try:
        wait_for(lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == 150)
    finally:
        for worker in workers:
            stop(worker)
    counted = titles(robot)
    assert len(counted) == 150 and set(counted.values()) == {1}
    assert set(Delivery.objects.values_list("worker", flat=True)) == {f"{os.uname().nodename}:{w.pid}" for w in workers}


def test_sigterm_finishes_what_the_worker_holds_and_leaves_nothing_claimed(personas, robot):
    robot.delay = 0.02
    raise_events(personas, robot, 120)
    worker = start_worker("w1")
    wait_for(lambda: len(robot.of("dingtalk")) >= 10, 30)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=30) == 0, worker.stderr.read().decode()[-2000:]
    sent = Delivery.objects.filter(status=Delivery.Status.SENT).count()
    assert 10 <= sent < 120
    assert Delivery.objects.filter(status=Delivery.Status.SENDING).count() == 0
    assert sum(titles(robot).values()) == sent  # everything sent was recorded as sent


def test_a_worker_killed_with_9_loses_nothing(personas, robot):
    robot.delay = 0.02
    raise_events(personas, robot, 100)
    first = start_worker("w1")
    wait_for(lambda: len(robot.of("dingtalk")) >= 5, 30)
    first.kill()
    first.wait(timeout=10)
    assert Delivery.objects.filter(status=Delivery.Status.SENDING).exists()
    # The scheduler sweeps once a minute, long after a lease (5 s here) has run out; a fast second worker
    # would otherwise finish its pass while the killed worker's rows are still leased. The leases run on
    # the worker's real clock (this test's clock is moved to a working morning), so wait in real seconds.
    time.sleep(6)
    deliver.enqueue()  # what the scheduler's minute sweep does
    second = start_worker("w2")
    try:
        wait_for(lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == 100, 60)
    finally:
        stop(second)
    counted = titles(robot)
    assert len(counted) == 100  # every one arrived; only the round in flight at the kill may arrive twice
    assert sum(counted.values()) - 100 <= 50
