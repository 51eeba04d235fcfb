"""The scheduler (倒排工期) on its own: dates on the county calendar, slack, buffer, front-loading, refusals."""

from datetime import date, timedelta

import pytest

from luoshi.lib.errors import ActionError
from luoshi.lib.workdays import Calendar
from luoshi.plans.scheduling import FS, SS, schedule

# National Day 2026 as the county might enter it: Oct 1-7 off, Saturday Oct 10 worked (调休).
HOLIDAYS = {date(2026, 10, 1) + timedelta(days=i) for i in range(7)}
CAL = Calendar(HOLIDAYS, {date(2026, 10, 10)})


def run(durations, deps, *, deadline=date(2026, 10, 16), start=date(2026, 9, 1), **kw):
    names = [chr(ord("A") + i) for i in range(len(durations))]
    return schedule(durations=durations, deps=deps, cal=CAL, start=start, deadline=deadline, names=names, **kw)


def dates(s, i, *, latest=True):
    if latest:
        return s.start_date(s.ls[i]), s.end_date(s.lf[i])
    return s.start_date(s.es[i]), s.end_date(s.ef[i])


def test_it_schedules_backward_over_the_holiday_and_onto_the_make_up_saturday():
    s = run([3, 2], [(0, 1, FS, 1)])
    assert dates(s, 1) == (date(2026, 10, 15), date(2026, 10, 16))
    # Oct 14 is the lag; A takes Oct 13, 12 and the worked Saturday Oct 10.
    assert dates(s, 0) == (date(2026, 10, 10), date(2026, 10, 13))


def test_it_schedules_forward_from_the_start_for_the_earliest_dates():
    s = run([3, 2], [(0, 1, FS, 1)], start=date(2026, 9, 29))
    # Sep 29, 30, then the holiday: Oct 8 is the next working day.
    assert dates(s, 0, latest=False) == (date(2026, 9, 29), date(2026, 10, 8))
    assert dates(s, 1, latest=False) == (date(2026, 10, 10), date(2026, 10, 12))
    assert s.end_date(max(s.ef)) == date(2026, 10, 12)
    # Oct 13..16 are left before the deadline.
    assert s.buffer == 4


def test_a_start_to_start_link_lets_steps_overlap():
    s = run([5, 3], [(0, 1, SS, 2)], start=date(2026, 9, 14))
    assert dates(s, 0, latest=False) == (date(2026, 9, 14), date(2026, 9, 18))
    assert dates(s, 1, latest=False) == (date(2026, 9, 16), date(2026, 9, 18))
    # Backward: B ends on the deadline; A starts two working days before B and ends by the deadline.
    assert dates(s, 1) == (date(2026, 10, 14), date(2026, 10, 16))
    assert dates(s, 0) == (date(2026, 10, 12), date(2026, 10, 16))


def test_the_critical_path_is_the_chain_with_the_least_slack():
    # A(5) -> C(2), B(1) -> C: A is critical, B is not.
    s = run([5, 1, 2], [(0, 2, FS, 0), (1, 2, FS, 0)], start=date(2026, 9, 14))
    assert s.critical == [True, False, True]
    assert s.slack[1] - s.slack[0] == 4


def test_the_buffer_must_be_at_least_five_working_days_or_fifteen_percent():
    # 40 working days of work from Sep 1; the deadline leaves 3 spare.
    s = run([40], [], start=date(2026, 9, 1), deadline=CAL.add(date(2026, 9, 1), 42))
    assert s.length == 40
    assert s.buffer == 3
    assert s.required_buffer == 6  # 15% of 40, rounded up
    assert s.missing_buffer == 3
    assert any("还差 3 个工作日" in w for w in s.warnings)


def test_an_unattainable_deadline_is_reported_not_refused():
    s = run([30], [], start=date(2026, 9, 1), deadline=date(2026, 9, 10))
    assert not s.attainable
    assert s.buffer < 0
    assert any("晚" in w for w in s.warnings)


def test_front_loading_share_and_the_front_load_reschedule():
    # Two independent 5-day steps in a 40-day window: as late as possible, nothing is in the first half.
    deadline = CAL.add(date(2026, 8, 3), 39)
    late = run([5, 5], [], start=date(2026, 8, 3), deadline=deadline)
    assert late.front_share == 0
    assert any("大头靠前不足" in w for w in late.warnings)
    early = run([5, 5], [], start=date(2026, 8, 3), deadline=deadline, front_load=True)
    assert early.front_share == 1
    assert not any("大头靠前" in w for w in early.warnings)


def test_weights_count_instead_of_durations():
    deadline = CAL.add(date(2026, 8, 3), 19)
    # A (first half) is light, B (second half) heavy.
    s = run([10, 10], [(0, 1, FS, 0)], start=date(2026, 8, 3), deadline=deadline, weights=[1, 3])
    assert s.front_share == pytest.approx(0.25)


def test_a_late_start_is_red_and_an_actual_finish_moves_the_rest():
    start = date(2026, 9, 1)
    s = run([3, 2], [(0, 1, FS, 0)], start=start, deadline=date(2026, 9, 8), today=date(2026, 9, 4))
    assert s.late == [True, False]
    # A finished on Sep 7, late: B can only start Sep 8 and ends Sep 9, past the deadline.
    moved = run(
        [3, 2], [(0, 1, FS, 0)], start=start, deadline=date(2026, 9, 8), today=date(2026, 9, 7),
        actual_start={0: date(2026, 9, 2)}, actual_finish={0: date(2026, 9, 7)},
    )  # fmt: skip
    assert moved.late == [False, False]
    assert dates(moved, 0, latest=False) == (date(2026, 9, 2), date(2026, 9, 7))
    assert dates(moved, 1, latest=False) == (date(2026, 9, 8), date(2026, 9, 9))
    assert moved.buffer == -1


def test_a_cycle_is_refused_naming_its_steps():
    with pytest.raises(ActionError) as caught:
        run([1, 1, 1, 1], [(0, 1, FS, 0), (1, 2, FS, 0), (2, 3, FS, 0), (3, 1, FS, 0)])
    assert "“B” → “C” → “D” → “B”" in caught.value.message


def test_a_duration_of_zero_is_refused():
    with pytest.raises(ActionError) as caught:
        run([2, 0], [])
    assert "“B”的工期应为正数" in caught.value.message


def test_a_lead_that_reaches_before_the_project_start_is_refused():
    with pytest.raises(ActionError) as caught:
        run([2, 3], [(0, 1, SS, -1)])
    assert "“B”与前置步骤“A”" in caught.value.message
    # A lead that stays inside the project is fine.
    s = run([5, 3], [(0, 1, FS, -2)], start=date(2026, 9, 14))
    assert s.start_date(s.es[1]) == date(2026, 9, 17)


def test_a_step_started_and_not_finished_holds_its_successors_until_after_today():
    # A (3 days) started Sep 1 and is still running on Sep 10: B can start Sep 11 at the earliest.
    s = run(
        [3, 2], [(0, 1, FS, 0)], start=date(2026, 9, 1), deadline=date(2026, 9, 30), today=date(2026, 9, 10),
        actual_start={0: date(2026, 9, 1)},
    )  # fmt: skip
    assert dates(s, 0, latest=False) == (date(2026, 9, 1), date(2026, 9, 10))
    assert dates(s, 1, latest=False) == (date(2026, 9, 11), date(2026, 9, 14))
    assert s.late == [False, False]


def test_a_step_done_before_the_planned_start_keeps_its_real_dates():
    # Planned from Mon 12 Oct; A was in fact done Wed 30 Sep – Fri 9 Oct, across the holiday.
    s = run(
        [3, 2], [(0, 1, FS, 0)], start=date(2026, 10, 12), deadline=date(2026, 10, 30), today=date(2026, 10, 12),
        actual_start={0: date(2026, 9, 30)}, actual_finish={0: date(2026, 10, 9)},
    )  # fmt: skip
    assert dates(s, 0, latest=False) == (date(2026, 9, 30), date(2026, 10, 9))
    assert dates(s, 1, latest=False) == (date(2026, 10, 12), date(2026, 10, 13))
