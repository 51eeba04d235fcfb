"""专班: members, meetings scheduled, held with minutes and attendance, moved or cancelled; the calendar and iCal."""

from datetime import date, time

import pytest
from icalendar import Calendar

from luoshi.audit.models import AuditEntry
from luoshi.lib.errors import ActionError, AlreadySubmitted
from luoshi.problems.models import TaskForceMeeting
from luoshi.problems.services import problem_close
from luoshi.problems.taskforce import (
    task_force_meeting_add_held,
    task_force_meeting_cancel,
    task_force_meeting_move,
    task_force_meeting_record,
    task_force_meeting_schedule,
    task_force_members_set,
)

MONDAY = date(2026, 3, 16)
MEMBERS = "王局长(自然资源局)、李主任(信访局)、赵科长(财政局)"


@pytest.fixture
def staffed(problem, personas):
    return task_force_members_set(problem=problem, members=MEMBERS, by=personas.office)


def _schedule(problem, by, day=date(2026, 3, 18), **extra):
    return task_force_meeting_schedule(problem=problem, day=day, topic="研究分割办证方案", by=by, **extra)


def test_members_are_set_from_a_list_and_the_change_is_traced(staffed, personas):
    assert staffed.task_force_members == MEMBERS
    entry = AuditEntry.objects.for_object(staffed).get(action="task_force_members")
    assert entry.before == {"专班成员": "—"} and entry.after == {"专班成员": MEMBERS}
    with pytest.raises(ActionError, match="“李主任\\(信访局\\)”填写了两次"):
        task_force_members_set(problem=staffed, members=MEMBERS + "、李主任(信访局)", by=personas.office)


def test_the_lead_unit_runs_its_task_force_and_others_may_not(staffed, personas):
    meeting = _schedule(staffed, personas.liaison, start=time(15, 0), place="县政府3楼会议室")
    assert (meeting.created_by, meeting.status) == (personas.liaison, TaskForceMeeting.Status.PLANNED)
    for who in (personas.leader, personas.outsider):
        with pytest.raises(ActionError, match="只有督查室或牵头单位"):
            _schedule(staffed, who)


def test_a_meeting_in_the_past_cannot_be_scheduled_and_a_future_one_cannot_be_recorded(staffed, personas, clock):
    with pytest.raises(ActionError, match="2026-03-13 已过。已开过的会议请直接“补录会议”"):
        _schedule(staffed, personas.office, day=date(2026, 3, 13))
    meeting = _schedule(staffed, personas.office)
    with pytest.raises(ActionError, match="定于 2026-03-18 召开,开会后再记录纪要"):
        task_force_meeting_record(meeting=meeting, attendees=["王局长(自然资源局)"], minutes="议定……",
                                  by=personas.office)  # fmt: skip


def test_recording_a_meeting_keeps_who_came_who_did_not_and_why(staffed, personas, clock):
    meeting = _schedule(staffed, personas.office)
    clock(date(2026, 3, 18), hour=17)
    task_force_meeting_record(
        meeting=meeting, attendees=["王局长(自然资源局)", "赵科长(财政局)", "张律师"],
        absent_reasons={"李主任(信访局)": "赴省接访"}, minutes="议定:先行分割办证,财政局测算垫付资金。",
        by=personas.office,
    )  # fmt: skip
    meeting.refresh_from_db()
    assert meeting.status == TaskForceMeeting.Status.HELD
    assert meeting.attendees == ["王局长(自然资源局)", "赵科长(财政局)", "张律师"]
    assert meeting.absent == [{"name": "李主任(信访局)", "reason": "赴省接访"}]
    assert meeting.attendance == "出席 3 人,缺席 1 人"
    entry = AuditEntry.objects.for_object(staffed).get(action="task_force_held")
    assert entry.after["缺席"] == "李主任(信访局)(赴省接访)" and "先行分割办证" in entry.note
    with pytest.raises(ActionError, match="已召开,不能再记录"):
        task_force_meeting_record(meeting=meeting, attendees=["王局长(自然资源局)"], minutes="改写", by=personas.office)


def test_a_record_without_attendees_or_minutes_or_with_a_stranger_absent_is_refused(staffed, personas):
    meeting = _schedule(staffed, personas.office, day=MONDAY)
    cases = [
        ({"attendees": [], "minutes": "议定"}, "请勾选或填写出席人员"),
        ({"attendees": ["王局长(自然资源局)"], "minutes": "  "}, "请填写会议纪要"),
        ({"attendees": ["王局长(自然资源局)"], "minutes": "议定", "absent_reasons": {"孙某": "出差"}},
         "“孙某”不是专班成员"),
        ({"attendees": ["王局长(自然资源局)"], "minutes": "议定", "absent_reasons": {"王局长(自然资源局)": "出差"}},
         "已列为出席"),
    ]  # fmt: skip
    for values, message in cases:
        with pytest.raises(ActionError, match=message):
            task_force_meeting_record(meeting=meeting, by=personas.office, **values)
    meeting.refresh_from_db()
    assert meeting.status == TaskForceMeeting.Status.PLANNED


def test_moving_and_cancelling_a_meeting_need_a_reason_and_are_traced(staffed, personas):
    meeting = _schedule(staffed, personas.office)
    with pytest.raises(ActionError, match="请写明调整理由"):
        task_force_meeting_move(meeting=meeting, day=date(2026, 3, 20), reason="", by=personas.office)
    task_force_meeting_move(meeting=meeting, day=date(2026, 3, 20), start=time(9, 30), reason="与常务会冲突",
                            by=personas.office)  # fmt: skip
    entry = AuditEntry.objects.for_object(staffed).get(action="task_force_move")
    assert entry.before["会议时间"] == "2026-03-18" and entry.after["会议时间"] == "2026-03-20 09:30"
    with pytest.raises(ActionError, match="请写明取消理由"):
        task_force_meeting_cancel(meeting=meeting, reason=" ", by=personas.office)
    task_force_meeting_cancel(meeting=meeting, reason="当事人已达成和解", by=personas.office)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == (TaskForceMeeting.Status.CANCELLED, "当事人已达成和解")
    with pytest.raises(ActionError, match="已取消,不能调整"):
        task_force_meeting_move(meeting=meeting, day=date(2026, 3, 25), reason="再开", by=personas.office)


def test_a_held_meeting_is_entered_afterwards_once_even_if_submitted_twice(staffed, personas):
    values = {"problem": staffed, "day": date(2026, 3, 10), "topic": "摸清底数", "attendees": ["王局长(自然资源局)"],
              "minutes": "摸清3000户底数", "by": personas.office, "token": "t-1"}  # fmt: skip
    task_force_meeting_add_held(**values)
    with pytest.raises(AlreadySubmitted):
        task_force_meeting_add_held(**values)
    assert TaskForceMeeting.objects.count() == 1
    with pytest.raises(ActionError, match="晚于今天"):
        task_force_meeting_add_held(**{**values, "day": date(2026, 3, 17), "token": "t-2"})


def test_a_closed_problem_gets_no_new_meetings(staffed, personas):
    problem_close(problem=staffed, resolved=True, reason="", by=personas.office)
    with pytest.raises(ActionError, match="不再安排专班会议"):
        _schedule(staffed, personas.office)


# --- Pages ---------------------------------------------------------------------------


def test_the_lead_unit_schedules_and_records_from_the_page(client, staffed, personas, clock):
    client.force_login(personas.liaison)
    url = f"/problems/{staffed.pk}/task-force/"
    response = client.post(url + "schedule/", {"day": "2026-03-16", "start": "15:00", "place": "县政府3楼会议室",
                                                "topic": "研究分割办证方案", "token": "a"})  # fmt: skip
    assert response.status_code == 302
    meeting = TaskForceMeeting.objects.get()
    page = client.get(url).content.decode()
    assert "研究分割办证方案" in page and "县政府3楼会议室" in page and "记录纪要和出席" in page
    client.post(f"/problems/task-force/meetings/{meeting.pk}/record/", {
        "attendees": ["王局长(自然资源局)", "赵科长(财政局)"], "others": "张律师",
        "absent_reasons": "李主任(信访局)|赴省接访", "minutes": "议定先行分割办证",
    })  # fmt: skip
    meeting.refresh_from_db()
    assert meeting.attendees == ["王局长(自然资源局)", "赵科长(财政局)", "张律师"]
    page = client.get(url).content.decode()
    assert "出席 3 人,缺席 1 人" in page and "李主任(信访局)(赴省接访)" in page
    detail = client.get(f"/problems/{staffed.pk}/").content.decode()
    assert "专班会议(1 次已召开)" in detail


def test_a_leader_reads_the_task_force_but_cannot_act_and_another_unit_gets_404(client, staffed, personas):
    meeting = _schedule(staffed, personas.office)
    url = f"/problems/{staffed.pk}/task-force/"
    client.force_login(personas.leader)
    page = client.get(url).content.decode()
    assert "研究分割办证方案" in page and "安排专班会议" not in page
    assert client.post(url + "schedule/", {"day": "2026-03-20", "topic": "x"}).status_code == 404
    assert client.post(f"/problems/task-force/meetings/{meeting.pk}/cancel/", {"reason": "x"}).status_code == 404
    client.force_login(personas.outsider)
    for path in (url, f"/problems/{staffed.pk}/task-force.ics"):
        assert client.get(path).status_code == 404
    assert client.post(f"/problems/task-force/meetings/{meeting.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert "研究分割办证方案" not in client.get("/problems/task-force/").content.decode()
    assert b"task-force" not in client.get("/problems/task-force.ics").content
    meeting.refresh_from_db()
    assert meeting.status == TaskForceMeeting.Status.PLANNED


def test_a_bad_form_is_refused_in_chinese(client, staffed, personas):
    client.force_login(personas.office)
    response = client.post(f"/problems/{staffed.pk}/task-force/schedule/", {"day": "2026-02-30", "topic": "议题"},
                           follow=True)  # fmt: skip
    assert "会议日期" in response.content.decode() and not TaskForceMeeting.objects.exists()
    response = client.get("/problems/task-force/", {"month": "2026-13"})
    assert "应写成 2026-04 这样的格式" in response.content.decode()


def test_the_calendar_lists_the_months_meetings_and_the_ical_file_imports(client, staffed, personas):
    _schedule(staffed, personas.office, start=time(15, 0), place="县政府3楼会议室")
    _schedule(staffed, personas.office, day=date(2026, 4, 2))
    client.force_login(personas.leader)
    page = client.get("/problems/task-force/").content.decode()
    assert "2026年3月" in page and page.count("研究分割办证方案") == 3  # upcoming twice, March once
    april = client.get("/problems/task-force/", {"month": "2026-04"}).content.decode()
    assert "2026-04-02" in april and "2026-03-18" not in april.split("2026年4月")[1]
    response = client.get("/problems/task-force.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    timed = next(e for e in events if e.get("location"))
    assert str(timed.get("summary")) == "【专班】城南安置小区办证难:研究分割办证方案"
    assert timed.decoded("dtstart").isoformat() == "2026-03-18T15:00:00+08:00"
    assert str(timed.get("location")) == "县政府3楼会议室"
    all_day = next(e for e in events if not e.get("location"))
    assert all_day.decoded("dtstart") == date(2026, 4, 2)


def test_the_api_gives_the_task_force_to_those_who_see_the_problem(client, staffed, personas):
    meeting = _schedule(staffed, personas.office, day=MONDAY, start=time(15, 0))
    task_force_meeting_record(meeting=meeting, attendees=["王局长(自然资源局)"], minutes="议定先行分割办证",
                              absent_reasons={"赵科长(财政局)": "出差"}, by=personas.office)  # fmt: skip
    client.force_login(personas.leader)
    body = client.get(f"/api/problems/{staffed.pk}").json()
    assert body["task_force_members"] == ["王局长(自然资源局)", "李主任(信访局)", "赵科长(财政局)"]
    [got] = body["task_force_meetings"]
    assert (got["day"], got["start"], got["status_label"], got["minutes"]) == (
        "2026-03-16",
        "15:00",
        "已召开",
        "议定先行分割办证",
    )
    assert got["absent"] == [{"name": "李主任(信访局)", "reason": ""}, {"name": "赵科长(财政局)", "reason": "出差"}]
    client.force_login(personas.outsider)
    assert client.get(f"/api/problems/{staffed.pk}").status_code == 404


def test_a_busy_month_is_paged(client, staffed, personas, settings):
    settings.LUOSHI_PAGE_SIZE = 10
    TaskForceMeeting.objects.bulk_create(
        TaskForceMeeting(problem=staffed, day=date(2026, 3, 20), topic=f"议题{i:02d}", created_by=personas.office)
        for i in range(12)
    )
    client.force_login(personas.office)
    first = client.get("/problems/task-force/", {"month": "2026-03"}).content.decode()
    assert "第 1 / 2 页,共 12 个会议" in first and "议题09" in first.split("<h2>2026年3月</h2>")[1]
    second = client.get("/problems/task-force/", {"month": "2026-03", "page": 2}).content.decode()
    # The month's table, not the 近期待开 list above it (which lists them all: the clock is in March).
    month = second.split("<h2>2026年3月</h2>")[1]
    assert "议题11" in month and "议题00" not in month
