"""The demo's history is played at its own moments: each task's timeline reads as a coherent story."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from luoshi.lib import workdays
from luoshi.org.models import User
from luoshi.work import services
from luoshi.work.demo import CARRIED, FINANCE, GROUP_TITLE, HOUSING, LEDGER, OTHERS
from luoshi.work.models import ProgressReport, Task, TimelineEntry
from luoshi.work.tests.service_helpers import create

pytestmark = pytest.mark.django_db

Action = TimelineEntry.Action


def test_each_demo_tasks_timeline_is_in_order_on_working_days_in_office_hours_and_in_the_past(demo):
    now = timezone.now()
    cal = workdays.calendar()
    # The work demo's own tasks; the other apps' demos add a few (project steps, missing values) at load time.
    titles = {item.title for item in [*LEDGER, *FINANCE, *HOUSING, *CARRIED]} | {row[1] for row in OTHERS}
    titles.add(GROUP_TITLE)
    entries = list(
        TimelineEntry.objects.filter(task__title__in=titles).order_by("task_id", "id").values("task_id", "action", "at")
    )
    assert len(entries) > 400
    by_task: dict[int, list[dict]] = {}
    for entry in entries:
        by_task.setdefault(entry["task_id"], []).append(entry)
    for task_id, story in by_task.items():
        moments = [entry["at"] for entry in story]
        assert moments == sorted(moments), f"事项 {task_id} 的留痕次序颠倒:{story}"
        assert story[0]["action"] == Action.CREATE
        for entry in story:
            local = timezone.localtime(entry["at"])
            assert entry["at"] <= now, f"事项 {task_id} 有未来的留痕:{entry}"
            assert cal.is_workday(local.date()), f"事项 {task_id} 的留痕在休息日:{entry}"
            assert time(8, 30) <= local.time() <= time(18, 0), f"事项 {task_id} 的留痕不在办公时间:{entry}"
    # Registration before signing, signing before reports, reports before the closure.
    for story in by_task.values():
        actions = [entry["action"] for entry in story]
        if Action.SIGN in actions and Action.REPORT in actions:
            assert actions.index(Action.SIGN) < actions.index(Action.REPORT)
        if Action.CLOSE in actions:
            assert actions.index(Action.REPORT) < actions.index(Action.CLOSURE_ASK) < actions.index(Action.CLOSE)


def test_the_demo_tasks_own_dates_agree_with_their_timeline(demo):
    """The dates on the task are those the services wrote when its steps were played, not patched ones."""
    closed = Task.objects.filter(status=Task.Status.DONE, parent__isnull=False) | Task.objects.filter(
        status=Task.Status.DONE, lead_unit__isnull=False
    )
    assert closed.exists()
    for task in closed.distinct():
        create_entry = task.timeline.get(action=Action.CREATE)
        assert task.assigned_at == create_entry.at
        asked = task.timeline.filter(action=Action.CLOSURE_ASK).latest("at")
        assert task.done_on == timezone.localdate(asked.at)
        assert task.done_on_time == (task.deadline is None or task.done_on <= task.deadline)
    reported = Task.objects.exclude(last_report_at=None)
    for task in reported[:40]:
        last = ProgressReport.objects.filter(task=task, is_lead=True).latest("created_at")
        assert task.last_report_at == last.created_at
        assert task.timeline.filter(action=Action.REPORT, at=last.created_at).exists()
    # A year's work, not a day's: registrations spread over months.
    days = {
        timezone.localdate(at) for at in Task.objects.exclude(assigned_at=None).values_list("assigned_at", flat=True)
    }
    assert len(days) > 30


def test_a_service_refuses_to_act_at_a_future_moment(personas, clock):
    task = create(personas)
    with pytest.raises(ValueError):
        services.task_sign(task=task, by=personas.office, at=timezone.now() + timedelta(hours=1))
    with pytest.raises(ValueError):
        services.task_sign(task=task, by=personas.office, at=datetime(2026, 3, 1, 10))  # naive
    assert not task.timeline.filter(action=Action.SIGN).exists()


def test_a_step_played_at_a_past_moment_is_stamped_with_it(personas, clock):
    task = create(personas)  # Monday 16 March 2026, 10:00
    clock(date(2026, 3, 18))
    moment = task.assigned_at + timedelta(hours=5)
    liaison = User.objects.get(pk=personas.liaison.pk)
    services.task_sign(task=task, by=liaison, at=moment)
    task.refresh_from_db()
    assert task.signed_at == moment
    assert task.timeline.get(action=Action.SIGN).at == moment
