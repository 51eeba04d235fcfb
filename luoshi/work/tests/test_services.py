"""The 督办 workflows in work/services.py: what each does, what it refuses, and what it leaves in the timeline."""

import contextlib
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from luoshi.lib import workdays
from luoshi.lib.errors import ActionError, AlreadySubmitted
from luoshi.org.models import Unit
from luoshi.work import services
from luoshi.work.models import (
    Assignment,
    ClosureRequest,
    Decision,
    ExtensionRequest,
    Instruction,
    Milestone,
    ProgressReport,
    Task,
    TimelineEntry,
    Urge,
)

pytestmark = pytest.mark.django_db


TZ = ZoneInfo("Asia/Shanghai")
Status = Task.Status
Action = TimelineEntry.Action


def spec(personas, title="推进财政数字化改革", **fields):
    fields.setdefault("lead", personas.finance)
    if not fields.get("standing"):
        fields.setdefault("deadline", date(2026, 6, 30))
    return services.TaskSpec(title=title, **fields)


def create(personas, title="推进财政数字化改革", **fields) -> Task:
    return services.task_create(spec=spec(personas, title, **fields), by=personas.office)


def signed(personas, title="推进财政数字化改革", **fields) -> Task:
    task = create(personas, title, **fields)
    services.task_sign(task=task, by=personas.liaison)
    task.refresh_from_db()
    return task


def report(done_text="完成系统需求调研", **fields) -> services.ReportInput:
    return services.ReportInput(done_text=done_text, **fields)


def entries(task, action=None) -> list[TimelineEntry]:
    queryset = TimelineEntry.objects.filter(task=task)
    if action:
        queryset = queryset.filter(action=action)
    return list(queryset.order_by("at", "id"))


def last_entry(task) -> TimelineEntry:
    return TimelineEntry.objects.filter(task=task).order_by("-at", "-id").first()


def refused(call, *, status=None, says=()) -> ActionError:
    with pytest.raises(ActionError) as caught:
        call()
    error = caught.value
    if status is not None:
        assert error.status == status, error.message
    for words in (says,) if isinstance(says, str) else says:
        assert words in error.message, error.message
    return error


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
    services.closure_decide(
        request=services.task_closure_ask(task=task, by=personas.liaison, summary="已完成"),
        approve=True,
        by=personas.office,
    )
    refused(lambda: services.task_report(task=task, by=personas.liaison, report=report()), status=409, says="已办结")


# --- Extensions ---------------------------------------------------------------


def test_an_extension_asked_before_the_deadline_awaits_the_office(personas, clock):
    task = signed(personas, deadline=date(2026, 3, 27))
    request = services.task_extension_ask(
        task=task, by=personas.liaison, reason="设备到货推迟", new_deadline=date(2026, 4, 30)
    )
    task.refresh_from_db()
    assert task.status == Status.EXTENSION_ASKED
    assert task.deadline == date(2026, 3, 27)
    assert (request.old_deadline, request.new_deadline, request.status) == (
        date(2026, 3, 27),
        date(2026, 4, 30),
        Decision.PENDING,
    )
    entry = last_entry(task)
    assert entry.action == Action.EXTENSION_ASK
    assert "2026-04-30" in entry.note
    assert "设备到货推迟" in entry.note


def test_an_extension_may_be_asked_on_the_deadline_day(personas, clock):
    task = signed(personas, deadline=date(2026, 3, 27))
    clock(date(2026, 3, 27), hour=17)
    services.task_extension_ask(task=task, by=personas.liaison, reason="设备到货推迟", new_deadline=date(2026, 4, 30))
    task.refresh_from_db()
    assert task.status == Status.EXTENSION_ASKED


def test_it_refuses_an_extension_after_the_deadline(personas, clock):
    task = signed(personas, deadline=date(2026, 3, 27))
    clock(date(2026, 3, 30))
    refused(
        lambda: services.task_extension_ask(
            task=task, by=personas.liaison, reason="设备到货推迟", new_deadline=date(2026, 4, 30)
        ),
        status=409,
        says="完成时限 2026-03-27 已过,不能再申请延期,该事项按原时限考核。",
    )
    task.refresh_from_db()
    assert task.status == Status.IN_PROGRESS
    assert not ExtensionRequest.objects.exists()


def test_it_refuses_an_extension_to_a_date_not_after_the_deadline(personas, clock):
    task = signed(personas, deadline=date(2026, 3, 27))
    refused(
        lambda: services.task_extension_ask(
            task=task, by=personas.liaison, reason="理由", new_deadline=date(2026, 3, 27)
        ),
        says="应晚于现完成时限 2026-03-27",
    )
    refused(
        lambda: services.task_extension_ask(task=task, by=personas.liaison, reason=" ", new_deadline=date(2026, 4, 1)),
        says="延期理由",
    )


def test_only_the_lead_unit_asks_for_an_extension(personas, clock):
    task = signed(personas, supporting=[personas.housing], deadline=date(2026, 3, 27))
    refused(
        lambda: services.task_extension_ask(
            task=task, by=personas.outsider, reason="理由", new_deadline=date(2026, 4, 30)
        ),
        status=403,
        says="牵头单位",
    )


def test_an_approved_extension_moves_the_deadline_and_keeps_the_old_one_in_the_timeline(personas, clock):
    task = signed(personas, deadline=date(2026, 3, 27))
    request = services.task_extension_ask(
        task=task, by=personas.liaison, reason="设备到货推迟", new_deadline=date(2026, 4, 30)
    )
    services.extension_decide(request=request, approve=True, by=personas.office)
    task.refresh_from_db()
    request.refresh_from_db()
    assert task.deadline == date(2026, 4, 30)
    assert task.status == Status.IN_PROGRESS
    assert (request.status, request.decided_by) == (Decision.APPROVED, personas.office)
    entry = last_entry(task)
    assert (entry.action, entry.actor, entry.unit) == (Action.EXTENSION_APPROVE, personas.office, personas.finance)
    assert entry.before == {"status": "申请延期", "deadline": "2026-03-27"}
    assert entry.after == {"status": "办理中", "deadline": "2026-04-30"}


def test_a_denied_extension_needs_a_reason_and_keeps_the_deadline(personas, clock):
    task = signed(personas, deadline=date(2026, 3, 27))
    request = services.task_extension_ask(
        task=task, by=personas.liaison, reason="设备到货推迟", new_deadline=date(2026, 4, 30)
    )
    refused(lambda: services.extension_decide(request=request, approve=False, by=personas.office), says="理由")
    request.refresh_from_db()
    assert request.status == Decision.PENDING
    services.extension_decide(request=request, approve=False, by=personas.office, note="理由不充分,请按期完成")
    task.refresh_from_db()
    request.refresh_from_db()
    assert (task.deadline, task.status) == (date(2026, 3, 27), Status.IN_PROGRESS)
    assert (request.status, request.decision_note) == (Decision.REJECTED, "理由不充分,请按期完成")
    entry = last_entry(task)
    assert (entry.action, entry.note) == (Action.EXTENSION_DENY, "理由不充分,请按期完成")
    assert (entry.before, entry.after) == ({"status": "申请延期"}, {"status": "办理中"})


def test_a_liaison_cannot_approve_an_extension(personas, clock):
    task = signed(personas, deadline=date(2026, 3, 27))
    request = services.task_extension_ask(task=task, by=personas.liaison, reason="理由", new_deadline=date(2026, 4, 30))
    refused(lambda: services.extension_decide(request=request, approve=True, by=personas.liaison), status=403)
    task.refresh_from_db()
    request.refresh_from_db()
    assert (task.deadline, request.status) == (date(2026, 3, 27), Decision.PENDING)


# --- Closure ------------------------------------------------------------------


def test_a_closure_asked_before_the_deadline_holds_the_task_green(personas, clock):
    task = signed(personas, deadline=date(2026, 3, 27))
    request = services.task_closure_ask(task=task, by=personas.liaison, summary="系统已上线运行")
    task.refresh_from_db()
    assert (task.status, task.held_green) == (Status.CLOSURE_ASKED, True)
    assert (request.status, request.status_before) == (Decision.PENDING, Status.IN_PROGRESS)
    entry = last_entry(task)
    assert (entry.action, entry.before, entry.after) == (
        Action.CLOSURE_ASK,
        {"status": "办理中"},
        {"status": "申请办结"},
    )


def test_a_closure_asked_after_the_deadline_is_not_held_green(personas, clock):
    task = signed(personas, deadline=date(2026, 3, 27))
    clock(date(2026, 3, 30))
    services.task_closure_ask(task=task, by=personas.liaison, summary="系统已上线运行")
    task.refresh_from_db()
    assert (task.status, task.held_green) == (Status.CLOSURE_ASKED, False)


def test_an_approved_closure_is_done_on_time_when_asked_by_the_deadline(personas, clock):
    task = signed(personas, deadline=date(2026, 3, 27), cadence="weekly")
    clock(date(2026, 3, 26))
    request = services.task_closure_ask(task=task, by=personas.liaison, summary="系统已上线运行")
    clock(date(2026, 3, 31))  # the office decides after the deadline: the unit asked in time
    services.closure_decide(request=request, approve=True, by=personas.office)
    task.refresh_from_db()
    request.refresh_from_db()
    assert task.status == Status.DONE
    assert (task.done_on, task.done_on_time, task.percent) == (date(2026, 3, 26), True, 100)
    assert task.workdays_to_done == 8  # 17–20 and 23–26 March
    assert (task.held_green, task.next_report_due) == (False, None)
    assert (request.status, request.decided_by) == (Decision.APPROVED, personas.office)
    entry = last_entry(task)
    assert (entry.action, entry.actor) == (Action.CLOSE, personas.office)
    assert (entry.before, entry.after) == ({"status": "申请办结"}, {"status": "已办结", "done_on": "2026-03-26"})


def test_a_closure_asked_after_the_deadline_is_done_late(personas, clock):
    task = signed(personas, deadline=date(2026, 3, 27))
    clock(date(2026, 3, 30))
    request = services.task_closure_ask(task=task, by=personas.liaison, summary="系统已上线运行")
    services.closure_decide(request=request, approve=True, by=personas.office)
    task.refresh_from_db()
    assert (task.status, task.done_on, task.done_on_time) == (Status.DONE, date(2026, 3, 30), False)


def test_returning_a_closure_needs_a_reason_and_sends_the_task_back(personas, clock):
    task = signed(personas, deadline=date(2026, 3, 27))
    request = services.task_closure_ask(task=task, by=personas.liaison, summary="系统已上线运行")
    refused(lambda: services.closure_decide(request=request, approve=False, by=personas.office), says="退回理由")
    task.refresh_from_db()
    assert task.status == Status.CLOSURE_ASKED
    services.closure_decide(request=request, approve=False, by=personas.office, note="请补充验收报告")
    task.refresh_from_db()
    request.refresh_from_db()
    assert (task.status, task.held_green, task.done_on) == (Status.RETURNED, False, None)
    assert (request.status, request.decision_note) == (Decision.REJECTED, "请补充验收报告")
    entry = last_entry(task)
    assert (entry.action, entry.note, entry.before, entry.after) == (
        Action.RETURN,
        "请补充验收报告",
        {"status": "申请办结"},
        {"status": "退回重办"},
    )
    # The unit redoes the work and asks again.
    services.task_closure_ask(task=task, by=personas.liaison, summary="已补充验收报告")
    task.refresh_from_db()
    assert task.status == Status.CLOSURE_ASKED


def test_a_closure_request_is_decided_once(personas, clock):
    task = signed(personas)
    request = services.task_closure_ask(task=task, by=personas.liaison, summary="已完成")
    services.closure_decide(request=request, approve=True, by=personas.office)
    stale = ClosureRequest.objects.get(pk=request.pk)
    refused(
        lambda: services.closure_decide(request=stale, approve=False, by=personas.admin, note="退回"),
        status=409,
        says=["已由", "处理", "未生效"],
    )
    task.refresh_from_db()
    assert task.status == Status.DONE
    assert len(entries(task, Action.CLOSE)) == 1
    assert not entries(task, Action.RETURN)


def test_a_liaison_cannot_approve_a_closure(personas, clock):
    task = signed(personas)
    request = services.task_closure_ask(task=task, by=personas.liaison, summary="已完成")
    refused(lambda: services.closure_decide(request=request, approve=True, by=personas.liaison), status=403)
    refused(lambda: services.closure_decide(request=request, approve=True, by=personas.leader), status=403)
    task.refresh_from_db()
    request.refresh_from_db()
    assert (task.status, request.status) == (Status.CLOSURE_ASKED, Decision.PENDING)


def test_a_second_pending_closure_is_refused(personas, clock):
    task = signed(personas)
    services.task_closure_ask(task=task, by=personas.liaison, summary="已完成")
    refused(lambda: services.task_closure_ask(task=task, by=personas.liaison, summary="再次申请"), status=409)
    assert ClosureRequest.objects.count() == 1


def test_a_pending_closure_cannot_make_a_cancelled_task_done(personas, clock):
    task = signed(personas)
    request = services.task_closure_ask(task=task, by=personas.liaison, summary="已完成")
    services.task_cancel(task=task, by=personas.office, reason="上级已撤销该项工作")
    with contextlib.suppress(ActionError):
        services.closure_decide(request=request, approve=True, by=personas.office)
    task.refresh_from_db()
    assert task.status == Status.CANCELLED


# --- Urging -------------------------------------------------------------------


def test_urging_one_task_records_and_counts_it(personas, clock):
    task = signed(personas, deadline=date(2026, 3, 18))
    assert services.task_urge(tasks=[task], message="请加快进度,按期完成", by=personas.office) == 1
    task.refresh_from_db()
    assert task.urge_count == 1
    urge = Urge.objects.get(task=task)
    assert (urge.unit, urge.message, urge.light, urge.batch, urge.created_by) == (
        personas.finance,
        "请加快进度,按期完成",
        "yellow",
        None,
        personas.office,
    )
    entry = last_entry(task)
    assert (entry.action, entry.actor, entry.unit, entry.note) == (
        Action.URGE,
        personas.office,
        personas.finance,
        "请加快进度,按期完成",
    )
    assert (entry.before, entry.after) == ({"urge_count": 0}, {"urge_count": 1})


def test_urging_many_tasks_skips_the_done_ones(personas, clock):
    first = signed(personas, "事项一")
    second = create(personas, "事项二", lead=personas.housing)
    done = signed(personas, "已办结事项")
    services.closure_decide(
        request=services.task_closure_ask(task=done, by=personas.liaison, summary="已完成"),
        approve=True,
        by=personas.office,
    )
    tasks = list(Task.objects.filter(pk__in=[first.pk, second.pk, done.pk]))
    assert services.task_urge(tasks=tasks, message="请于周五前反馈进展", by=personas.office) == 2
    assert {(u.task_id, u.unit_id) for u in Urge.objects.all()} == {
        (first.pk, personas.finance.pk),
        (second.pk, personas.housing.pk),
    }
    assert len({u.batch for u in Urge.objects.all()}) == 1
    assert Urge.objects.first().batch is not None
    counts = dict(Task.objects.values_list("title", "urge_count"))
    assert counts == {"事项一": 1, "事项二": 1, "已办结事项": 0}
    assert len(entries(first, Action.URGE)) == len(entries(second, Action.URGE)) == 1
    assert not entries(done, Action.URGE)


def test_urging_only_finished_tasks_is_refused(personas, clock):
    task = signed(personas)
    services.task_pause(task=task, by=personas.office, reason="等待批复")
    task.refresh_from_db()
    refused(lambda: services.task_urge(tasks=[task], message="催办", by=personas.office), says="没有催办")
    assert not Urge.objects.exists()


def test_an_urge_needs_a_message_and_the_office(personas, clock):
    task = signed(personas)
    refused(lambda: services.task_urge(tasks=[task], message="  ", by=personas.office), says="催办内容")
    refused(lambda: services.task_urge(tasks=[task], message="催办", by=personas.liaison), status=403)
    refused(lambda: services.task_urge(tasks=[task], message="催办", by=personas.leader), status=403)
    assert not Urge.objects.exists()


def test_a_second_urge_counts_on(personas, clock):
    task = signed(personas)
    services.task_urge(tasks=[task], message="第一次催办", by=personas.office)
    services.task_urge(tasks=[Task.objects.get(pk=task.pk)], message="第二次催办", by=personas.office)
    task.refresh_from_db()
    assert task.urge_count == 2
    assert [(e.before, e.after) for e in entries(task, Action.URGE)] == [
        ({"urge_count": 0}, {"urge_count": 1}),
        ({"urge_count": 1}, {"urge_count": 2}),
    ]


def test_the_urge_timeline_counts_from_the_stored_number_not_the_callers_copy(personas, clock):
    task = signed(personas)
    services.task_urge(tasks=[task], message="第一次催办", by=personas.office)
    services.task_urge(tasks=[task], message="第二次催办", by=personas.office)  # the same object, now stale
    task.refresh_from_db()
    assert task.urge_count == 2
    assert [(e.before, e.after) for e in entries(task, Action.URGE)] == [
        ({"urge_count": 0}, {"urge_count": 1}),
        ({"urge_count": 1}, {"urge_count": 2}),
    ]


# --- Pause, resume, cancel ------------------------------------------------------


def test_pausing_and_resuming_need_a_reason_and_restore_the_status(personas, clock):
    task = signed(personas, cadence="weekly", cadence_day=5)
    refused(lambda: services.task_pause(task=task, by=personas.office, reason=""), says="暂停的理由")
    services.task_pause(task=task, by=personas.office, reason="等待省厅批复")
    task.refresh_from_db()
    assert (task.status, task.status_before_pause) == (Status.PAUSED, Status.IN_PROGRESS)
    entry = last_entry(task)
    assert (entry.action, entry.note, entry.before, entry.after) == (
        Action.PAUSE,
        "等待省厅批复",
        {"status": "办理中"},
        {"status": "暂停"},
    )
    clock(date(2026, 4, 14))  # a Tuesday, weeks later
    services.task_resume(task=task, by=personas.office, reason="已获批复")
    task.refresh_from_db()
    assert (task.status, task.status_before_pause) == (Status.IN_PROGRESS, "")
    assert task.next_report_due == date(2026, 4, 17)  # the report clock restarts from today
    entry = last_entry(task)
    assert (entry.action, entry.note, entry.before, entry.after) == (
        Action.RESUME,
        "已获批复",
        {"status": "暂停"},
        {"status": "办理中"},
    )


def test_a_task_that_is_not_paused_cannot_be_resumed(personas, clock):
    task = signed(personas)
    refused(lambda: services.task_resume(task=task, by=personas.office), status=409, says="办理中")


def test_cancelling_needs_a_reason_and_works_on_a_paused_task(personas, clock):
    task = signed(personas)
    services.task_pause(task=task, by=personas.office, reason="等待批复")
    refused(lambda: services.task_cancel(task=task, by=personas.office, reason=" "), says="关闭的理由")
    services.task_cancel(task=task, by=personas.office, reason="上级已撤销该项工作")
    task.refresh_from_db()
    assert task.status == Status.CANCELLED
    entry = last_entry(task)
    assert (entry.action, entry.before, entry.after) == (Action.CANCEL, {"status": "暂停"}, {"status": "已关闭"})
    refused(lambda: services.task_cancel(task=task, by=personas.office, reason="再次关闭"), status=409)


def test_a_done_task_cannot_be_paused_or_cancelled(personas, clock):
    task = signed(personas)
    services.closure_decide(
        request=services.task_closure_ask(task=task, by=personas.liaison, summary="已完成"),
        approve=True,
        by=personas.office,
    )
    refused(lambda: services.task_pause(task=task, by=personas.office, reason="暂停"), status=409, says="已办结")
    refused(lambda: services.task_cancel(task=task, by=personas.office, reason="关闭"), status=409, says="已办结")


def test_a_liaison_cannot_pause_resume_or_cancel(personas, clock):
    task = signed(personas)
    refused(lambda: services.task_pause(task=task, by=personas.liaison, reason="暂停"), status=403)
    refused(lambda: services.task_cancel(task=task, by=personas.liaison, reason="关闭"), status=403)
    task.refresh_from_db()
    assert task.status == Status.IN_PROGRESS


def test_a_closure_still_pending_after_a_pause_keeps_the_task_green(personas, clock):
    task = signed(personas, deadline=date(2026, 3, 20))
    services.task_closure_ask(task=task, by=personas.liaison, summary="已完成")
    services.task_pause(task=task, by=personas.office, reason="等待验收")
    clock(date(2026, 3, 25))
    services.task_resume(task=task, by=personas.office, reason="恢复审核")
    task.refresh_from_db()
    assert task.status == Status.CLOSURE_ASKED
    assert ClosureRequest.objects.get(task=task).status == Decision.PENDING
    assert task.light_for(workdays.thresholds()) == "green"


# --- Instructions ---------------------------------------------------------------


def test_a_leader_writes_an_instruction_on_a_task(personas, clock):
    task = signed(personas)
    instruction = services.task_instruct(task=task, by=personas.leader, text="请财政局抓紧推进,月底前见成效")
    assert (instruction.leader, instruction.created_by, instruction.text) == (
        personas.leader_row,
        personas.leader,
        "请财政局抓紧推进,月底前见成效",
    )
    entry = last_entry(task)
    assert (entry.action, entry.actor) == (Action.INSTRUCT, personas.leader)
    assert "李强" in entry.note
    assert "请财政局抓紧推进,月底前见成效" in entry.note


def test_only_a_leader_writes_instructions(personas, clock):
    task = signed(personas)
    refused(lambda: services.task_instruct(task=task, by=personas.liaison, text="批示"), status=403)
    refused(lambda: services.task_instruct(task=task, by=personas.office, text="批示"), status=403)
    refused(lambda: services.task_instruct(task=task, by=personas.leader, text=" "), says="批示内容")
    assert not Instruction.objects.exists()


# --- The timeline ---------------------------------------------------------------


def test_every_action_writes_exactly_one_timeline_entry(personas, clock):
    task = create(personas, deadline=date(2026, 4, 30), cadence="weekly")
    steps = [
        (lambda: services.task_sign(task=task, by=personas.liaison), personas.liaison, Action.SIGN),
        (
            lambda: services.task_report(task=task, by=personas.liaison, report=report()),
            personas.liaison,
            Action.REPORT,
        ),
        (lambda: services.task_urge(tasks=[task], message="催办", by=personas.office), personas.office, Action.URGE),
        (lambda: services.task_instruct(task=task, by=personas.leader, text="抓紧"), personas.leader, Action.INSTRUCT),
        (
            lambda: services.task_extension_ask(
                task=task, by=personas.liaison, reason="理由", new_deadline=date(2026, 5, 29)
            ),
            personas.liaison,
            Action.EXTENSION_ASK,
        ),
        (
            lambda: services.extension_decide(
                request=ExtensionRequest.objects.get(task=task), approve=True, by=personas.office
            ),
            personas.office,
            Action.EXTENSION_APPROVE,
        ),
        (lambda: services.task_pause(task=task, by=personas.office, reason="暂停"), personas.office, Action.PAUSE),
        (lambda: services.task_resume(task=task, by=personas.office), personas.office, Action.RESUME),
        (
            lambda: services.task_closure_ask(task=task, by=personas.liaison, summary="完成"),
            personas.liaison,
            Action.CLOSURE_ASK,
        ),
        (
            lambda: services.closure_decide(
                request=ClosureRequest.objects.get(task=task), approve=False, by=personas.office, note="补材料"
            ),
            personas.office,
            Action.RETURN,
        ),
        (
            lambda: services.task_closure_ask(task=task, by=personas.liaison, summary="已补材料"),
            personas.liaison,
            Action.CLOSURE_ASK,
        ),
        (
            lambda: services.closure_decide(
                request=ClosureRequest.objects.get(task=task, status=Decision.PENDING),
                approve=True,
                by=personas.office,
            ),
            personas.office,
            Action.CLOSE,
        ),
    ]
    # The fields each action changes, which its entry shows before and after.
    changes = {
        Action.SIGN: {"status"},
        Action.REPORT: {"next_report_due"},
        Action.URGE: {"urge_count"},
        Action.INSTRUCT: set(),
        Action.EXTENSION_ASK: {"status"},
        Action.EXTENSION_APPROVE: {"status", "deadline"},
        Action.PAUSE: {"status"},
        Action.RESUME: {"status"},
        Action.CLOSURE_ASK: {"status"},
        Action.RETURN: {"status"},
        Action.CLOSE: {"status"},
    }
    assert len(entries(task)) == 1
    for number, (step, actor, action) in enumerate(steps, start=2):
        step()
        task.refresh_from_db()
        timeline = entries(task)
        assert len(timeline) == number, action
        entry = timeline[-1]
        assert (entry.actor, entry.action) == (actor, action)
        assert entry.at is not None
        for key in changes[action]:
            assert entry.before[key] != entry.after[key], (action, key)
        if not changes[action]:
            assert (entry.before, entry.after) == ({}, {})
            assert entry.note
    assert task.status == Status.DONE
    assert [label for label, _, _ in last_entry(task).changes()] == ["状态", "办结日期"]


def test_a_refused_action_writes_nothing(personas, clock):
    task = signed(personas)
    before = len(entries(task))
    for call in [
        lambda: services.task_sign(task=task, by=personas.liaison),
        lambda: services.task_report(task=task, by=personas.outsider, report=report()),
        lambda: services.task_urge(tasks=[task], message="催办", by=personas.liaison),
        lambda: services.task_pause(task=task, by=personas.office, reason=""),
    ]:
        with pytest.raises(ActionError):
            call()
    assert len(entries(task)) == before


def test_a_timeline_entry_cannot_be_updated(personas, clock):
    task = create(personas)
    entry = entries(task)[0]
    entry.note = "篡改"
    with pytest.raises(TypeError, match="不可修改"):
        entry.save()
    with pytest.raises(TypeError, match="不可修改"):
        TimelineEntry.objects.filter(pk=entry.pk).update(note="篡改")
    # Past the model, the database itself refuses.
    with pytest.raises(DatabaseError), transaction.atomic():
        TimelineEntry._base_manager.filter(pk=entry.pk).update(note="篡改")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE work_timelineentry SET note = %s WHERE id = %s", ["篡改", entry.pk])
    assert TimelineEntry.objects.get(pk=entry.pk).note == ""


def test_a_timeline_entry_cannot_be_deleted_through_the_model(personas, clock):
    task = create(personas)
    entry = entries(task)[0]
    with pytest.raises(TypeError, match="不可删除"):
        entry.delete()
    with pytest.raises(TypeError, match="不可删除"):
        TimelineEntry.objects.filter(pk=entry.pk).delete()
    # Nor by deleting its task.
    with pytest.raises(ProtectedError), transaction.atomic():
        Task.objects.get(pk=task.pk).delete()
    assert TimelineEntry.objects.filter(pk=entry.pk).exists()


def test_closing_a_task_by_hand_lets_its_waiting_requests_lapse(personas, clock):
    task = signed(personas)
    extension = services.task_extension_ask(
        task=task, by=personas.liaison, reason="资金未到位", new_deadline=date(2026, 12, 31)
    )
    services.task_cancel(task=task, by=personas.office, reason="上级已撤销该项工作")
    extension.refresh_from_db()
    assert extension.status == "rejected"
    assert "自动失效" in extension.decision_note
    refused(
        lambda: services.extension_decide(request=extension, approve=True, by=personas.office),
        status=409,
        says=["已由"],
    )
    task.refresh_from_db()
    assert task.status == Status.CANCELLED
