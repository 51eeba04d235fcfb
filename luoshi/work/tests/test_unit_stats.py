"""The unit figures (ARCHITECTURE.md, "Unit figures"), from one constructed quarter with known tasks."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from luoshi.work import office as work_office
from luoshi.work import services
from luoshi.work.models import Task
from luoshi.work.selectors import unit_stats

pytestmark = [pytest.mark.django_db]

TZ = ZoneInfo("Asia/Shanghai")
Q1 = (date(2026, 1, 1), date(2026, 3, 31))


def assign(personas, title, deadline, *, unit=None, **fields) -> Task:
    task = services.task_create(
        spec=services.TaskSpec(title=title, lead=unit or personas.finance, deadline=deadline, **fields),
        by=personas.office,
    )
    by = personas.outsider if unit == personas.housing else personas.liaison
    services.task_sign(task=task, by=by)
    return task


def close(personas, task, clock, asked: date, approved: date) -> None:
    clock(asked)
    request = services.task_closure_ask(task=task, by=personas.liaison, summary="已完成")
    clock(approved)
    work_office.closure_decide(request=request, approve=True, by=personas.office)


def report(personas, task, clock, day: date) -> None:
    clock(day)
    services.task_report(task=task, by=personas.liaison, report=services.ReportInput(done_text="按计划推进"))


def urge(personas, tasks, clock, day: date) -> None:
    clock(day)
    work_office.task_urge(tasks=[Task.objects.get(pk=t.pk) for t in tasks], message="请加快进度", by=personas.office)


@pytest.fixture
def quarter(personas, clock):
    """A first quarter of 2026 for the finance bureau, and a little for housing.

    Finance leads:
    - F0, assigned and done in December: not live in the quarter;
    - F1, assigned 1 Dec, done 9 Jan before its deadline of 16 Jan (28 working days);
    - A, assigned 5 Jan, done 24 Feb before its deadline of 27 Feb (31 working days, across the Spring Festival);
    - B, assigned 5 Jan, done 3 Feb after its deadline of 30 Jan (21 working days);
    - C, deadline 13 March, not done: overdue;
    - D, deadline 30 June, weekly reports: one late (13 Jan), one on time; not overdue;
    - E, cancelled: not counted;
    - G, assigned in April: not counted.
    Urged in the quarter: C and D once each. Outside it: D in April, with a late report in April too.
    Housing leads H (deadline 20 March, not done: overdue) and J (deadline 31 March: not yet overdue on the 31st).
    """
    clock(date(2025, 12, 1))
    f0 = assign(personas, "F0 年终决算", date(2025, 12, 19))
    f1 = assign(personas, "F1 预算编制", date(2026, 1, 16))
    close(personas, f0, clock, date(2025, 12, 15), date(2025, 12, 16))
    close(personas, f1, clock, date(2026, 1, 9), date(2026, 1, 12))

    clock(date(2026, 1, 5))
    a = assign(personas, "A 财政数字化", date(2026, 2, 27))
    b = assign(personas, "B 债务化解", date(2026, 1, 30))
    c = assign(personas, "C 国有资产清查", date(2026, 3, 13))
    d = assign(personas, "D 直达资金监管", date(2026, 6, 30), cadence="weekly", cadence_day=5)
    e = assign(personas, "E 已撤销事项", date(2026, 6, 30))
    h = assign(personas, "H 老旧小区改造", date(2026, 3, 20), unit=personas.housing)
    assign(personas, "J 燃气管网改造", date(2026, 3, 31), unit=personas.housing)

    report(personas, d, clock, date(2026, 1, 13))  # due Friday 9 Jan: late
    report(personas, d, clock, date(2026, 1, 16))  # due Friday 16 Jan: on time
    clock(date(2026, 1, 20))
    work_office.task_cancel(task=e, by=personas.office, reason="上级已撤销该项工作")
    close(personas, b, clock, date(2026, 2, 3), date(2026, 2, 4))
    urge(personas, [c, d, h], clock, date(2026, 2, 10))
    close(personas, a, clock, date(2026, 2, 24), date(2026, 2, 25))

    clock(date(2026, 4, 2))
    assign(personas, "G 四月交办", date(2026, 6, 30))
    report(personas, d, clock, date(2026, 4, 2))  # late, but in April
    urge(personas, [d], clock, date(2026, 4, 3))
    clock(date(2026, 4, 10))
    return {"A": a, "B": b, "C": c, "D": d}


def test_the_quarters_figures_for_the_finance_bureau(personas, quarter):
    (finance,) = unit_stats([personas.finance], Q1)
    assert finance.unit == personas.finance
    assert finance.assigned == 5  # F1, A, B, C, D
    assert finance.done == 3  # F1, A, B
    assert finance.on_time == 2  # F1, A
    assert finance.overdue == 1  # C
    assert finance.reports_late == 1
    assert finance.urges == 2
    assert finance.mean_workdays == pytest.approx((28 + 31 + 21) / 3)
    assert finance.done_rate == pytest.approx(3 / 5)
    assert finance.on_time_rate == pytest.approx(2 / 3)


def test_the_working_days_to_done_are_counted_on_the_chinese_calendar(quarter):
    done = dict(Task.objects.filter(status=Task.Status.DONE).values_list("title", "workdays_to_done"))
    # From the day of assignment to the day the closure was asked, holidays out and make-up days in.
    assert done == {"F0 年终决算": 10, "F1 预算编制": 28, "A 财政数字化": 31, "B 债务化解": 21}


def test_each_unit_gets_its_own_figures_in_the_order_asked(personas, quarter):
    township, housing, finance = unit_stats([personas.township, personas.housing, personas.finance], Q1)
    assert [s.unit for s in (township, housing, finance)] == [personas.township, personas.housing, personas.finance]
    assert (housing.assigned, housing.done, housing.on_time, housing.overdue) == (2, 0, 0, 1)
    assert (housing.reports_late, housing.urges, housing.mean_workdays) == (0, 1, None)
    assert (housing.done_rate, housing.on_time_rate) == (0, None)
    assert (township.assigned, township.done, township.overdue, township.urges) == (0, 0, 0, 0)
    assert (township.done_rate, township.on_time_rate, township.mean_workdays) == (None, None, None)
    assert finance.assigned == 5


def test_april_counts_what_was_still_live_and_what_happened_in_april(personas, quarter):
    (finance,) = unit_stats([personas.finance], (date(2026, 4, 1), date(2026, 4, 30)))
    assert finance.assigned == 3  # C, D and G; the done and the cancelled are not live
    assert finance.done == 0
    assert finance.overdue == 1  # C, counted up to today (10 April), not to the end of April
    assert finance.reports_late == 1
    assert finance.urges == 1
    assert finance.mean_workdays is None


def test_overdue_in_a_period_still_running_counts_up_to_today(personas, clock):
    clock(date(2026, 3, 2))
    assign(personas, "昨日到期", date(2026, 3, 13))
    assign(personas, "今日到期", date(2026, 3, 16))
    assign(personas, "年中到期", date(2026, 6, 30))
    clock(date(2026, 3, 16))
    (finance,) = unit_stats([personas.finance], (date(2026, 1, 1), date(2026, 12, 31)))
    assert (finance.assigned, finance.overdue) == (3, 1)


def test_a_task_overdue_at_the_end_of_a_period_stays_overdue_in_it_when_done_later(personas, clock):
    clock(date(2026, 3, 2))
    task = assign(personas, "三月到期四月办结", date(2026, 3, 20))
    close(personas, task, clock, date(2026, 4, 3), date(2026, 4, 3))
    clock(date(2026, 4, 10))
    (finance,) = unit_stats([personas.finance], Q1)
    assert (finance.assigned, finance.done) == (1, 0)
    assert finance.overdue == 1
