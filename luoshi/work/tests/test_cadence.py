"""Report due dates: by cadence, moved off holidays, and advanced once per period."""

from datetime import date

import pytest

from luoshi.lib.workdays import Calendar
from luoshi.work.cadence import next_due_after_report, report_due_after

# 2026-10-01..08 National Day; 2026-10-10 (Saturday) a make-up workday, as chinese-calendar has it.
CAL = Calendar(holidays={date(2026, 10, d) for d in range(1, 9)}, workdays={date(2026, 10, 10)})


@pytest.mark.parametrize(
    ("cadence", "day", "after", "due"),
    [
        ("weekly", 5, date(2026, 3, 18), date(2026, 3, 20)),  # Wednesday → that Friday
        ("weekly", 5, date(2026, 3, 19), date(2026, 3, 20)),  # the day before → the next day
        ("weekly", 5, date(2026, 3, 20), date(2026, 3, 27)),  # strictly after: the next Friday
        ("weekly", 5, date(2026, 3, 21), date(2026, 3, 27)),
        ("weekly", 1, date(2026, 3, 20), date(2026, 3, 23)),
        ("weekly", 7, date(2026, 3, 18), date(2026, 3, 23)),  # Sunday 22nd → Monday
        ("weekly", 6, date(2026, 10, 5), date(2026, 10, 10)),  # a 调休 Saturday is a working day: not moved
        ("monthly", 25, date(2026, 3, 24), date(2026, 3, 25)),
        ("monthly", 25, date(2026, 3, 25), date(2026, 4, 27)),  # 04-25 is a Saturday: moved to Monday
        ("monthly", 31, date(2026, 2, 1), date(2026, 3, 2)),  # 28 February is a Saturday: 顺延 to Monday
        ("monthly", 31, date(2026, 4, 1), date(2026, 4, 30)),  # April has no 31st: its last day
        ("monthly", 31, date(2028, 2, 1), date(2028, 2, 29)),  # a leap year's February
        ("monthly", 10, date(2026, 10, 1), date(2026, 10, 10)),  # the make-up Saturday
        ("monthly", 10, date(2026, 1, 1), date(2026, 1, 12)),  # an ordinary Saturday: moved to Monday
        ("monthly", 25, date(2026, 12, 25), date(2027, 1, 25)),  # the year end
        ("monthly", 25, date(2026, 11, 25), date(2026, 12, 25)),
        ("quarterly", 0, date(2026, 1, 15), date(2026, 3, 31)),
        ("quarterly", 0, date(2026, 3, 15), date(2026, 3, 31)),  # this quarter's end, not the next one's
        ("quarterly", 0, date(2026, 3, 31), date(2026, 6, 30)),
        ("quarterly", 0, date(2026, 4, 1), date(2026, 6, 30)),
        ("quarterly", 0, date(2026, 12, 31), date(2027, 3, 31)),  # Q4 → next year's Q1
        ("quarterly", 0, date(2026, 9, 30), date(2026, 12, 31)),
        ("quarterly", 20, date(2026, 11, 29), date(2026, 12, 21)),  # 12-20 is a Sunday
        ("quarterly", 20, date(2026, 12, 21), date(2027, 3, 22)),  # 2027-03-20 is a Saturday
        ("quarterly", 20, date(2026, 3, 19), date(2026, 3, 20)),
        ("yearly", 0, date(2026, 1, 5), date(2026, 12, 31)),
        ("yearly", 0, date(2026, 12, 30), date(2026, 12, 31)),
        ("yearly", 0, date(2026, 12, 31), date(2027, 12, 31)),  # the yearly rollover
        ("yearly", 15, date(2026, 12, 15), date(2027, 12, 15)),
        ("yearly", 15, date(2026, 12, 14), date(2026, 12, 15)),
        ("weekly", 5, date(2026, 9, 28), date(2026, 10, 9)),  # 10-02 is National Day: the next working day
        ("none", 0, date(2026, 3, 18), None),
    ],
)
def test_the_due_date_follows_the_cadence_on_working_days(cadence, day, after, due):
    assert report_due_after(cadence, day, after, CAL) == due


@pytest.mark.parametrize(
    ("cadence", "after", "due"),
    [
        ("weekly", date(2026, 3, 16), date(2026, 3, 20)),  # no day given: Friday
        ("weekly", date(2026, 3, 20), date(2026, 3, 27)),
        ("monthly", date(2026, 3, 16), date(2026, 3, 25)),  # no day given: the 25th
        ("monthly", date(2026, 3, 25), date(2026, 4, 27)),
        ("monthly", date(2026, 12, 25), date(2027, 1, 25)),
        ("quarterly", date(2026, 5, 3), date(2026, 6, 30)),  # no day given: the quarter's last day
        ("yearly", date(2026, 5, 3), date(2026, 12, 31)),  # no day given: 31 December
    ],
)
def test_a_cadence_without_a_day_uses_friday_the_25th_or_the_last_day(cadence, after, due):
    assert report_due_after(cadence, 0, after, CAL) == due


def test_an_early_report_answers_this_weeks_due_date():
    assert next_due_after_report("weekly", 5, current=date(2026, 3, 20), today=date(2026, 3, 18), cal=CAL) == date(
        2026, 3, 27
    )


def test_a_second_report_in_the_same_week_does_not_skip_the_next_week():
    # The first report on the 18th set the next due date to the 27th; a second one leaves it there.
    assert next_due_after_report("weekly", 5, current=date(2026, 3, 27), today=date(2026, 3, 19), cal=CAL) == date(
        2026, 3, 27
    )
    # Two periods ahead the guard is what decides: advancing from this week's due date would pull it back.
    assert next_due_after_report("weekly", 5, current=date(2026, 4, 3), today=date(2026, 3, 19), cal=CAL) == date(
        2026, 4, 3
    )
    assert next_due_after_report("monthly", 25, current=date(2026, 5, 25), today=date(2026, 4, 26), cal=CAL) == date(
        2026, 5, 25
    )


def test_an_early_report_for_a_monday_due_date_answers_next_mondays():
    assert next_due_after_report("weekly", 1, current=date(2026, 3, 23), today=date(2026, 3, 17), cal=CAL) == date(
        2026, 3, 30
    )


def test_a_report_on_a_due_date_left_from_another_cadence_answers_the_period_in_progress():
    # The cadence changed from Wednesdays to Fridays; the report on Wednesday answers this Friday's.
    assert next_due_after_report("weekly", 5, current=date(2026, 3, 18), today=date(2026, 3, 18), cal=CAL) == date(
        2026, 3, 27
    )


def test_after_a_week_long_holiday_two_due_dates_a_day_apart_are_two_periods():
    # chinese-calendar's 2026 National Day: 1-7 October off, Thursday the 8th a working day. Friday 2 October's
    # report moves to the 8th; Friday the 9th is the next week's own due date, not skipped.
    national_day = Calendar(holidays={date(2026, 10, d) for d in range(1, 8)}, workdays={date(2026, 10, 10)})
    assert report_due_after("weekly", 5, date(2026, 9, 25), national_day) == date(2026, 10, 8)
    assert next_due_after_report(
        "weekly", 5, current=date(2026, 10, 8), today=date(2026, 10, 8), cal=national_day
    ) == date(2026, 10, 9)


def test_a_late_report_leaves_this_weeks_report_due():
    assert next_due_after_report("weekly", 5, current=date(2026, 3, 13), today=date(2026, 3, 16), cal=CAL) == date(
        2026, 3, 20
    )


def test_a_late_report_made_on_this_weeks_due_date_answers_it_too():
    assert next_due_after_report("weekly", 5, current=date(2026, 3, 13), today=date(2026, 3, 20), cal=CAL) == date(
        2026, 3, 27
    )


def test_a_first_report_with_no_due_date_yet_gets_the_next_one():
    assert next_due_after_report("monthly", 25, current=None, today=date(2026, 3, 16), cal=CAL) == date(2026, 3, 25)
    assert next_due_after_report("none", 0, current=None, today=date(2026, 3, 16), cal=CAL) is None


# --- Reports before, on and after a due day that was moved (issue 21) ----------------------------------------


@pytest.mark.parametrize(
    ("today", "next_due"),
    [
        (date(2026, 4, 23), date(2026, 5, 25)),  # before: answers the April report
        (date(2026, 4, 24), date(2026, 5, 25)),  # the Friday before the Saturday 25th
        (date(2026, 4, 25), date(2026, 5, 25)),  # the raw due day, a Saturday
        (date(2026, 4, 26), date(2026, 5, 25)),  # Sunday: the April report is still due on Monday
        (date(2026, 4, 27), date(2026, 5, 25)),  # on the moved due day
        (date(2026, 4, 28), date(2026, 5, 25)),  # a day late: answers April, May still due on the 25th
    ],
)
def test_a_monthly_due_date_moved_by_a_weekend_does_not_skip_a_month(today, next_due):
    assert report_due_after("monthly", 25, date(2026, 3, 25), CAL) == date(2026, 4, 27)
    assert next_due_after_report("monthly", 25, current=date(2026, 4, 27), today=today, cal=CAL) == next_due


@pytest.mark.parametrize(
    ("today", "next_due"),
    [
        (date(2026, 9, 30), date(2026, 10, 15)),  # before the holiday
        (date(2026, 10, 1), date(2026, 10, 15)),  # the raw due day, a holiday
        (date(2026, 10, 8), date(2026, 10, 15)),  # the next raw due day, also a holiday, in the same period
        (date(2026, 10, 9), date(2026, 10, 15)),  # on the moved due day
        (date(2026, 10, 12), date(2026, 10, 15)),  # late: this week's Thursday still due
        (date(2026, 10, 15), date(2026, 10, 22)),  # late, on this week's due day: answers it too
    ],
)
def test_a_weekly_due_date_moved_by_a_holiday_does_not_skip_a_week(today, next_due):
    # Thursdays: 1 and 8 October are holidays, so both move to Friday 9 October.
    assert report_due_after("weekly", 4, date(2026, 9, 24), CAL) == date(2026, 10, 9)
    assert next_due_after_report("weekly", 4, current=date(2026, 10, 9), today=today, cal=CAL) == next_due


@pytest.mark.parametrize(
    ("today", "next_due"),
    [
        (date(2026, 10, 9), date(2026, 11, 10)),  # before
        (date(2026, 10, 10), date(2026, 11, 10)),  # on the 调休 Saturday, a working day
        (date(2026, 10, 11), date(2026, 11, 10)),  # late, on the Sunday after
        (date(2026, 10, 12), date(2026, 11, 10)),
    ],
)
def test_a_due_date_on_a_make_up_saturday_stays_on_it(today, next_due):
    assert report_due_after("monthly", 10, date(2026, 9, 10), CAL) == date(2026, 10, 10)
    assert next_due_after_report("monthly", 10, current=date(2026, 10, 10), today=today, cal=CAL) == next_due


def test_a_weekly_saturday_due_date_stays_on_the_make_up_saturday_and_moves_off_the_others():
    assert next_due_after_report("weekly", 6, current=date(2026, 10, 10), today=date(2026, 10, 10), cal=CAL) == date(
        2026, 10, 19
    )
    assert next_due_after_report("weekly", 6, current=date(2026, 10, 19), today=date(2026, 10, 17), cal=CAL) == date(
        2026, 10, 26
    )


def test_a_quarterly_report_in_march_answers_the_first_quarter_and_rolls_over_the_year_end():
    assert next_due_after_report("quarterly", 0, current=date(2026, 3, 31), today=date(2026, 3, 15), cal=CAL) == date(
        2026, 6, 30
    )
    assert next_due_after_report("quarterly", 0, current=date(2026, 12, 31), today=date(2026, 12, 31), cal=CAL) == (
        date(2027, 3, 31)
    )
    assert next_due_after_report("yearly", 0, current=date(2026, 12, 31), today=date(2026, 12, 28), cal=CAL) == date(
        2027, 12, 31
    )
    assert next_due_after_report("monthly", 25, current=date(2026, 12, 25), today=date(2026, 12, 25), cal=CAL) == (
        date(2027, 1, 25)
    )


def test_a_late_report_on_the_weekend_before_a_moved_due_date_leaves_that_due_date():
    # March's report was missed; on Sunday 26 April April's is still due on Monday the 27th.
    assert next_due_after_report("monthly", 25, current=date(2026, 3, 25), today=date(2026, 4, 26), cal=CAL) == date(
        2026, 4, 27
    )
    assert next_due_after_report("monthly", 25, current=date(2026, 3, 25), today=date(2026, 4, 27), cal=CAL) == date(
        2026, 5, 25
    )
