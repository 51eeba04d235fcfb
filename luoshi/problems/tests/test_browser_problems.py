"""A legacy problem from level 1 to a 三重一大 decision, in a real Chromium, as the demo office."""

from datetime import date

import pytest
from docx import Document

from luoshi.org.models import Leader, Unit, User
from luoshi.problems.models import CollectiveDecision
from luoshi.problems.services import ProblemInput, problem_create
from luoshi.testing import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page):
    log_in(page, "office")


def _escalate(page, reason):
    details = page.locator("details", has=page.locator("form.escalate-form"))
    if details.get_attribute("open") is None:  # an overdue level opens it by itself
        details.locator("summary").click()
    page.fill("form.escalate-form textarea[name=reason]", reason)
    page.locator("form.escalate-form button[type=submit]").click()
    page.wait_for_selector(".messages")


def test_a_problem_goes_from_level_one_to_a_collective_decision(demo_county, page, clock):
    problem = problem_create(
        data=ProblemInput(title="城南安置小区办证难", category="不动产登记", lead_unit=Unit.objects.get(name="自然资源局"),
                          leader=Leader.objects.get(name="李建国")),
        by=User.objects.get(username="office"),
    )  # fmt: skip
    _log_in(page)
    page.get_by_role("link", name="破难题").click()
    page.get_by_role("link", name="城南安置小区办证难").click()
    _escalate(page, "交专业小组研究")
    assert "已启动一级处理" in page.locator(".messages").inner_text()
    assert "本级时限 2026-04-14" in page.content()

    # Level 1's twenty working days run out with no conclusion: the flag appears.
    clock(date(2026, 4, 15))
    _log_in(page)
    page.goto("/problems/overdue/")
    section = page.locator("section.overdue-problems")
    assert "待升级的遗留问题" in section.inner_text() and "城南安置小区办证难" in section.inner_text()
    page.goto(f"/problems/{problem.pk}/")
    assert "本级处理时限(2026-04-14)已到" in page.locator(".level-overdue").inner_text()

    _escalate(page, "专业小组逾期未能形成结论")
    _escalate(page, "领导小组意见分歧,提交常务会集体决策")
    assert "三级:三重一大集体决策" in page.content()

    page.get_by_role("button", name="记录三重一大集体决策").click()
    page.fill("#id_meeting", "县政府第12次常务会议")
    page.fill("#id_day", "2026-04-15")
    page.fill("#id_attendees", "张伟、李建国、王海涛、刘志强")
    page.fill("#id_absent", "陈刚")
    page.select_option("#id_category", "funds")
    page.fill("#id_amount", "12000")
    page.fill("#id_matter", "垫付土地出让金,先行分割办证")
    page.fill("#id_votes_for", "3")
    page.fill("#id_votes_against", "1")
    page.fill("#id_dissent", "刘志强|垫付易开先例,建议先启动司法追缴")
    page.fill("#id_resolution", "由县财政垫付土地出让金,先行为群众办证。")
    page.fill("#id_tasks", "拨付垫付资金|财政局|2026-06-30\n分批办理不动产权证|自然资源局|2026-08-31")
    page.locator("form.decision-form button[type=submit]").click()

    page.wait_for_url("**/problems/decisions/*/")
    dissent = page.locator("section.dissent").inner_text()
    assert "刘志强" in dissent and "垫付易开先例" in dissent
    decision = CollectiveDecision.objects.get()
    assert sorted(task.title for task in decision.tasks.all()) == ["分批办理不动产权证", "拨付垫付资金"]

    with page.expect_download() as info:
        page.get_by_role("button", name="下载议定事项(会议纪要 .docx)").click()
    text = "\n".join(p.text for p in Document(str(info.value.path())).paragraphs)
    assert "刘志强：垫付易开先例，建议先启动司法追缴" in text
