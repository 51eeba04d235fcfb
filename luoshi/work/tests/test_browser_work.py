"""The 督办 loop in a real Chromium, with real logins, and a liaison's week on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from luoshi.org.demo import DEMO_PASSWORD
from luoshi.org.models import User
from luoshi.testing import PASSWORD
from luoshi.work import services
from luoshi.work.models import ProgressReport, Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


class Session:
    """One person's browser, logged in; `actions` counts clicks and fields typed."""

    def __init__(self, browser, live_site, username, password=DEMO_PASSWORD, viewport=None):
        options = {"viewport": viewport or {"width": 1280, "height": 900}, "locale": "zh-CN", "base_url": live_site}
        if viewport == PHONE:
            options.update(is_mobile=True, has_touch=True)
        self.context = browser.new_context(**options)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.actions = 0
        self.page.goto("/login/")
        self.fill("#id_username", username)
        self.fill("#id_password", password)
        self.click("main button[type=submit]")
        self.page.wait_for_url("**/")

    def fill(self, selector, value):
        self.actions += 1
        self.page.locator(selector).fill(value)

    def click(self, selector):
        self.actions += 1
        self.page.locator(selector).first.click()

    def message(self) -> str:
        return self.page.locator(".messages").inner_text()

    def close(self):
        self.context.close()


@pytest.fixture
def sessions(browser, live_site):
    opened = []

    def open_session(username, **kwargs):
        session = Session(browser, live_site, username, **kwargs)
        opened.append(session)
        return session

    yield open_session
    for session in opened:
        session.close()


def test_the_whole_loop_from_assignment_to_closure(sessions, demo):
    today = timezone.localdate()
    title = "全县河湖保洁专项行动(浏览器验收)"

    # 1. The office registers and assigns.
    office = sessions("office")
    office.page.goto("/work/new/")
    office.fill("#id_title", title)
    office.fill("#id_requirements", "建立河长巡河制度,每月通报。")
    office.page.select_option("#id_lead", label="财政局")
    office.fill("#id_supporting", "自然资源局")
    office.fill("#id_deadline", f"{today + timedelta(days=30):%Y-%m-%d}")
    office.click("main button[type=submit]")
    office.page.wait_for_selector("h1:has-text('浏览器验收')")
    assert "已登记并交办" in office.message()
    task_url = office.page.url.replace(office.page.url.split("/work/")[0], "")
    task = Task.objects.get(title=title)

    # Along the way: unit2 cannot open it, leader sees it.
    unit2 = sessions("unit2")
    response = unit2.page.goto(task_url)
    assert response.status == 404
    assert title not in unit2.page.content()
    leader = sessions("leader")
    leader.page.goto(task_url)
    assert title in leader.page.locator("h1").inner_text()

    # 2. unit signs from its inbox and reports.
    unit = sessions("unit")
    unit.page.goto("/work/inbox/")
    row = unit.page.locator("#to-sign tr", has_text=title)
    row.locator("button:has-text('签收')").click()
    assert "已签收" in unit.message()
    unit.page.goto(task_url)
    unit.click("a:has-text('反馈进展')")
    unit.fill("#id_done_text", "已建立巡河台账,完成第一轮巡查。")
    unit.fill("#id_percent", "30")
    unit.click("main form button[type=submit]")
    assert "进展已反馈" in unit.message()

    # 3. The office urges.
    office.page.goto(task_url)
    office.click("summary:has-text('催办')")
    office.click("button:has-text('发送催办')")
    assert "已催办" in office.message()
    assert Task.objects.get(pk=task.pk).urge_count == 1

    # 4. unit asks for an extension; the office approves.
    new_deadline = today + timedelta(days=60)
    unit.page.goto(task_url)
    unit.click("a:has-text('申请延期')")
    unit.fill("#id_new_deadline", f"{new_deadline:%Y-%m-%d}")
    unit.fill("#id_reason", "汛期影响施工。")
    unit.click("main form button[type=submit]")
    assert "延期申请已提交" in unit.message()
    office.page.goto(task_url)
    office.click("button:has-text('同意延期')")
    assert "已同意延期" in office.message()
    assert f"{new_deadline:%Y-%m-%d}" in office.page.locator(".facts").inner_text()

    # 5. unit asks for closure; the office returns it with a reason.
    unit.page.goto(task_url)
    unit.click("a:has-text('申请办结')")
    unit.fill("#id_summary", "巡河制度已建立。")
    unit.click("main form button[type=submit]")
    assert "办结申请已提交" in unit.message()
    office.page.goto(task_url)
    office.fill("textarea[name=note]", "请补充巡查照片。")
    office.click("button:has-text('退回重办')")
    assert "已退回重办" in office.message()
    unit.page.goto("/work/inbox/")
    assert title in unit.page.locator("#returned").inner_text()

    # 6. unit asks again; the office closes it.
    unit.page.goto(task_url)
    unit.click("a:has-text('申请办结')")
    unit.fill("#id_summary", "巡河制度已建立,照片见附件。")
    unit.click("main form button[type=submit]")
    office.page.goto(task_url)
    office.click("button:has-text('办结销号')")
    assert "已办结销号" in office.message()
    assert "已办结" in office.page.locator(".facts").inner_text()

    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.done_on_time
    actions = list(task.timeline.values_list("action", flat=True))
    assert actions == [
        "create", "sign", "report", "urge", "extension_ask", "extension_approve",
        "closure_ask", "return", "closure_ask", "close",
    ]  # fmt: skip
    # The leader sees the whole timeline too.
    leader.page.goto(task_url)
    assert "办结销号" in leader.page.locator(".timeline").inner_text()


def _has_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_a_liaison_reports_a_whole_week_on_a_phone_in_few_actions(sessions, personas):
    today = timezone.localdate()
    tasks = []
    for number in range(10):
        task = services.task_create(
            spec=services.TaskSpec(
                title=f"重点工作第{number + 1}项:推进项目建设", lead=personas.finance,
                deadline=today + timedelta(days=90), cadence="weekly", cadence_day=5,
            ),
            by=personas.office,
        )  # fmt: skip
        services.task_report(
            task=task, by=personas.liaison, report=services.ReportInput(done_text=f"第{number + 1}项上周进展")
        )
        tasks.append(task)
    # Each task's report falls due today.
    Task.objects.filter(pk__in=[task.pk for task in tasks]).update(next_report_due=today)

    liaison = sessions("charlie", password=PASSWORD, viewport=PHONE)
    liaison.click("label[for=nav-toggle]")  # the phone's folded menu
    liaison.click("nav a:has-text('本周反馈')")
    liaison.page.wait_for_selector("fieldset.week-task")
    assert liaison.page.locator("fieldset.week-task").count() == 10
    assert not _has_horizontal_scroll(liaison.page)

    for task in tasks[:8]:
        liaison.click(f"#task-{task.pk} label:has-text('无变化')")
    for task in tasks[8:]:
        liaison.click(f"#task-{task.pk} label:has-text('有新进展')")
        liaison.fill(f"textarea[name='t{task.pk}-done_text']", f"{task.title}:本周完成主体施工")
    assert not _has_horizontal_scroll(liaison.page)
    liaison.click("button:has-text('提交本周反馈')")
    liaison.page.wait_for_url("**/work/inbox/")
    assert "已反馈 10 个事项" in liaison.message()

    print(f"\n本周反馈:10 个事项(8 项无变化,2 项有新进展),共 {liaison.actions} 次操作(点击与填写,含登录)。")
    assert liaison.actions <= 25

    reports = ProgressReport.objects.filter(task__in=tasks, created_at__date=today).exclude(
        done_text__endswith="上周进展", unchanged=False
    )
    assert reports.filter(unchanged=True).count() == 8
    assert ProgressReport.objects.filter(task__in=tasks[8:], done_text__endswith="本周完成主体施工").count() == 2
    # Reported: nothing of the week is due any more.
    assert not Task.objects.filter(pk__in=[task.pk for task in tasks], next_report_due__lte=today).exists()
    assert User.objects.get(username="charlie").unit == personas.finance
