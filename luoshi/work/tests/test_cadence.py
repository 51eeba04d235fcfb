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
        ("weekly", 5, date(2026, 3, 20), date(2026, 3, 27)),  # strictly after: the next Friday
        ("weekly", 1, date(2026, 3, 20), date(2026, 3, 23)),
        ("monthly", 25, date(2026, 3, 25), date(2026, 4, 27)),  # 04-25 is a Saturday: moved to Monday
        ("monthly", 31, date(2026, 2, 1), date(2026, 3, 2)),  # 28 February is a Saturday: 顺延 to Monday
        ("quarterly", 0, date(2026, 3, 31), date(2026, 6, 30)),
        ("quarterly", 20, date(2026, 11, 29), date(2026, 12, 21)),  # 12-20 is a Sunday
        ("yearly", 0, date(2026, 1, 5), date(2026, 12, 31)),
        ("weekly", 5, date(2026, 9, 28), date(2026, 10, 9)),  # 10-02 is National Day: the next working day
        ("none", 0, date(2026, 3, 18), None),
    ],
)
def test_the_due_date_follows_the_cadence_on_working_days(cadence, day, after, due):
    assert report_due_after(cadence, day, after, CAL) == due


def test_an_early_report_answers_this_weeks_due_date():
    assert next_due_after_report("weekly", 5, current=date(2026, 3, 20), today=date(2026, 3, 18), cal=CAL) == date(
        2026, 3, 27
    )


def test_a_second_report_in_the_same_week_does_not_skip_the_next_week():
    assert next_due_after_report("weekly", 5, current=date(2026, 3, 27), today=date(2026, 3, 19), cal=CAL) == date(
        2026, 3, 27
    )


def test_a_late_report_leaves_this_weeks_report_due():
    assert next_due_after_report("weekly", 5, current=date(2026, 3, 13), today=date(2026, 3, 16), cal=CAL) == date(
        2026, 3, 20
    )
