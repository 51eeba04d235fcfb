"""倒排工期 in a real Chromium, as the demo office: a land sale from its template, due 20 December."""

from datetime import date

import pytest

from luoshi.lib import workdays
from luoshi.org.models import User
from luoshi.plans.demo import templates_load
from luoshi.plans.models import Project
from luoshi.plans.projects import project_plan
from luoshi.testing import log_in
from luoshi.work import services
from luoshi.work.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_schedules_a_land_sale_and_sees_it_move_when_the_first_step_is_late(
    browser, live_site, demo_county, clock, screenshot_dir
):
    templates_load()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=live_site)
    context.set_default_timeout(15_000)
    page = context.new_page()

    log_in(page, "office")

    page.get_by_role("link", name="重点项目").first.click()
    page.get_by_role("button", name="从模板新建项目").click()
    page.select_option("#id_template", label="土地出让")
    page.fill("#id_name", "城东片区第一批次地块出让")
    page.select_option("#id_unit", label="自然资源局")
    page.fill("#id_deadline", "2026-12-20")
    page.get_by_role("button", name="创建并倒排工期").click()
    page.wait_for_url("**/plans/projects/*/")
    assert "已创建项目“城东片区第一批次地块出让”" in page.locator(".messages").inner_text()

    # The latest start of each step, the buffer and the front-loading share.
    project = Project.objects.get()
    plan = project_plan(project)
    rows = page.locator("#steps tbody tr")
    assert rows.count() == 5
    for i, row in enumerate(plan.rows):
        cells = rows.nth(i).locator("td")
        assert row.step.name in cells.nth(0).inner_text()
        assert cells.nth(3).inner_text() == f"{row.latest_start:%Y-%m-%d}"
    assert rows.nth(4).locator("td").nth(4).inner_text() == "2026-12-18"
    assert page.locator("#buffer").inner_text() == str(plan.buffer)
    assert page.locator("#front-share").inner_text() == f"{plan.front_percent}%"
    assert "留有余地不足" in page.locator("main").inner_text()
    page.locator("#gantt svg").first.wait_for()
    page.screenshot(path=screenshot_dir / "plans_project.png", full_page=True)

    # The steps become tasks for their units.
    page.get_by_role("button", name="各步骤生成督办事项").click()
    assert "已为 5 个步骤生成督办事项" in page.locator(".messages").inner_text()
    first = Task.objects.get(title="城东片区第一批次地块出让:规划指标")
    assert first.lead_unit.name == "自然资源局"
    finish_before = page.locator("#earliest-finish").inner_text()

    # 规划指标 is reported done 10 working days after its latest finish: the project moves and turns red.
    late_day = workdays.calendar().add(plan.rows[0].latest_finish, 10)
    clock(late_day)
    office = User.objects.get(username="office")
    services.task_report(
        task=first, by=office, unit=first.lead_unit,
        report=services.ReportInput(done_text="规划指标已批复", percent=100),
    )  # fmt: skip
    # Months later the session has long expired: log in again.
    log_in(page, "office")
    page.goto(f"/plans/projects/{project.pk}/")
    first_row = page.locator("#steps tbody tr").first.locator("td")
    assert "已完成" in first_row.nth(8).inner_text()
    assert f"{late_day:%-m月%-d日}" in first_row.nth(8).inner_text()
    moved = page.locator("#earliest-finish").inner_text()
    assert moved != finish_before
    assert moved == f"{workdays.calendar().add(plan.rows[-1].latest_finish, 10):%Y-%m-%d}"
    assert page.locator("h1 .light").inner_text() == "红灯"
    assert date.fromisoformat(moved) > date(2026, 12, 18)
    page.screenshot(path=screenshot_dir / "plans_project_moved.png", full_page=True)
    context.close()

    # On a phone: the list of steps with their dates instead of the Gantt.
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN", base_url=live_site
    )
    page = phone.new_page()
    log_in(page, "office")
    page.goto(f"/plans/projects/{project.pk}/")
    steps = page.locator(".step-list li")
    assert steps.count() == 5 and steps.nth(4).is_visible()
    assert "招拍挂" in steps.nth(4).inner_text() and "12月18日" in steps.nth(4).inner_text()
    assert not page.locator("#gantt").is_visible()
    phone.close()
