"""The 倒排工期 workflows: a project from a template, refusals, steps into tasks, reports that move it."""

from datetime import date

import pytest

from luoshi.lib import workdays
from luoshi.lib.errors import ActionError
from luoshi.plans.demo import LAND
from luoshi.plans.models import ProjectEvent, ProjectStep
from luoshi.plans.projects import (
    LinkInput,
    StepInput,
    project_create,
    project_from_template,
    project_make_tasks,
    project_plan,
    project_set_front_load,
)
from luoshi.work import services as work
from luoshi.work.models import Milestone, Task

pytestmark = pytest.mark.django_db

DUE = date(2026, 12, 20)  # a Sunday: the work must be done by Friday 18 December


def land(personas, templates, **extra):
    extra.setdefault("deadline", DUE)
    return project_from_template(
        template=templates[LAND], name="城东地块出让", unit=personas.finance, by=personas.office, **extra
    )


def test_a_land_sale_is_scheduled_backward_from_its_deadline(clock, personas, templates):
    project, _ = land(personas, templates)
    plan = project_plan(project)
    cal = workdays.calendar()
    names = [row.step.name for row in plan.rows]
    assert names == ["规划指标", "计划指标", "占补平衡", "报批", "招拍挂"]
    assert plan.rows[-1].latest_finish == date(2026, 12, 18)
    # Each step ends the working day before the next one's latest start (报批 waits 5 working days after 占补平衡).
    for before, after, lag in zip(plan.rows[:-1], plan.rows[1:], [0, 0, 5, 0], strict=True):
        assert cal.add(before.latest_finish, 1 + lag) == after.latest_start
    # 报批 and 招拍挂 straddle National Day: the holiday is not counted.
    assert all(not cal.is_workday(date(2026, 10, d)) for d in range(1, 8))
    # 190 working days from 2 March leave a little before 18 December, less than 留有余地 asks for.
    assert plan.schedule.length == 190
    assert plan.earliest_finish == cal.add(date(2026, 3, 2), 189)
    assert plan.buffer == cal.between(plan.earliest_finish, date(2026, 12, 18))
    assert plan.schedule.required_buffer == 29
    assert plan.light == "yellow"
    assert any("留有余地不足" in w for w in plan.schedule.warnings)
    assert all(row.critical for row in plan.rows)
    assert ProjectEvent.objects.get(project=project).action == ProjectEvent.Action.CREATE


def test_a_deadline_before_today_is_refused(clock, personas, templates):
    with pytest.raises(ActionError) as caught:
        land(personas, templates, deadline=date(2026, 2, 27))
    assert "早于今天" in caught.value.message


def test_an_unattainable_deadline_is_accepted_with_a_red_warning(clock, personas, templates):
    project, result = land(personas, templates, deadline=date(2026, 6, 30))
    assert not result.attainable
    plan = project_plan(project)
    assert plan.light == "red"
    assert "比完成时限晚" in plan.schedule.warnings[0]


def test_a_cycle_is_refused_with_its_steps_named_and_nothing_written(clock, personas):
    steps = [StepInput("立项", 5), StepInput("可研", 10), StepInput("用地", 8)]
    links = [LinkInput(0, 1), LinkInput(1, 2), LinkInput(2, 1, "SS", 2)]
    with pytest.raises(ActionError) as caught:
        project_create(
            name="新建学校", unit=personas.finance, deadline=DUE, steps=steps, links=links, by=personas.office
        )
    assert "“可研” → “用地” → “可研”" in caught.value.message
    assert not ProjectStep.objects.exists()


def test_a_step_without_a_positive_duration_is_refused(clock, personas):
    with pytest.raises(ActionError) as caught:
        project_create(
            name="新建学校", unit=personas.finance, deadline=DUE, steps=[StepInput("立项", 0)], links=[],
            by=personas.office,
        )  # fmt: skip
    assert "“立项”的工期应为正数" in caught.value.message


def test_only_the_office_creates_projects(clock, personas, templates):
    with pytest.raises(ActionError) as caught:
        project_from_template(
            template=templates[LAND], name="x", unit=personas.finance, deadline=DUE, by=personas.liaison
        )
    assert caught.value.status == 403


def test_front_loading_moves_the_work_into_the_first_half(clock, personas):
    steps = [StepInput("立项", 10), StepInput("可研", 10)]
    project, _ = project_create(
        name="新建学校", unit=personas.finance, deadline=DUE, steps=steps, links=[LinkInput(0, 1)], by=personas.office
    )
    before = project_plan(project)
    assert before.front_percent == 0
    assert before.front_low
    project_set_front_load(project=project, front_load=True, by=personas.office)
    project.refresh_from_db()
    after = project_plan(project)
    assert after.front_percent == 100
    assert after.rows[0].planned_start == date(2026, 3, 2)
    assert project.events.filter(action=ProjectEvent.Action.FRONT_LOAD).count() == 1


def test_steps_become_tasks_once_with_their_dates_as_milestones(clock, personas, templates):
    project, _ = land(personas, templates)
    plan = project_plan(project)
    tasks = project_make_tasks(project=project, by=personas.office, token="steps-1")
    assert [t.title for t in tasks] == [f"城东地块出让:{row.step.name}" for row in plan.rows]
    assert [t.deadline for t in tasks] == [row.latest_finish for row in plan.rows]
    assert all(t.lead_unit == personas.finance for t in tasks)
    first = Milestone.objects.get(task=tasks[0])
    assert (first.title, first.due) == ("规划指标开始", plan.rows[0].latest_start)
    # A double submit (the same form's token), or a second click later, creates nothing twice.
    for token in ("steps-1", "steps-2"):
        with pytest.raises(ActionError) as caught:
            project_make_tasks(project=project, by=personas.office, token=token)
        assert caught.value.status == 409
    assert Task.objects.count() == 5


def test_a_late_report_on_the_first_task_moves_the_project(clock, personas, templates):
    project, _ = land(personas, templates)
    tasks = project_make_tasks(project=project, by=personas.office)
    before = project_plan(project)
    cal = workdays.calendar()
    # 规划指标 is reported done 10 working days after its latest finish.
    clock(before.rows[0].latest_start)
    work.task_report(task=tasks[0], by=personas.liaison, report=work.ReportInput(done_text="已启动", percent=10))
    done_on = cal.add(before.rows[0].latest_finish, 10)
    clock(done_on)
    work.task_report(task=tasks[0], by=personas.liaison, report=work.ReportInput(done_text="已取得", percent=100))
    after = project_plan(project)
    assert after.rows[0].actual_start == before.rows[0].latest_start
    assert after.rows[0].actual_finish == done_on
    assert after.rows[0].status == "已完成"
    # The rest re-schedules after it: 计划指标 can start only the next working day.
    assert after.rows[1].earliest_start == cal.add(done_on, 1)
    assert after.earliest_finish == cal.add(before.rows[-1].latest_finish, 10)
    assert after.buffer == -10
    assert after.light == "red"
    # 计划指标 should have started by now: its latest start has passed.
    assert after.rows[1].late
