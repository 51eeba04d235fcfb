"""The scheduler's daily pass: reports due, deadlines near and passed, unsigned; once per task, unit and day."""

from datetime import date, datetime

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from luoshi.notify import scheduler
from luoshi.notify.models import Kind, Message, Rule
from luoshi.notify.reminders import reminders_run
from luoshi.work.models import Task
from luoshi.work.tests.conftest import TZ
from luoshi.work.tests.service_helpers import create, signed

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 16)


def kinds_of(user) -> dict[str, str]:
    return {m.kind: m.event.title for m in Message.objects.filter(user=user).exclude(kind=Kind.ASSIGNED)}


def test_each_rule_reminds_the_lead_units_liaison(personas, clock):
    due_in_3 = signed(personas, title="三天后反馈")  # 16 Mar + 3 working days = 19 Mar
    Task.objects.filter(pk=due_in_3.pk).update(next_report_due=date(2026, 3, 19))
    today = signed(personas, title="今天反馈")
    Task.objects.filter(pk=today.pk).update(next_report_due=MONDAY)
    late = signed(personas, title="反馈逾期")
    Task.objects.filter(pk=late.pk).update(next_report_due=date(2026, 3, 10))
    near = signed(personas, title="时限临近")
    Task.objects.filter(pk=near.pk).update(deadline=date(2026, 3, 19))
    passed = signed(personas, title="已超时限")
    Task.objects.filter(pk=passed.pk).update(deadline=date(2026, 3, 13))
    unsigned = create(personas, title="未签收")
    Task.objects.filter(pk=unsigned.pk).update(sign_by=date(2026, 3, 13))
    quiet = signed(personas, title="一切正常")
    assert reminders_run(day=MONDAY) == 6
    got = kinds_of(personas.liaison)
    assert got == {
        Kind.REPORT_DUE: "进展反馈即将到期:三天后反馈",
        Kind.REPORT_TODAY: "今天应反馈进展:今天反馈",
        Kind.REPORT_LATE: "进展反馈已逾期:反馈逾期",
        Kind.DEADLINE_NEAR: "完成时限临近:时限临近",
        Kind.DEADLINE_PASSED: "已超过完成时限:已超时限",
        Kind.UNSIGNED: "超过签收期限未签收:未签收",
    }
    assert quiet.title not in " ".join(got.values())
    [digest] = Message.objects.filter(user=personas.office, kind=Kind.DIGEST)
    assert "超期 1 项,未签收 1 项" in digest.event.title
    [leader] = Message.objects.filter(user=personas.leader, kind=Kind.DIGEST)  # he 分管 the finance bureau
    assert "分管单位超期事项 1 项" in leader.event.title and "已超时限" in leader.event.body


def test_at_most_one_reminder_per_task_unit_and_day_whatever_the_rules_say(personas, clock):
    task = signed(personas)
    Task.objects.filter(pk=task.pk).update(deadline=date(2026, 3, 13), next_report_due=date(2026, 3, 10))
    assert reminders_run(day=MONDAY) == 1
    assert reminders_run(day=MONDAY) == 0
    assert Message.objects.filter(user=personas.liaison).exclude(kind=Kind.ASSIGNED).count() == 1
    assert reminders_run(day=date(2026, 3, 17)) == 1


def test_how_far_ahead_is_the_offices_rule(personas, clock):
    Rule.objects.create(kind=Kind.DEADLINE_NEAR, enabled=True, channels=[], days_ahead=5)
    task = signed(personas)
    Task.objects.filter(pk=task.pk).update(deadline=date(2026, 3, 23))  # 16 Mar + 5 working days
    reminders_run(day=MONDAY)
    assert Kind.DEADLINE_NEAR in kinds_of(personas.liaison)


def test_a_unit_gets_one_message_listing_its_tasks(personas, clock):
    for i in range(5):
        task = signed(personas, title=f"逾期{i}")
        Task.objects.filter(pk=task.pk).update(next_report_due=date(2026, 3, 10))
    reminders_run(day=MONDAY)
    [message] = Message.objects.filter(user=personas.liaison, kind=Kind.REPORT_LATE)
    assert message.event.title == "进展反馈已逾期的事项 5 项" and "逾期4" in message.event.body


def test_the_scheduler_takes_each_period_once_however_many_run(personas, time_machine):
    time_machine.move_to(datetime(2026, 3, 16, 8, 0, tzinfo=TZ), tick=False)
    assert "reminders" in scheduler.tick()
    assert "reminders" not in scheduler.tick()
    assert "prune" not in scheduler.tick()  # taken by the first tick of the day
    assert DBTaskResult.objects.filter(task_path="luoshi.work.tasks.unit_snapshot").count() == 1
    assert DBTaskResult.objects.filter(task_path="luoshi.notify.tasks.reminders").count() == 1
    time_machine.move_to(datetime(2026, 3, 21, 8, 0, tzinfo=TZ), tick=False)  # Saturday: no reminders
    assert scheduler.tick() == ["snapshot", "debt", "prune"]  # but the cockpit's trend and the debt check get their day


def test_the_scheduler_command_runs_once(personas, time_machine, capsys):
    time_machine.move_to(datetime(2026, 3, 16, 9, 0, tzinfo=TZ), tick=False)
    call_command("notify_scheduler", "--once")
    assert "已排入:reminders" in capsys.readouterr().out
    result = DBTaskResult.objects.get(task_path="luoshi.notify.tasks.reminders")
    assert result.args_kwargs["args"] == ["2026-03-16"]
