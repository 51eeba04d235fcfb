"""The 督办 workflows in work/services.py, part one: registering, signing and reporting.

What each does, what it refuses, and what it leaves in the timeline; the decisions are in
test_service_decisions.py."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from luoshi.lib.errors import AlreadySubmitted
from luoshi.org.models import Unit
from luoshi.work import office as work_office
from luoshi.work import services
from luoshi.work.models import (
    Assignment,
    Milestone,
    ProgressReport,
    Task,
    TimelineEntry,
)
from luoshi.work.tests.service_helpers import Action, Status, create, entries, last_entry, refused, report, signed, spec

pytestmark = pytest.mark.django_db


TZ = ZoneInfo("Asia/Shanghai")


# --- Registering tasks ------------------------------------------------------


def test_it_registers_a_task_assigned_to_its_lead_unit(personas, clock):
    task = create(personas, leader=personas.leader_row, priority=Task.Priority.URGENT)
    assert task.status == Status.ASSIGNED
    assert (task.lead_unit, task.leader, task.year) == (personas.finance, personas.leader_row, 2026)
    assert task.sign_by == date(2026, 3, 18)  # two working days to sign
    lead = Assignment.objects.get(task=task)
    assert (lead.unit, lead.role, lead.signed_at) == (personas.finance, Assignment.Role.LEAD, None)
    (entry,) = entries(task)
    assert (entry.action, entry.actor, entry.before) == (Action.CREATE, personas.office, {})
    assert entry.after["title"] == "推进财政数字化改革"
    assert entry.after["lead_unit"] == str(personas.finance)
    assert entry.after["deadline"] == "2026-06-30"
    assert entry.after["status"] == "待签收"


def test_it_refuses_a_deadline_in_the_past_unless_the_task_is_backfilled(personas, clock):
    refused(
        lambda: create(personas, deadline=date(2026, 3, 13)),
        says=["推进财政数字化改革", "2026-03-13", "早于今天", "补录"],
    )
    assert not Task.objects.exists()
    task = create(personas, deadline=date(2026, 3, 13), backfill=True)
    assert task.deadline == date(2026, 3, 13)
    assert entries(task)[0].note == "补录"


def test_a_deadline_of_today_is_not_in_the_past(personas, clock):
    assert create(personas, deadline=date(2026, 3, 16)).deadline == date(2026, 3, 16)


def test_a_standing_task_needs_no_deadline(personas, clock):
    task = create(personas, "长期坚持安全生产大检查", standing=True, cadence="monthly", cadence_day=25)
    assert task.deadline is None
    assert task.standing
    assert task.deadline_label() == "长期坚持"
    assert task.next_report_due == date(2026, 3, 25)
    assert entries(task)[0].after["deadline"] == "长期坚持"


def test_a_task_that_is_not_standing_needs_a_deadline(personas, clock):
    refused(lambda: create(personas, deadline=None), says=["完成时限", "长期坚持"])
    assert not Task.objects.exists()


def test_a_group_lead_makes_a_parent_and_one_task_per_unit(personas, clock):
    suburb = Unit.objects.create(name="城郊乡", short_name="城郊乡", kind=Unit.Kind.TOWNSHIP, order=20)
    parent = services.task_create(
        spec=services.TaskSpec(
            title="开展农村人居环境整治",
            lead=None,
            lead_group=[personas.township, suburb],
            group_label="各乡镇",
            supporting=[personas.housing],
            deadline=date(2026, 9, 30),
        ),
        by=personas.office,
    )
    assert parent.lead_unit is None
    assert parent.group_label == "各乡镇"
    assert not parent.assignments.exists()
    children = list(parent.children.order_by("lead_unit__order", "lead_unit__name"))
    assert [child.lead_unit for child in children] == [personas.township, suburb]
    for child in children:
        assert (child.title, child.deadline, child.year) == ("开展农村人居环境整治", date(2026, 9, 30), 2026)
        roles = {(a.unit, a.role) for a in child.assignments.all()}
        assert roles == {(child.lead_unit, Assignment.Role.LEAD), (personas.housing, Assignment.Role.SUPPORT)}
        assert child.sign_by == date(2026, 3, 18)
        assert [e.action for e in entries(child)] == [Action.CREATE]
    assert [e.action for e in entries(parent)] == [Action.CREATE]
    assert entries(parent)[0].after["lead_unit"] == "各乡镇"
    assert Task.objects.count() == 3


def test_supporting_units_become_support_assignments_of_one_task(personas, clock):
    task = create(personas, supporting=[personas.housing, personas.township])
    assert Task.objects.count() == 1
    roles = {(a.unit, a.role) for a in task.assignments.all()}
    assert roles == {
        (personas.finance, Assignment.Role.LEAD),
        (personas.housing, Assignment.Role.SUPPORT),
        (personas.township, Assignment.Role.SUPPORT),
    }
    assert entries(task)[0].after["supporting"] == f"{personas.housing}、{personas.township}"


def test_it_refuses_a_lead_unit_that_is_also_supporting(personas, clock):
    refused(lambda: create(personas, supporting=[personas.finance]), says="牵头单位不能同时是配合单位")


def test_it_refuses_a_milestone_after_the_deadline(personas, clock):
    refused(
        lambda: create(personas, milestones=[("完成招标", date(2026, 5, 31)), ("系统上线", date(2026, 7, 1))]),
        says=["系统上线", "2026-07-01", "晚于完成时限"],
    )
    assert not Task.objects.exists()
    assert not Milestone.objects.exists()


def test_milestones_on_or_before_the_deadline_are_kept(personas, clock):
    task = create(personas, milestones=[("完成招标", date(2026, 5, 31)), ("系统上线", date(2026, 6, 30))])
    assert list(task.milestones.values_list("title", "due")) == [
        ("完成招标", date(2026, 5, 31)),
        ("系统上线", date(2026, 6, 30)),
    ]


def test_a_liaison_cannot_register_tasks(personas, clock):
    refused(lambda: services.task_create(spec=spec(personas), by=personas.liaison), status=403)
    assert not Task.objects.exists()


def test_the_same_registration_form_twice_registers_one_task(personas, clock):
    services.task_create(spec=spec(personas), by=personas.office, token="form-create-1")
    with pytest.raises(AlreadySubmitted):
        services.task_create(spec=spec(personas), by=personas.office, token="form-create-1")
    assert Task.objects.count() == 1


def test_a_task_is_split_into_sub_tasks_under_it(personas, clock):
    task = create(personas, deadline=date(2026, 9, 30))
    children = services.task_split(
        task=task,
        parts=[
            spec(personas, "编制方案", deadline=date(2026, 4, 30)),
            spec(personas, "组织实施", lead=personas.housing),
        ],
        by=personas.office,
    )
    assert [child.parent_id for child in children] == [task.pk, task.pk]
    assert [e.action for e in entries(task)] == [Action.CREATE, Action.SPLIT]
    assert "编制方案" in last_entry(task).note
    refused(
        lambda: services.task_split(
            task=task, parts=[spec(personas, "超期子项", deadline=date(2026, 10, 8))], by=personas.office
        ),
        says="晚于上级事项的完成时限",
    )


# --- Signing ------------------------------------------------------------------


def test_the_lead_units_signature_starts_the_work(personas, clock):
    task = create(personas)
    services.task_sign(task=task, by=personas.liaison)
    task.refresh_from_db()
    assert task.status == Status.IN_PROGRESS
    assert task.signed_at is not None
    lead = task.assignments.get(unit=personas.finance)
    assert (lead.signed_by, lead.signed_at) == (personas.liaison, task.signed_at)
    entry = last_entry(task)
    assert (entry.action, entry.actor, entry.unit, entry.on_behalf) == (
        Action.SIGN,
        personas.liaison,
        personas.finance,
        False,
    )
    assert (entry.before, entry.after) == ({"status": "待签收"}, {"status": "办理中"})


def test_it_refuses_a_second_signature(personas, clock):
    task = signed(personas)
    refused(lambda: services.task_sign(task=task, by=personas.liaison), status=409, says=["已于", "签收"])
    assert len(entries(task, Action.SIGN)) == 1


def test_another_units_liaison_cannot_sign(personas, clock):
    task = create(personas)
    refused(lambda: services.task_sign(task=task, by=personas.outsider), status=404)
    task.refresh_from_db()
    assert task.status == Status.ASSIGNED
    assert not entries(task, Action.SIGN)


def test_a_supporting_units_signature_does_not_start_the_work(personas, clock):
    task = create(personas, supporting=[personas.housing])
    services.task_sign(task=task, by=personas.outsider)
    task.refresh_from_db()
    assert task.status == Status.ASSIGNED
    assert task.signed_at is None
    assert task.assignments.get(unit=personas.housing).signed_by == personas.outsider
    assert last_entry(task).unit == personas.housing


def test_a_leader_does_not_sign(personas, clock):
    task = create(personas)
    refused(lambda: services.task_sign(task=task, by=personas.leader), status=403, says="批示")


# --- Reporting ------------------------------------------------------------------


def test_the_report_form_starts_from_the_units_last_report(personas, clock):
    task = signed(personas)
    assert services.report_prefill(task, personas.finance) is None
    services.task_report(task=task, by=personas.liaison, report=report("第一次", percent=10))
    clock(date(2026, 3, 17))
    services.task_report(task=task, by=personas.liaison, report=report("第二次", problems="资金未到位", percent=20))
    last = services.report_prefill(task, personas.finance)
    assert (last.done_text, last.problems, last.percent) == ("第二次", "资金未到位", 20)


def test_unchanged_copies_the_last_report(personas, clock):
    task = signed(personas)
    services.task_report(
        task=task,
        by=personas.liaison,
        report=report("完成需求调研", problems="资金未到位", next_steps="启动招标", percent=30),
    )
    copy = services.task_report(task=task, by=personas.liaison, report=services.ReportInput(unchanged=True))
    assert copy.unchanged
    assert (copy.done_text, copy.problems, copy.next_steps, copy.percent) == (
        "完成需求调研",
        "资金未到位",
        "启动招标",
        30,
    )
    assert ProgressReport.objects.filter(task=task).count() == 2
    assert last_entry(task).note == "无变化,沿用上期反馈"


def test_unchanged_without_a_previous_report_is_refused(personas, clock):
    task = signed(personas)
    refused(
        lambda: services.task_report(task=task, by=personas.liaison, report=services.ReportInput(unchanged=True)),
        says=["推进财政数字化改革", "还没有反馈过", "无变化"],
    )
    assert not ProgressReport.objects.exists()
    assert not entries(task, Action.REPORT)


def test_a_report_without_what_was_done_is_refused(personas, clock):
    task = signed(personas)
    refused(lambda: services.task_report(task=task, by=personas.liaison, report=report("   ")), says="已完成")
    refused(lambda: services.task_report(task=task, by=personas.liaison, report=report(percent=101)), says="0到100")
    assert not ProgressReport.objects.exists()


def test_a_report_moves_the_next_due_date_on_by_the_cadence(personas, clock):
    weekly = signed(personas, "每周反馈", cadence="weekly", cadence_day=5)
    monthly = signed(personas, "每月反馈", cadence="monthly", cadence_day=25)
    none = signed(personas, "不定期反馈")
    assert (weekly.next_report_due, monthly.next_report_due, none.next_report_due) == (
        date(2026, 3, 20),
        date(2026, 3, 25),
        None,
    )
    for task in (weekly, monthly, none):
        services.task_report(task=task, by=personas.liaison, report=report(percent=40))
        task.refresh_from_db()
        assert task.percent == 40
        assert task.last_report_at is not None
    assert weekly.next_report_due == date(2026, 3, 27)
    assert monthly.next_report_due == date(2026, 4, 27)  # 25 April is a Saturday
    assert none.next_report_due is None
    entry = last_entry(weekly)
    assert entry.before == {"percent": None, "next_report_due": "2026-03-20"}
    assert entry.after == {"percent": 40, "next_report_due": "2026-03-27"}


def test_a_report_after_its_due_date_is_marked_late(personas, clock):
    task = signed(personas, cadence="weekly", cadence_day=5)
    clock(date(2026, 3, 20))
    on_time = services.task_report(task=task, by=personas.liaison, report=report("按时"))
    assert (on_time.due, on_time.late) == (date(2026, 3, 20), False)
    clock(date(2026, 3, 30))  # due 27 March
    late = services.task_report(task=task, by=personas.liaison, report=report("逾期"))
    assert (late.due, late.late) == (date(2026, 3, 27), True)
    assert "应于 2026-03-27 前反馈,逾期" in last_entry(task).note
    task.refresh_from_db()
    assert task.next_report_due == date(2026, 4, 3)


def test_a_report_from_an_unsigned_lead_signs_and_starts_the_task(personas, clock):
    task = create(personas)
    services.task_report(task=task, by=personas.liaison, report=report())
    task.refresh_from_db()
    assert task.status == Status.IN_PROGRESS
    assert task.assignments.get(unit=personas.finance).signed_by == personas.liaison
    assert last_entry(task).before["status"] == "待签收"


def test_the_office_reporting_for_a_unit_is_marked_on_behalf(personas, clock, client):
    task = signed(personas)
    made = services.task_report(task=task, by=personas.office, report=report("电话询问后代为录入"))
    assert (made.unit, made.created_by, made.on_behalf, made.is_lead) == (
        personas.finance,
        personas.office,
        True,
        True,
    )
    entry = last_entry(task)
    assert (entry.action, entry.actor, entry.unit, entry.on_behalf) == (
        Action.REPORT,
        personas.office,
        personas.finance,
        True,
    )
    # What the unit sees in the task's timeline.
    client.force_login(personas.liaison)
    page = client.get(reverse("work:task", args=[task.pk])).content.decode()
    timeline = page[page.index("办理过程(留痕)") :]
    line = timeline[timeline.index("进展反馈") :]
    assert "代报" in line[: line.index("</li>")]


def test_a_supporting_unit_reports_without_moving_the_task(personas, clock):
    task = signed(personas, supporting=[personas.housing], cadence="weekly")
    made = services.task_report(task=task, by=personas.outsider, report=report("配合提供数据", percent=90))
    task.refresh_from_db()
    assert (made.is_lead, made.due, made.late) == (False, None, False)
    assert task.percent is None
    assert task.next_report_due == date(2026, 3, 20)


def test_another_units_liaison_cannot_report(personas, clock):
    task = signed(personas)
    refused(lambda: services.task_report(task=task, by=personas.outsider, report=report()), status=404)
    assert not ProgressReport.objects.exists()


def test_the_same_report_form_twice_makes_one_report(personas, clock):
    task = signed(personas, cadence="weekly")
    services.task_report(task=task, by=personas.liaison, report=report(), token="form-report-1")
    with pytest.raises(AlreadySubmitted) as caught:
        services.task_report(task=task, by=personas.liaison, report=report(), token="form-report-1")
    assert "已经提交过" in caught.value.message
    assert ProgressReport.objects.filter(task=task).count() == 1
    assert len(entries(task, Action.REPORT)) == 1
    task.refresh_from_db()
    assert task.next_report_due == date(2026, 3, 27)


def test_a_week_of_reports_is_saved_together(personas, clock):
    first = signed(personas, "事项一", cadence="weekly")
    second = signed(personas, "事项二", cadence="weekly")
    services.task_report(task=second, by=personas.liaison, report=report("上周情况"))
    count = services.task_report_many(
        items=[(first, report("本周完成")), (second, services.ReportInput(unchanged=True))], by=personas.liaison
    )
    assert count == 2
    assert ProgressReport.objects.filter(task=first).count() == 1
    assert ProgressReport.objects.filter(task=second, unchanged=True).get().done_text == "上周情况"


def test_a_week_of_reports_with_one_bad_item_saves_none(personas, clock):
    first = signed(personas, "事项一", cadence="weekly")
    second = signed(personas, "事项二", cadence="weekly")
    refused(
        lambda: services.task_report_many(
            items=[(first, report("本周完成", percent=50)), (second, services.ReportInput(unchanged=True))],
            by=personas.liaison,
        ),
        says="事项二",
    )
    assert not ProgressReport.objects.exists()
    assert not TimelineEntry.objects.filter(action=Action.REPORT).exists()
    first.refresh_from_db()
    assert (first.percent, first.next_report_due, first.last_report_at) == (None, date(2026, 3, 20), None)


def test_a_week_of_reports_including_another_units_task_saves_none(personas, clock):
    mine = signed(personas, "本单位事项")
    theirs = create(personas, "住建局事项", lead=personas.housing)
    refused(
        lambda: services.task_report_many(items=[(mine, report()), (theirs, report())], by=personas.liaison),
        status=404,
    )
    assert not ProgressReport.objects.exists()


def test_a_done_task_takes_no_more_reports(personas, clock):
    task = signed(personas)
    work_office.closure_decide(
        request=services.task_closure_ask(task=task, by=personas.liaison, summary="已完成"),
        approve=True,
        by=personas.office,
    )
    refused(lambda: services.task_report(task=task, by=personas.liaison, report=report()), status=409, says="已办结")
