"""Helpers shared by the tests of work/services.py."""

from datetime import date

import pytest

from luoshi.lib.errors import ActionError
from luoshi.work import services
from luoshi.work.models import Task, TimelineEntry

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
