"""The Friday-peak mix for locust, run by bench/load.py (which prepares the accounts and checks the database).

Liaisons (nine in ten users): log in, open the inbox, a task page, the week page, and report progress.
The office (one in ten): log in, list tasks, urge one. Every write carries a unique marker; the writes the
server accepted (a redirect after POST) are written to LOAD_ACCEPTED at the end, so that bench/load.py
can count them in the database: each exactly once, none lost.
"""

import json
import os
import random
import re
import uuid

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
ACCEPTED: dict[str, list[str]] = {"reports": [], "urges": []}
ATTEMPTED: dict[str, list[str]] = {"reports": [], "urges": []}
_TOKEN = re.compile(r'name="token" value="([^"]+)"')
_liaisons = iter(PLAN["liaisons"] * 10)
_offices = iter(PLAN["offices"] * 100)


class Luoshi(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def log_in(self, username: str) -> None:
        self.client.get("/login/", name="登录页")
        csrf = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/login/",
            data={"username": username, "password": PLAN["password"], "csrfmiddlewaretoken": csrf},
            headers={"Referer": self.host + "/login/"},
            name="登录",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"登录失败 {response.status_code}")

    def post_form(self, url: str, data: dict, name: str) -> bool:
        """GET the form for its one-time token, POST it; accepted when the server redirects."""
        page = self.client.get(url if name != "催办" else self.task_url, name=name + "表单")
        found = _TOKEN.search(page.text)
        data = {**data, "token": found.group(1) if found else "", "csrfmiddlewaretoken": self.client.cookies.get(
            "csrftoken", "")}  # fmt: skip
        with self.client.post(
            url, data=data, headers={"Referer": self.host + url}, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302:
                return True
            response.failure(f"{name}未成功:{response.status_code}")
            return False


class Liaison(Luoshi):
    weight = 9

    def on_start(self):
        me = next(_liaisons)
        self.tasks_of_mine = me["tasks"]
        self.log_in(me["username"])

    @task(4)
    def inbox(self):
        self.client.get("/work/inbox/", name="待办(inbox)")

    @task(3)
    def task_page(self):
        self.client.get(f"/work/{random.choice(self.tasks_of_mine)}/", name="事项页")

    @task(2)
    def week(self):
        self.client.get("/work/week/", name="本周")

    @task(2)
    def report(self):
        pk = random.choice(self.tasks_of_mine)
        marker = f"负载测试反馈 {uuid.uuid4().hex}"
        ATTEMPTED["reports"].append(marker)
        data = {"done_text": marker, "problems": "", "next_steps": "继续推进", "percent": random.randint(10, 90)}
        if self.post_form(f"/work/{pk}/report/", data, "进展反馈"):
            ACCEPTED["reports"].append(marker)


class Office(Luoshi):
    weight = 1

    def on_start(self):
        self.log_in(next(_offices))

    @task(4)
    def task_list(self):
        self.client.get("/work/", name="事项列表")

    @task(1)
    def urge(self):
        pk = random.choice(PLAN["office_tasks"])
        self.task_url = f"/work/{pk}/"
        marker = f"负载测试催办 {uuid.uuid4().hex}"
        ATTEMPTED["urges"].append(marker)
        if self.post_form(f"/work/{pk}/urge/", {"message": marker}, "催办"):
            ACCEPTED["urges"].append(marker)


@events.quitting.add_listener
def _write_writes(environment, **kwargs):
    with open(os.environ["LOAD_ACCEPTED"], "w", encoding="utf-8") as out:
        json.dump({"accepted": ACCEPTED, "attempted": ATTEMPTED}, out, ensure_ascii=False)
