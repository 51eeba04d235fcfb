"""The 督办 workflows in work/services.py, part two: extensions, closure, urging, pause and cancel,
instructions, and the timeline itself."""

import contextlib
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from luoshi.lib import workdays
from luoshi.lib.errors import ActionError
from luoshi.work import office as work_office
from luoshi.work import services
from luoshi.work.models import (
    ClosureRequest,
    Decision,
    ExtensionRequest,
    Instruction,
    Task,
    TimelineEntry,
    Urge,
)
from luoshi.work.tests.service_helpers import Action, Status, create, entries, last_entry, refused, report, signed

pytestmark = pytest.mark.django_db


TZ = ZoneInfo("Asia/Shanghai")


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
    work_office.extension_decide(request=request, approve=True, by=personas.office)
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
    refused(lambda: work_office.extension_decide(request=request, approve=False, by=personas.office), says="理由")
    request.refresh_from_db()
    assert request.status == Decision.PENDING
    work_office.extension_decide(request=request, approve=False, by=personas.office, note="理由不充分,请按期完成")
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
    refused(lambda: work_office.extension_decide(request=request, approve=True, by=personas.liaison), status=403)
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
    work_office.closure_decide(request=request, approve=True, by=personas.office)
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
    work_office.closure_decide(request=request, approve=True, by=personas.office)
    task.refresh_from_db()
    assert (task.status, task.done_on, task.done_on_time) == (Status.DONE, date(2026, 3, 30), False)


def test_returning_a_closure_needs_a_reason_and_sends_the_task_back(personas, clock):
    task = signed(personas, deadline=date(2026, 3, 27))
    request = services.task_closure_ask(task=task, by=personas.liaison, summary="系统已上线运行")
    refused(lambda: work_office.closure_decide(request=request, approve=False, by=personas.office), says="退回理由")
    task.refresh_from_db()
    assert task.status == Status.CLOSURE_ASKED
    work_office.closure_decide(request=request, approve=False, by=personas.office, note="请补充验收报告")
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
    work_office.closure_decide(request=request, approve=True, by=personas.office)
    stale = ClosureRequest.objects.get(pk=request.pk)
    refused(
        lambda: work_office.closure_decide(request=stale, approve=False, by=personas.admin, note="退回"),
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
    refused(lambda: work_office.closure_decide(request=request, approve=True, by=personas.liaison), status=403)
    refused(lambda: work_office.closure_decide(request=request, approve=True, by=personas.leader), status=403)
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
    work_office.task_cancel(task=task, by=personas.office, reason="上级已撤销该项工作")
    with contextlib.suppress(ActionError):
        work_office.closure_decide(request=request, approve=True, by=personas.office)
    task.refresh_from_db()
    assert task.status == Status.CANCELLED


# --- Urging -------------------------------------------------------------------


def test_urging_one_task_records_and_counts_it(personas, clock):
    task = signed(personas, deadline=date(2026, 3, 18))
    assert work_office.task_urge(tasks=[task], message="请加快进度,按期完成", by=personas.office) == 1
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
    work_office.closure_decide(
        request=services.task_closure_ask(task=done, by=personas.liaison, summary="已完成"),
        approve=True,
        by=personas.office,
    )
    tasks = list(Task.objects.filter(pk__in=[first.pk, second.pk, done.pk]))
    assert work_office.task_urge(tasks=tasks, message="请于周五前反馈进展", by=personas.office) == 2
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
    work_office.task_pause(task=task, by=personas.office, reason="等待批复")
    task.refresh_from_db()
    refused(lambda: work_office.task_urge(tasks=[task], message="催办", by=personas.office), says="没有催办")
    assert not Urge.objects.exists()


def test_an_urge_needs_a_message_and_the_office(personas, clock):
    task = signed(personas)
    refused(lambda: work_office.task_urge(tasks=[task], message="  ", by=personas.office), says="催办内容")
    refused(lambda: work_office.task_urge(tasks=[task], message="催办", by=personas.liaison), status=403)
    refused(lambda: work_office.task_urge(tasks=[task], message="催办", by=personas.leader), status=403)
    assert not Urge.objects.exists()


def test_a_second_urge_counts_on(personas, clock):
    task = signed(personas)
    work_office.task_urge(tasks=[task], message="第一次催办", by=personas.office)
    work_office.task_urge(tasks=[Task.objects.get(pk=task.pk)], message="第二次催办", by=personas.office)
    task.refresh_from_db()
    assert task.urge_count == 2
    assert [(e.before, e.after) for e in entries(task, Action.URGE)] == [
        ({"urge_count": 0}, {"urge_count": 1}),
        ({"urge_count": 1}, {"urge_count": 2}),
    ]


def test_the_urge_timeline_counts_from_the_stored_number_not_the_callers_copy(personas, clock):
    task = signed(personas)
    work_office.task_urge(tasks=[task], message="第一次催办", by=personas.office)
    work_office.task_urge(tasks=[task], message="第二次催办", by=personas.office)  # the same object, now stale
    task.refresh_from_db()
    assert task.urge_count == 2
    assert [(e.before, e.after) for e in entries(task, Action.URGE)] == [
        ({"urge_count": 0}, {"urge_count": 1}),
        ({"urge_count": 1}, {"urge_count": 2}),
    ]


# --- Pause, resume, cancel ------------------------------------------------------


def test_pausing_and_resuming_need_a_reason_and_restore_the_status(personas, clock):
    task = signed(personas, cadence="weekly", cadence_day=5)
    refused(lambda: work_office.task_pause(task=task, by=personas.office, reason=""), says="暂停的理由")
    work_office.task_pause(task=task, by=personas.office, reason="等待省厅批复")
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
    work_office.task_resume(task=task, by=personas.office, reason="已获批复")
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
    refused(lambda: work_office.task_resume(task=task, by=personas.office), status=409, says="办理中")


def test_cancelling_needs_a_reason_and_works_on_a_paused_task(personas, clock):
    task = signed(personas)
    work_office.task_pause(task=task, by=personas.office, reason="等待批复")
    refused(lambda: work_office.task_cancel(task=task, by=personas.office, reason=" "), says="关闭的理由")
    work_office.task_cancel(task=task, by=personas.office, reason="上级已撤销该项工作")
    task.refresh_from_db()
    assert task.status == Status.CANCELLED
    entry = last_entry(task)
    assert (entry.action, entry.before, entry.after) == (Action.CANCEL, {"status": "暂停"}, {"status": "已关闭"})
    refused(lambda: work_office.task_cancel(task=task, by=personas.office, reason="再次关闭"), status=409)


def test_a_done_task_cannot_be_paused_or_cancelled(personas, clock):
    task = signed(personas)
    work_office.closure_decide(
        request=services.task_closure_ask(task=task, by=personas.liaison, summary="已完成"),
        approve=True,
        by=personas.office,
    )
    refused(lambda: work_office.task_pause(task=task, by=personas.office, reason="暂停"), status=409, says="已办结")
    refused(lambda: work_office.task_cancel(task=task, by=personas.office, reason="关闭"), status=409, says="已办结")


def test_a_liaison_cannot_pause_resume_or_cancel(personas, clock):
    task = signed(personas)
    refused(lambda: work_office.task_pause(task=task, by=personas.liaison, reason="暂停"), status=403)
    refused(lambda: work_office.task_cancel(task=task, by=personas.liaison, reason="关闭"), status=403)
    task.refresh_from_db()
    assert task.status == Status.IN_PROGRESS


def test_a_closure_still_pending_after_a_pause_keeps_the_task_green(personas, clock):
    task = signed(personas, deadline=date(2026, 3, 20))
    services.task_closure_ask(task=task, by=personas.liaison, summary="已完成")
    work_office.task_pause(task=task, by=personas.office, reason="等待验收")
    clock(date(2026, 3, 25))
    work_office.task_resume(task=task, by=personas.office, reason="恢复审核")
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
        (lambda: work_office.task_urge(tasks=[task], message="催办", by=personas.office), personas.office, Action.URGE),
        (lambda: services.task_instruct(task=task, by=personas.leader, text="抓紧"), personas.leader, Action.INSTRUCT),
        (
            lambda: services.task_extension_ask(
                task=task, by=personas.liaison, reason="理由", new_deadline=date(2026, 5, 29)
            ),
            personas.liaison,
            Action.EXTENSION_ASK,
        ),
        (
            lambda: work_office.extension_decide(
                request=ExtensionRequest.objects.get(task=task), approve=True, by=personas.office
            ),
            personas.office,
            Action.EXTENSION_APPROVE,
        ),
        (lambda: work_office.task_pause(task=task, by=personas.office, reason="暂停"), personas.office, Action.PAUSE),
        (lambda: work_office.task_resume(task=task, by=personas.office), personas.office, Action.RESUME),
        (
            lambda: services.task_closure_ask(task=task, by=personas.liaison, summary="完成"),
            personas.liaison,
            Action.CLOSURE_ASK,
        ),
        (
            lambda: work_office.closure_decide(
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
            lambda: work_office.closure_decide(
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
        lambda: work_office.task_urge(tasks=[task], message="催办", by=personas.liaison),
        lambda: work_office.task_pause(task=task, by=personas.office, reason=""),
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
    work_office.task_cancel(task=task, by=personas.office, reason="上级已撤销该项工作")
    extension.refresh_from_db()
    assert extension.status == "rejected"
    assert "自动失效" in extension.decision_note
    refused(
        lambda: work_office.extension_decide(request=extension, approve=True, by=personas.office),
        status=409,
        says=["已由"],
    )
    task.refresh_from_db()
    assert task.status == Status.CANCELLED
