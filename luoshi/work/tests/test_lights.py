"""Red, yellow and green, by each rule of ARCHITECTURE.md ("Lights").

Every check asks the four places a light comes from, which must agree:
the `with_light` annotation, the `light_q` filter, `light_counts`, and `Task.light_for`.
Time moves with time-machine and nothing else runs: a light is derived, never stored.
"""

from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from luoshi.lib import workdays
from luoshi.work import office as work_office
from luoshi.work import services
from luoshi.work.models import ClosureRequest, Light, Task

pytestmark = [pytest.mark.django_db]

TZ = ZoneInfo("Asia/Shanghai")
RED, YELLOW, GREEN, NONE = Light.RED.value, Light.YELLOW.value, Light.GREEN.value, ""


def make(personas, title="推进财政数字化改革", *, sign=True, **fields):
    fields.setdefault("lead", personas.finance)
    if not fields.get("standing"):
        fields.setdefault("deadline", date(2026, 6, 30))
    task = services.task_create(spec=services.TaskSpec(title=title, **fields), by=personas.office)
    if sign:
        services.task_sign(task=task, by=personas.liaison)
    task.refresh_from_db()
    return task


def lights(task) -> dict:
    """The task's light as each of the four places tells it."""
    t = workdays.thresholds()
    task.refresh_from_db()
    one = Task.objects.filter(pk=task.pk)
    counts = one.light_counts(t)
    return {
        "light_for": task.light_for(t),
        "with_light": one.with_light(t).get().light,
        "light_q": [light for light in Light.values if one.filter(Task.objects.light_q(light, t)).exists()],
        "light_counts": [light for light in Light.values if counts[light]],
    }


def assert_light(task, expected: str) -> None:
    listed = [expected] if expected else []
    assert lights(task) == {"light_for": expected, "with_light": expected, "light_q": listed, "light_counts": listed}


# --- Red -------------------------------------------------------------------


def test_a_task_turns_red_the_day_after_its_deadline_with_no_job_running(personas, clock):
    task = make(personas, deadline=date(2026, 3, 27))
    assert_light(task, GREEN)
    clock(date(2026, 3, 24))  # Friday 27th is the third working day from Tuesday
    assert_light(task, YELLOW)
    clock(date(2026, 3, 27), hour=23)
    assert_light(task, YELLOW)
    clock(date(2026, 3, 28), hour=0)
    assert_light(task, RED)


def test_a_report_more_than_three_working_days_late_is_red(personas, clock):
    task = make(personas, cadence="weekly", cadence_day=5)
    assert task.next_report_due == date(2026, 3, 20)
    clock(date(2026, 3, 20))
    assert_light(task, GREEN)
    clock(date(2026, 3, 23))  # one working day late
    assert_light(task, YELLOW)
    clock(date(2026, 3, 25))  # three working days late: still yellow
    assert_light(task, YELLOW)
    clock(date(2026, 3, 26))  # four: red
    assert_light(task, RED)
    services.task_report(task=task, by=personas.liaison, report=services.ReportInput(done_text="已完成系统上线"))
    assert_light(task, GREEN)


def test_the_weekend_does_not_count_towards_a_late_report(personas, clock):
    task = make(personas, cadence="weekly", cadence_day=3)  # Wednesdays
    assert task.next_report_due == date(2026, 3, 18)
    clock(date(2026, 3, 23))  # Thursday, Friday, Monday: three working days late
    assert_light(task, YELLOW)
    clock(date(2026, 3, 24))
    assert_light(task, RED)


# --- Yellow ----------------------------------------------------------------


def test_a_deadline_within_three_working_days_is_yellow(personas, clock):
    within = make(personas, "三日内到期", deadline=date(2026, 3, 19))
    beyond = make(personas, "四日后到期", deadline=date(2026, 3, 20))
    assert_light(within, YELLOW)
    assert_light(beyond, GREEN)
    clock(date(2026, 3, 17))
    assert_light(beyond, YELLOW)


def test_a_weekend_stretches_the_yellow_window(personas, clock):
    clock(date(2026, 3, 19))  # Thursday: Friday, Monday, Tuesday are the next three working days
    tuesday = make(personas, "周二到期", deadline=date(2026, 3, 24))
    wednesday = make(personas, "周三到期", deadline=date(2026, 3, 25))
    assert_light(tuesday, YELLOW)
    assert_light(wednesday, GREEN)


def test_the_national_day_holiday_stretches_the_yellow_window(personas, clock):
    clock(date(2026, 9, 30))  # the next three working days are 8, 9 and (make-up Saturday) 10 October
    on_make_up_day = make(personas, "国庆后到期", deadline=date(2026, 10, 10))
    after = make(personas, "国庆后第二周到期", deadline=date(2026, 10, 12))
    assert_light(on_make_up_day, YELLOW)
    assert_light(after, GREEN)


def test_a_late_report_is_yellow_from_the_first_day(personas, clock):
    task = make(personas, cadence="monthly", cadence_day=25)
    assert task.next_report_due == date(2026, 3, 25)
    clock(date(2026, 3, 25), hour=23)
    assert_light(task, GREEN)
    clock(date(2026, 3, 26))
    assert_light(task, YELLOW)


def test_a_task_unsigned_past_its_sign_by_date_is_yellow(personas, clock):
    task = make(personas, sign=False)
    assert task.sign_by == date(2026, 3, 18)
    clock(date(2026, 3, 18))
    assert_light(task, GREEN)
    clock(date(2026, 3, 19))
    assert_light(task, YELLOW)
    services.task_sign(task=task, by=personas.liaison)
    assert_light(task, GREEN)


def test_a_supporting_unit_that_has_not_signed_does_not_light_the_task(personas, clock):
    task = make(personas, supporting=[personas.housing])
    clock(date(2026, 3, 25))
    assert task.assignments.get(unit=personas.housing).signed_at is None
    assert_light(task, GREEN)


# --- Held, unlit and standing ---------------------------------------------


def test_a_closure_asked_before_the_deadline_holds_the_task_green_until_decided(personas, clock):
    task = make(personas, deadline=date(2026, 3, 18))
    clock(date(2026, 3, 17))
    assert_light(task, YELLOW)
    services.task_closure_ask(task=task, by=personas.liaison, summary="已全部完成")
    assert_light(task, GREEN)
    clock(date(2026, 4, 20))  # long past the deadline, and the office has not decided
    assert_light(task, GREEN)
    work_office.closure_decide(
        request=ClosureRequest.objects.get(task=task), approve=False, by=personas.office, note="缺少验收材料"
    )
    assert_light(task, RED)


def test_a_closure_asked_after_the_deadline_does_not_hold_the_task_green(personas, clock):
    task = make(personas, deadline=date(2026, 3, 18))
    clock(date(2026, 3, 19))
    services.task_closure_ask(task=task, by=personas.liaison, summary="已全部完成")
    task.refresh_from_db()
    assert task.status == Task.Status.CLOSURE_ASKED
    assert_light(task, RED)


@pytest.mark.parametrize("how", ["pause", "cancel", "done"])
def test_paused_cancelled_and_done_tasks_have_no_light(personas, clock, how):
    task = make(personas, deadline=date(2026, 3, 18), cadence="weekly")
    if how == "pause":
        work_office.task_pause(task=task, by=personas.office, reason="项目规划调整")
    elif how == "cancel":
        work_office.task_cancel(task=task, by=personas.office, reason="上级已撤销该项工作")
    else:
        request = services.task_closure_ask(task=task, by=personas.liaison, summary="已完成")
        work_office.closure_decide(request=request, approve=True, by=personas.office)
    clock(date(2026, 5, 4))  # deadline and reports far behind
    assert_light(task, NONE)
    counts = Task.objects.filter(pk=task.pk).light_counts(workdays.thresholds())
    assert counts == {"red": 0, "yellow": 0, "green": 0, "total": 1}


def test_a_standing_task_without_a_cadence_stays_green(personas, clock):
    task = make(personas, "长期坚持安全生产检查", standing=True)
    assert task.deadline is None
    assert task.next_report_due is None
    clock(date(2027, 6, 1))
    assert_light(task, GREEN)


def test_a_standing_task_is_lit_by_its_reports_only(personas, clock):
    task = make(personas, "长期坚持优化营商环境", standing=True, cadence="weekly", cadence_day=5)
    assert task.next_report_due == date(2026, 3, 20)
    assert_light(task, GREEN)
    clock(date(2026, 3, 23))
    assert_light(task, YELLOW)
    clock(date(2026, 3, 26))
    assert_light(task, RED)
    services.task_report(task=task, by=personas.liaison, report=services.ReportInput(done_text="召开专题会议"))
    assert_light(task, GREEN)


# --- All four agree on a mixed list ----------------------------------------


def test_the_annotation_the_filter_the_counts_and_the_row_agree_on_a_mixed_list(personas, clock):
    make(personas, "到期-今天后三日", deadline=date(2026, 3, 19))
    make(personas, "到期-远", deadline=date(2026, 9, 30))
    make(personas, "周报", cadence="weekly", cadence_day=1)
    make(personas, "月报", cadence="monthly", cadence_day=20, deadline=date(2026, 3, 31))
    make(personas, "未签收", sign=False, deadline=date(2026, 12, 31))
    make(personas, "长期", standing=True, cadence="weekly", cadence_day=4)
    make(personas, "长期无周期", standing=True)
    held = make(personas, "办结审核中", deadline=date(2026, 3, 27))
    services.task_closure_ask(task=held, by=personas.liaison, summary="已完成")
    paused = make(personas, "暂停", deadline=date(2026, 3, 20))
    work_office.task_pause(task=paused, by=personas.office, reason="等待上级批复")

    seen = set()
    for day in [date(2026, 3, 16), date(2026, 3, 19), date(2026, 3, 24), date(2026, 3, 27), date(2026, 4, 8)]:
        clock(day)
        t = workdays.thresholds()
        rows = list(Task.objects.with_light(t))
        annotated = Counter(row.light for row in rows)
        assert all(row.light == row.light_for(t) for row in rows), day
        counts = Task.objects.light_counts(t)
        for light in Light.values:
            assert counts[light] == annotated[light], (day, light)
            filtered = set(Task.objects.filter(Task.objects.light_q(light, t)).values_list("pk", flat=True))
            assert filtered == {row.pk for row in rows if row.light == light}, (day, light)
        assert counts["total"] == len(rows) == 9
        assert annotated[""] == 1  # the paused task
        seen |= set(annotated)
    assert seen == {RED, YELLOW, GREEN, ""}


# --- One row, without the database ------------------------------------------


T = workdays.Thresholds(today=date(2026, 3, 16), soon=date(2026, 3, 19), report_red=date(2026, 3, 11), n=3)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, GREEN),  # no deadline, no report due, no sign-by: nothing can be late
        ({"status": "assigned"}, GREEN),  # unsigned, but with no sign-by date
        ({"deadline": date(2026, 3, 15)}, RED),
        ({"deadline": date(2026, 3, 16)}, YELLOW),  # due today
        ({"deadline": date(2026, 3, 19)}, YELLOW),  # on `soon`
        ({"deadline": date(2026, 3, 20)}, GREEN),
        ({"next_report_due": date(2026, 3, 10)}, RED),  # before report_red
        ({"next_report_due": date(2026, 3, 11)}, YELLOW),  # on report_red: N working days late, not more
        ({"next_report_due": date(2026, 3, 15)}, YELLOW),
        ({"next_report_due": date(2026, 3, 16)}, GREEN),  # due today: not late yet
        ({"status": "assigned", "sign_by": date(2026, 3, 15)}, YELLOW),
        ({"status": "assigned", "sign_by": date(2026, 3, 16)}, GREEN),
        ({"status": "in_progress", "sign_by": date(2026, 3, 1)}, GREEN),  # signed: the sign-by date is spent
        ({"status": "closure_asked", "held_green": True, "deadline": date(2026, 3, 1)}, GREEN),
        ({"status": "returned", "deadline": date(2026, 3, 1)}, RED),
        ({"status": "extension_asked", "deadline": date(2026, 3, 17)}, YELLOW),
        ({"status": "paused", "deadline": date(2026, 3, 1)}, NONE),
        ({"status": "done", "deadline": date(2026, 3, 1)}, NONE),
        ({"status": "cancelled", "next_report_due": date(2026, 3, 1)}, NONE),
    ],
)
def test_one_rows_light_on_each_side_of_each_edge(fields, expected):
    fields = {"status": "in_progress", **fields}
    assert Task(**fields).light_for(T) == expected


def test_an_unknown_light_is_refused():
    with pytest.raises(ValueError, match="blue"):
        Task.objects.light_q("blue", T)
