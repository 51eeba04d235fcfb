"""Reminders of the three-level handling: the leader hears when a level runs out, the office gets a digest."""

from datetime import date, datetime

import pytest
from django_tasks_db.models import DBTaskResult

from luoshi.audit.models import AuditEntry
from luoshi.notify import scheduler
from luoshi.notify.models import Kind, Message, Rule
from luoshi.org.models import Leader, User
from luoshi.problems.models import Problem
from luoshi.problems.reminders import escalation_reminders_run
from luoshi.problems.services import level_meeting_record, problem_close, problem_escalate

from .conftest import TZ

pytestmark = pytest.mark.django_db

# Level 1 opened on Monday 16 March 2026 runs 20 working days, to Tuesday 14 April (清明 on 6 April).
DUE = date(2026, 4, 14)
FIRST_LATE = date(2026, 4, 15)


def _messages(user, kind=None):
    messages = Message.objects.filter(user=user).select_related("event")
    return [m.event for m in (messages.filter(kind=kind) if kind else messages)]


@pytest.fixture
def level_one(problem, personas):
    problem_escalate(problem=problem, reason="交专业小组研究", by=personas.office)
    problem.refresh_from_db()
    assert problem.level_due == DUE
    return problem


def test_the_responsible_leader_hears_when_a_level_runs_out(level_one, personas, clock):
    clock(FIRST_LATE)
    assert escalation_reminders_run(day=FIRST_LATE) == 1
    [event] = _messages(personas.leader, Kind.DEADLINE_PASSED)
    assert event.title == "遗留问题本级处理已超时限:城南安置小区办证难"
    assert "一级:专业小组,时限 2026-04-14,已超 1 个工作日" in event.body
    assert event.url == level_one.get_absolute_url()
    [digest] = _messages(personas.office, Kind.DIGEST)
    assert digest.title == "04月15日待升级的遗留问题 1 个"
    # The liaison of the lead unit and the other unit hear nothing: the flag goes to the leader and the office.
    assert _messages(personas.liaison) == [] and _messages(personas.outsider) == []


def test_nothing_is_said_before_the_limit_or_once_the_level_has_a_conclusion(level_one, personas, clock):
    clock(DUE)
    assert escalation_reminders_run(day=DUE) == 0
    assert _messages(personas.leader, Kind.DEADLINE_PASSED) == []
    level_meeting_record(problem=level_one, day=DUE, attendees="专业小组", options="", conclusion="分割办证",
                         by=personas.office)  # fmt: skip
    clock(FIRST_LATE)
    assert escalation_reminders_run(day=FIRST_LATE) == 0
    assert _messages(personas.leader) == [] and _messages(personas.office) == []


def test_a_closed_problem_is_not_reminded_of(level_one, personas, clock):
    problem_close(problem=level_one, resolved=False, reason="当事人撤诉", by=personas.office)
    clock(FIRST_LATE)
    assert escalation_reminders_run(day=FIRST_LATE) == 0
    assert _messages(personas.leader) == []


def test_a_second_run_the_same_day_raises_nothing_again_and_the_trace_notes_the_first_day_only(
    level_one, personas, clock
):
    clock(FIRST_LATE)
    escalation_reminders_run(day=FIRST_LATE)
    escalation_reminders_run(day=FIRST_LATE)
    assert len(_messages(personas.leader, Kind.DEADLINE_PASSED)) == 1
    assert len(_messages(personas.office, Kind.DIGEST)) == 1
    clock(date(2026, 4, 16))
    escalation_reminders_run(day=date(2026, 4, 16))
    assert len(_messages(personas.leader, Kind.DEADLINE_PASSED)) == 2  # daily, like the task reminders
    [flag] = AuditEntry.objects.for_object(level_one).filter(action="overdue_flag")
    assert flag.actor is None and flag.actor_name == "系统"
    assert flag.note == "一级:专业小组时限 2026-04-14 已过,仍无结论:已提醒李强"
    level_one.refresh_from_db()
    assert level_one.level_flagged_on == FIRST_LATE


def test_escalating_clears_the_flag_so_the_next_level_is_traced_again(level_one, personas, clock):
    clock(FIRST_LATE)
    escalation_reminders_run(day=FIRST_LATE)
    problem_escalate(problem=level_one, reason="专业小组未能化解", by=personas.office)
    level_one.refresh_from_db()
    assert (level_one.level, level_one.level_flagged_on) == (2, None)
    late = date(2026, 5, 12)  # level 2: 15 working days from 15 April, past 劳动节
    assert level_one.level_due < late
    clock(late)
    escalation_reminders_run(day=late)
    flags = AuditEntry.objects.for_object(level_one).filter(action="overdue_flag").order_by("seq")
    assert [entry.note.split("时限")[0] for entry in flags] == ["一级:专业小组", "二级:领导小组"]


def test_at_level_three_the_principal_leader_hears_too(level_one, personas, clock):
    county_head = Leader.objects.create(name="张伟", title="县长", order=1, is_principal=True)
    head = User.objects.create(username="zhang", name="张伟", role=User.Role.LEADER, leader=county_head)
    other = Leader.objects.create(name="王五", title="副县长", order=30)
    other_user = User.objects.create(username="wang", name="王五", role=User.Role.LEADER, leader=other)
    clock(FIRST_LATE)
    escalation_reminders_run(day=FIRST_LATE)
    assert _messages(head) == []  # level 1: the responsible leader's business
    problem_escalate(problem=level_one, reason="升级", by=personas.office)
    problem_escalate(problem=level_one, reason="升级", by=personas.office)
    level_one.refresh_from_db()
    late = workday_after(level_one.level_due)
    clock(late)
    escalation_reminders_run(day=late)
    [event] = _messages(head, Kind.DEADLINE_PASSED)
    assert "三级:三重一大集体决策" in event.body
    assert len(_messages(personas.leader, Kind.DEADLINE_PASSED)) == 2
    assert _messages(other_user) == []


def workday_after(day: date) -> date:
    from luoshi.lib import workdays

    return workdays.calendar().add(day, 1)


def test_the_leader_is_told_ahead_by_the_offices_near_rule(level_one, personas, clock):
    clock(date(2026, 4, 9))  # three working days before 14 April
    escalation_reminders_run(day=date(2026, 4, 9))
    [event] = _messages(personas.leader, Kind.DEADLINE_NEAR)
    assert event.title == "遗留问题本级时限临近:城南安置小区办证难"
    assert "时限 2026-04-14" in event.body
    Rule.objects.create(kind=Kind.DEADLINE_NEAR, enabled=False, channels=[], days_ahead=3)
    clock(date(2026, 4, 10))
    Problem.objects.filter(pk=level_one.pk).update(level_due=date(2026, 4, 15))
    escalation_reminders_run(day=date(2026, 4, 10))
    assert len(_messages(personas.leader, Kind.DEADLINE_NEAR)) == 1  # the office turned the rule off


def test_the_scheduler_enqueues_the_problem_reminders_once_a_working_day(personas, time_machine):
    time_machine.move_to(datetime(2026, 3, 16, 8, 0, tzinfo=TZ), tick=False)
    assert "problem_reminders" in scheduler.tick()
    assert "problem_reminders" not in scheduler.tick()
    assert DBTaskResult.objects.filter(task_path="luoshi.problems.tasks.escalation_reminders").count() == 1
    time_machine.move_to(datetime(2026, 3, 21, 8, 0, tzinfo=TZ), tick=False)  # Saturday
    assert "problem_reminders" not in scheduler.tick()


def test_the_task_runs_the_days_pass(level_one, personas, clock):
    from luoshi.problems.tasks import escalation_reminders

    clock(FIRST_LATE)
    assert escalation_reminders.call(FIRST_LATE.isoformat()) == 1
    assert len(_messages(personas.leader, Kind.DEADLINE_PASSED)) == 1


# --- Risk reviews come due like reports -------------------------------------------------


@pytest.fixture
def monthly_risk(personas, clock):
    from luoshi.problems.risks import risk_create

    risk = risk_create(title="城投平台债务集中到期", kind="grey_rhino", field="债务", likelihood=4, impact=5,
                       owner_unit=personas.finance, by=personas.office)  # fmt: skip
    assert risk.next_review == date(2026, 4, 15)  # 30 days on, a Wednesday
    return risk


def test_the_owner_unit_is_told_ahead_on_the_day_and_when_late(monthly_risk, personas, clock):
    for day in (date(2026, 4, 10), date(2026, 4, 15), date(2026, 4, 16)):
        clock(day)
        escalation_reminders_run(day=day)
    titles = {event.kind: event.title for event in _messages(personas.liaison)}
    assert titles == {
        Kind.REPORT_DUE: "风险评估即将到期:城投平台债务集中到期",
        Kind.REPORT_TODAY: "今天应评估风险:城投平台债务集中到期",
        Kind.REPORT_LATE: "风险评估已逾期:城投平台债务集中到期",
    }
    [digest] = _messages(personas.office, Kind.DIGEST)
    assert digest.title == "04月16日待升级的遗留问题 0 个,逾期未评估的风险 1 项"
    assert _messages(personas.outsider) == [] and _messages(personas.leader) == []


def test_the_owner_units_review_stops_the_reminders(monthly_risk, personas, clock, client):
    clock(date(2026, 4, 16))
    client.force_login(personas.liaison)
    page = client.get(f"/problems/risks/{monthly_risk.pk}/").content.decode()
    assert "待评估" in page and "记录评估" in page
    client.post(f"/problems/risks/{monthly_risk.pk}/review/", {"likelihood": 3, "impact": 5, "note": "已展期一半"})
    monthly_risk.refresh_from_db()
    assert (monthly_risk.score, monthly_risk.next_review) == (15, date(2026, 5, 18))
    escalation_reminders_run(day=date(2026, 4, 16))
    assert _messages(personas.liaison) == []
    entry = AuditEntry.objects.for_object(monthly_risk).get(action="review")
    assert entry.actor == personas.liaison and entry.before == {"风险值": 20} and entry.after == {"风险值": 15}


def test_another_unit_may_not_review_a_risk_it_does_not_own(monthly_risk, personas):
    from luoshi.lib.errors import ActionError
    from luoshi.problems.risks import risk_review

    for who in (personas.outsider, personas.leader):
        with pytest.raises(ActionError, match="只有督查室或责任单位"):
            risk_review(risk=monthly_risk, likelihood=1, impact=1, note="", by=who)


# --- 专班 meetings ---------------------------------------------------------------------


def test_the_lead_unit_hears_of_tomorrows_meeting_and_of_one_left_without_minutes(problem, personas, clock):
    from datetime import time

    from luoshi.problems.taskforce import task_force_meeting_schedule

    task_force_meeting_schedule(problem=problem, day=date(2026, 3, 17), start=time(15, 0), place="3楼会议室",
                                topic="研究分割办证方案", by=personas.office)  # fmt: skip
    escalation_reminders_run(day=MONDAY)
    [event] = _messages(personas.liaison, Kind.DEADLINE_NEAR)
    assert event.title == "专班会议提醒:城南安置小区办证难"
    assert "03月17日 15:00 城南安置小区办证难:研究分割办证方案(地点:3楼会议室)" in event.body
    clock(date(2026, 3, 18))
    escalation_reminders_run(day=date(2026, 3, 18))
    [late] = _messages(personas.liaison, Kind.REPORT_LATE)
    assert late.title == "专班会议待记录纪要:城南安置小区办证难"
    assert _messages(personas.outsider) == []


MONDAY = date(2026, 3, 16)
