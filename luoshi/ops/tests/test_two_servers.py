"""Two app servers and two workers against one database (issue 20 §5), as two machines would run them.

Two gunicorn servers on loopback ports and two `db_worker` processes share the test database. Client
threads urge tasks through the API, every urge sent twice with the same idempotency key, once to each
server at the same moment (a double submit that lands on both machines). Then:
- each urge is recorded once (one 200, one 409 per pair), with one timeline entry;
- both servers served, and both workers sent;
- every message reached the unit's robot exactly once.
Everything is bounded in time; the processes are stopped with SIGTERM (killed if they do not stop).
"""

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from luoshi.notify.models import Channel, Delivery, Kind, RobotChannel
from luoshi.notify.tests.fakes import SECRET, Robot, free_port
from luoshi.org.services import api_token_create
from luoshi.testing import make_personas
from luoshi.work import services
from luoshi.work.models import Task, TimelineEntry, Urge

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]
TASKS_PER_UNIT = 6
URGES_PER_TASK = 3


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def environment() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LUOSHI_NOTIFY_ALLOWED_HOSTS": "127.0.0.1",
        "LUOSHI_LOG_LEVEL": "WARNING",
    }


def start_server(port: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "luoshi.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "60",
         "--graceful-timeout", "10"],
        cwd=ROOT, env=environment(), stdout=subprocess.DEVNULL, stderr=log.open("w"),
    )  # fmt: skip


def start_worker(name: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2",
         "--worker-id", name, "--verbosity", "0"],
        cwd=ROOT, env=environment(), stdout=subprocess.DEVNULL, stderr=log.open("w"),
    )  # fmt: skip


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"超时:{seconds} 秒内{what}")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def post(url: str, body: bytes, secret: str) -> int:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_two_servers_and_two_workers_do_each_piece_of_work_once(tmp_path):
    personas = make_personas()
    robot = Robot()
    robot.delay = 0.03  # so that the two workers overlap
    units = [personas.finance, personas.housing]
    for unit in units:
        RobotChannel.objects.create(unit=unit, kind=Channel.DINGTALK, webhook=robot.dingtalk_url(), secret=SECRET)
    # 特急 tasks: their messages are not held through quiet hours or weekends, whenever the suite runs.
    specs = [
        services.TaskSpec(
            title=f"{unit.short_name}事项{n}", lead=unit, deadline=timezone.localdate() + timedelta(days=60),
            priority=Task.Priority.CRITICAL,
        )
        for unit in units
        for n in range(TASKS_PER_UNIT)
    ]  # fmt: skip
    tasks = services.task_create_many(specs=specs, by=personas.office)
    _, secret = api_token_create(user=personas.office, name="两台服务器演练")

    ports = [free_port(), free_port()]
    processes = [start_server(port, tmp_path / f"server-{port}.log") for port in ports]
    processes += [start_worker(name, tmp_path / f"{name}.log") for name in ("w1", "w2")]
    try:
        for port in ports:
            wait_for(lambda port=port: answers(f"http://127.0.0.1:{port}/healthz"), 60, f"服务器 {port} 未启动")

        results: Counter = Counter()
        by_server: Counter = Counter()
        lock = threading.Lock()
        jobs = [(task, round_) for round_ in range(URGES_PER_TASK) for task in tasks]

        def send(task: Task, round_: int, port: int, key: str) -> None:
            body = f'{{"message": "演练第{round_}轮 {task.pk}", "token": "{key}"}}'.encode()
            status = post(f"http://127.0.0.1:{port}/api/work/tasks/{task.pk}/urge", body, secret)
            with lock:
                results[(task.pk, round_, status)] += 1
                by_server[(port, status)] += 1

        def client(share: list) -> None:
            for task, round_ in share:
                key = f"drill-{task.pk}-{round_}"
                twins = [threading.Thread(target=send, args=(task, round_, port, key)) for port in ports]
                for twin in twins:
                    twin.start()
                for twin in twins:
                    twin.join(timeout=90)

        clients = [threading.Thread(target=client, args=(jobs[i::4],)) for i in range(4)]
        for each in clients:
            each.start()
        for each in clients:
            each.join(timeout=180)
        assert not any(each.is_alive() for each in clients), "客户端线程超时"

        # Each urge: one 200 and one 409 (the twin, refused as a double submit), whichever server got which.
        for task, round_ in jobs:
            assert results[(task.pk, round_, 200)] == 1, (task.pk, round_, results)
            assert results[(task.pk, round_, 409)] == 1, (task.pk, round_, results)
        assert all(by_server[(port, 200)] > 0 for port in ports), by_server

        expected = len(jobs)
        # The urges' messages (creating the tasks also sent each unit one 新交办事项 message).
        urged = Delivery.objects.filter(channel=Channel.DINGTALK, event__kind=Kind.URGED)
        try:
            wait_for(
                lambda: urged.filter(status=Delivery.Status.SENT).count() == expected,
                180,
                f"两个 worker 未发完 {expected} 条机器人消息",
            )
        except AssertionError as error:
            states = list(Delivery.objects.values_list("channel", "status", "attempts", "next_attempt_at", "answer"))
            logs = {path.name: path.read_text()[-1500:] for path in tmp_path.glob("*.log")}
            raise AssertionError(f"{error}\n{states}\n{logs}") from None
    finally:
        for process in processes:
            stop(process)
        robot.close()

    assert urged.count() == len(jobs)
    assert Urge.objects.count() == len(jobs)
    assert TimelineEntry.objects.filter(action="urge").count() == len(jobs)
    assert {task.urge_count for task in Task.objects.all()} == {URGES_PER_TASK}
    texts = Counter(
        line for body in robot.of("dingtalk") for line in body["markdown"]["text"].splitlines() if "演练第" in line
    )
    assert len(texts) == len(jobs) and set(texts.values()) == {1}, texts
    workers = set(Delivery.objects.exclude(worker="").values_list("worker", flat=True))
    assert {name.rsplit(":", 1)[1] for name in workers} == {str(p.pid) for p in processes[2:]}
