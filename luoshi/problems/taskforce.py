"""专班 (task force) of a problem: its members and meetings, scheduled, held, moved or cancelled, each traced."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from django.db import transaction
from django.utils import timezone

from luoshi.audit.services import audit_record
from luoshi.lib.errors import ActionError
from luoshi.lib.text import split_names
from luoshi.org.models import User
from luoshi.work.steps import _claim_token

from .models import Problem, TaskForceMeeting
from .services import _lock


def _require_task_force_clerk(problem: Problem, by: User) -> None:
    """The office, or the lead unit that convenes the 专班, schedules its meetings and records them."""
    if not (by.is_office or (by.role == User.Role.UNIT and by.unit_id and by.unit_id == problem.lead_unit_id)):
        raise ActionError("只有督查室或牵头单位可以安排和记录专班会议。", status=403)


def task_force_members_set(*, problem: Problem, members: str, by: User) -> Problem:
    """The 专班's members, one name each; the list before and after goes on the trace."""
    _require_task_force_clerk(problem, by)
    names = split_names(members)
    if len(names) != len(set(names)):
        twice = next(name for name in names if names.count(name) > 1)
        raise ActionError(f"专班成员:“{twice}”填写了两次。")
    if any(len(name) > 50 for name in names):
        raise ActionError("专班成员:每个姓名(含职务)不超过50字,请用顿号分隔各成员。")
    with transaction.atomic():
        problem = _lock(problem)
        before = split_names(problem.task_force_members)
        if before == names:
            return problem
        problem.task_force_members = "、".join(names)
        problem.save(update_fields=["task_force_members"])
        audit_record(obj=problem, action="task_force_members", by=by, before={"专班成员": "、".join(before) or "—"},
                     after={"专班成员": problem.task_force_members or "—"})  # fmt: skip
    return problem


def task_force_meeting_schedule(
    *, problem: Problem, day: date, topic: str, by: User, start: time | None = None, place: str = "",
    token: str | None = None,
) -> TaskForceMeeting:  # fmt: skip
    """Put a 专班 meeting on the calendar: today or later, on an open problem, with its topic."""
    _require_task_force_clerk(problem, by)
    if not topic.strip():
        raise ActionError("专班会议:请填写议题。")
    if day < timezone.localdate():
        raise ActionError(f"专班会议:会议日期 {day:%Y-%m-%d} 已过。已开过的会议请直接“补录会议”。")
    with transaction.atomic():
        _claim_token(token, by)
        problem = _lock(problem)
        if problem.is_closed:
            raise ActionError(f"该问题已{problem.get_status_display()},不再安排专班会议。", status=409)
        meeting = TaskForceMeeting.objects.create(
            problem=problem, day=day, start=start, place=place.strip()[:100], topic=topic.strip()[:300], created_by=by
        )
        audit_record(obj=problem, action="task_force_schedule", by=by, after=_meeting_facts(meeting))
    return meeting


def _meeting_facts(meeting: TaskForceMeeting) -> dict:
    when = f"{meeting.day:%Y-%m-%d}" + (f" {meeting.start:%H:%M}" if meeting.start else "")
    return {"会议时间": when, "地点": meeting.place or "—", "议题": meeting.topic}


def _attendance(problem: Problem, attendees: Sequence[str], absent_reasons: dict[str, str]):
    """(attendees, absent with reasons): every member not present is absent, and a reason is kept if given."""
    present = list(dict.fromkeys(name.strip() for name in attendees if name.strip()))
    if not present:
        raise ActionError("专班会议:请勾选或填写出席人员。")
    members = split_names(problem.task_force_members)
    unknown = [name for name in absent_reasons if name not in members]
    if unknown:
        raise ActionError(f"专班会议:缺席原因中的“{unknown[0]}”不是专班成员,请核对姓名。")
    both = [name for name in absent_reasons if name in present]
    if both:
        raise ActionError(f"专班会议:“{both[0]}”已列为出席,不能同时填写缺席原因。")
    absent = [{"name": name, "reason": absent_reasons.get(name, "").strip()} for name in members if name not in present]
    return present, absent


def task_force_meeting_record(
    *, meeting: TaskForceMeeting, attendees: Sequence[str], minutes: str, by: User,
    absent_reasons: dict[str, str] | None = None,
) -> TaskForceMeeting:  # fmt: skip
    """Record a planned meeting as held: its minutes and attendance. Once held it is not rewritten."""
    _require_task_force_clerk(meeting.problem, by)
    if not minutes.strip():
        raise ActionError("专班会议:请填写会议纪要(研究了什么、议定了什么)。")
    with transaction.atomic():
        meeting = TaskForceMeeting.objects.select_for_update().select_related("problem").get(pk=meeting.pk)
        if meeting.status != TaskForceMeeting.Status.PLANNED:
            raise ActionError(f"该专班会议{meeting.get_status_display()},不能再记录。", status=409)
        if meeting.day > timezone.localdate():
            raise ActionError(f"该专班会议定于 {meeting.day:%Y-%m-%d} 召开,开会后再记录纪要。")
        present, absent = _attendance(meeting.problem, attendees, absent_reasons or {})
        meeting.attendees, meeting.absent, meeting.minutes = present, absent, minutes.strip()
        meeting.status, meeting.recorded_by = TaskForceMeeting.Status.HELD, by
        meeting.save(update_fields=["attendees", "absent", "minutes", "status", "recorded_by"])
        audit_record(
            obj=meeting.problem, action="task_force_held", by=by, note=meeting.minutes,
            after={**_meeting_facts(meeting), "出席": "、".join(present),
                   "缺席": "、".join(f"{a['name']}({a['reason']})" if a["reason"] else a["name"] for a in absent) or "无"},
        )  # fmt: skip
    return meeting


def task_force_meeting_add_held(
    *, problem: Problem, day: date, topic: str, attendees: Sequence[str], minutes: str, by: User,
    start: time | None = None, place: str = "", absent_reasons: dict[str, str] | None = None,
    token: str | None = None,
) -> TaskForceMeeting:  # fmt: skip
    """补录: a meeting already held, entered with its minutes in one step."""
    _require_task_force_clerk(problem, by)
    if day > timezone.localdate():
        raise ActionError(f"补录专班会议:会议日期 {day:%Y-%m-%d} 晚于今天,尚未召开的会议请“安排会议”。")
    if not topic.strip():
        raise ActionError("专班会议:请填写议题。")
    if not minutes.strip():
        raise ActionError("专班会议:请填写会议纪要(研究了什么、议定了什么)。")
    with transaction.atomic():
        _claim_token(token, by)
        problem = _lock(problem)
        present, absent = _attendance(problem, attendees, absent_reasons or {})
        meeting = TaskForceMeeting.objects.create(
            problem=problem, day=day, start=start, place=place.strip()[:100], topic=topic.strip()[:300],
            status=TaskForceMeeting.Status.HELD, attendees=present, absent=absent, minutes=minutes.strip(),
            created_by=by, recorded_by=by,
        )  # fmt: skip
        audit_record(
            obj=problem, action="task_force_held", by=by, note=meeting.minutes,
            after={**_meeting_facts(meeting), "出席": "、".join(present),
                   "缺席": "、".join(a["name"] for a in absent) or "无"},
        )  # fmt: skip
    return meeting


def task_force_meeting_move(
    *, meeting: TaskForceMeeting, day: date, by: User, reason: str, start: time | None = None, place: str | None = None
) -> TaskForceMeeting:
    """Move a planned meeting to another day (and time or place), with the reason; before and after are traced."""
    _require_task_force_clerk(meeting.problem, by)
    if not reason.strip():
        raise ActionError("调整专班会议:请写明调整理由。")
    if day < timezone.localdate():
        raise ActionError(f"调整专班会议:新的日期 {day:%Y-%m-%d} 已过。")
    with transaction.atomic():
        meeting = TaskForceMeeting.objects.select_for_update().select_related("problem").get(pk=meeting.pk)
        if meeting.status != TaskForceMeeting.Status.PLANNED:
            raise ActionError(f"该专班会议{meeting.get_status_display()},不能调整。", status=409)
        before = _meeting_facts(meeting)
        meeting.day, meeting.start = day, start
        if place is not None:
            meeting.place = place.strip()[:100]
        meeting.save(update_fields=["day", "start", "place"])
        audit_record(obj=meeting.problem, action="task_force_move", by=by, note=reason.strip(), before=before,
                     after=_meeting_facts(meeting))  # fmt: skip
    return meeting


def task_force_meeting_cancel(*, meeting: TaskForceMeeting, reason: str, by: User) -> TaskForceMeeting:
    _require_task_force_clerk(meeting.problem, by)
    if not reason.strip():
        raise ActionError("取消专班会议:请写明取消理由。")
    with transaction.atomic():
        meeting = TaskForceMeeting.objects.select_for_update().select_related("problem").get(pk=meeting.pk)
        if meeting.status != TaskForceMeeting.Status.PLANNED:
            raise ActionError(f"该专班会议{meeting.get_status_display()},不能取消。", status=409)
        meeting.status, meeting.cancel_reason = TaskForceMeeting.Status.CANCELLED, reason.strip()
        meeting.save(update_fields=["status", "cancel_reason"])
        audit_record(obj=meeting.problem, action="task_force_cancel", by=by, note=meeting.cancel_reason,
                     before=_meeting_facts(meeting))  # fmt: skip
    return meeting
