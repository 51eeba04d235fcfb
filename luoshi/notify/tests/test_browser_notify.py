"""In a real Chromium: the office urges, the liaison's bell shows 1, the message opens the task; a notice's 回执."""

from datetime import timedelta

import pytest
from django.utils import timezone

from luoshi.notify.models import Message
from luoshi.reports import services as reports
from luoshi.reports.models import Notice
from luoshi.testing import PASSWORD, log_in, make_personas
from luoshi.work import services as work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser, live_site, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=live_site)
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, username, PASSWORD)
    return context, page


def test_an_urge_reaches_the_liaisons_bell_and_a_notice_is_confirmed(browser, live_site):
    personas = make_personas()
    deadline = timezone.localdate() + timedelta(days=30)
    task = work.task_create(spec=work.TaskSpec(title="全县河湖保洁专项行动", lead=personas.finance, deadline=deadline),
                            by=personas.office)  # fmt: skip
    work.task_sign(task=task, by=personas.liaison)
    Message.objects.update(read_at="2026-01-01T00:00:00+08:00")  # the assignment was read long ago

    office_context, office = login(browser, live_site, personas.office.username)
    office.goto(f"/work/{task.pk}/")
    office.locator("summary", has_text="催办").first.click()
    office.locator("form[action$='/urge/'] textarea").fill("请于三日内报送进展")
    office.locator("form[action$='/urge/'] button[type=submit]").click()
    office.wait_for_selector("text=催办")

    liaison_context, liaison = login(browser, live_site, personas.liaison.username)
    assert liaison.locator(".bell-count").inner_text() == "1"
    liaison.locator("a.bell").click()
    liaison.locator(".message-list a", has_text="催办:全县河湖保洁专项行动").click()
    liaison.wait_for_url(f"**/work/{task.pk}/")
    assert "全县河湖保洁专项行动" in liaison.locator("h1").inner_text()
    assert liaison.locator(".bell-count").inner_text() == ""

    [notice] = reports.notice_create(kind=Notice.Kind.URGE, tasks=[task], by=personas.office, message="限期整改")
    liaison.goto("/")
    assert liaison.locator(".bell-count").inner_text() == "1"
    liaison.locator("a.bell").click()
    liaison.locator(".message-list a", has_text=notice.number_label).click()
    liaison.locator("button", has_text="确认收到").click()
    assert "已确认" in liaison.locator("#receipt").inner_text()

    office.goto("/notify/notices/")
    row = office.locator("tr", has_text=notice.number_label)
    assert "已确认 赵敏" in row.inner_text() and "已阅" in row.inner_text()
    # The task's timeline holds the notice's issue, its first reading and its 回执, in that order.
    office.goto(f"/work/{task.pk}/")
    timeline = office.locator("#timeline").inner_text()
    assert (
        timeline.index("催办通知单制发送达")
        < timeline.index("催办通知单单位已阅")
        < timeline.index("催办通知单确认回执")
    )
    assert "已回执" in timeline
    office_context.close()
    liaison_context.close()
