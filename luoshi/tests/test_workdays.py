"""The working-day calendar: weekends off, holidays off, 调休 make-up days on, unknown years by weekends."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
import time_machine
from chinese_calendar import constants
from django.contrib.auth import get_user_model

from luoshi.lib import workdays
from luoshi.lib.workdays import Calendar
from luoshi.plans import services as plans_services
from luoshi.plans.models import CalendarDay

# What chinese-calendar says of 2026: Saturday 14 February is a 调休 make-up day before the Spring
# Festival; National Day runs Thursday 1 to Wednesday 7 October, made up on Saturday 10 October.
MAKE_UP_SATURDAY = date(2026, 2, 14)
NATIONAL_DAY = date(2026, 10, 1)


# The calendar as chinese-calendar has it, weekend holidays and all, built in memory: no database.
PACKAGE = Calendar(
    holidays={d for d in constants.holidays if d.year >= 2025},
    workdays={d for d in constants.workdays if d.year >= 2025},
)


@pytest.fixture
def cal(db):
    """The calendar as Luoshi reads it from its own table, seeded from chinese-calendar."""
    workdays.forget()
    yield workdays.calendar()
    workdays.forget()


def oracle_between(start, end):
    """Working days in (start, end], counted by chinese-calendar's own is_workday, one day at a time."""
    sign = 1 if end >= start else -1
    low, high = sorted([start, end])
    return sign * sum(chinese_calendar.is_workday(low + timedelta(days=i)) for i in range(1, (high - low).days + 1))


def test_the_seeded_table_agrees_with_chinese_calendar_on_every_day_of_2025_and_2026(cal):
    day = date(2025, 1, 1)
    while day.year < 2027:
        assert cal.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
    assert cal.missing_years(2025, 2026) == []


def test_a_make_up_saturday_is_a_working_day():
    cal = PACKAGE
    assert cal.is_workday(MAKE_UP_SATURDAY)
    assert cal.is_workday(date(2026, 9, 20))  # a make-up Sunday
    assert not cal.is_workday(date(2026, 2, 7))  # an ordinary Saturday


def test_a_holiday_on_a_weekday_is_not_a_working_day():
    cal = PACKAGE
    assert NATIONAL_DAY.weekday() == 3
    assert not cal.is_workday(NATIONAL_DAY)
    assert not cal.is_workday(date(2026, 10, 7))
    assert cal.is_workday(date(2026, 10, 8))


def test_it_adds_working_days_across_the_national_day_week():
    cal = PACKAGE
    assert cal.add(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert cal.add(date(2026, 9, 30), 3) == date(2026, 10, 10)  # the make-up Saturday counts
    assert cal.add(date(2026, 9, 30), 4) == date(2026, 10, 12)
    assert cal.add(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert cal.add(date(2026, 9, 30), 0) == date(2026, 9, 30)


def test_it_counts_working_days_between_dates_across_the_national_day_week():
    cal = PACKAGE
    assert cal.between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert cal.between(date(2026, 9, 28), date(2026, 10, 16)) == 2 + 3 + 5  # 29-30, 8-10, 12-16
    assert cal.between(date(2026, 10, 10), date(2026, 9, 30)) == -3
    assert cal.between(date(2026, 10, 1), date(2026, 10, 1)) == 0


@pytest.mark.parametrize("calendar", ["table", "package"])
def test_between_agrees_with_chinese_calendar_counting_day_by_day(calendar, request):
    # The package's own calendar lists holidays on weekends too (26-27 September, 3-4 October 2026): entries
    # that change nothing must count for nothing.
    cal = request.getfixturevalue("cal") if calendar == "table" else PACKAGE
    starts = [date(2025, 12, 20) + timedelta(days=i) for i in range(0, 300, 11)]
    lengths = [0, 1, 2, 5, 6, 7, 8, 13, 14, 15, 29, 45]
    for start in starts:
        for length in lengths:
            end = start + timedelta(days=length)
            expected = oracle_between(start, end)
            assert cal.between(start, end) == expected, (start, end)
            assert cal.between(end, start) == -expected, (end, start)


def test_add_and_between_are_inverse_on_working_days():
    cal = PACKAGE
    day = date(2026, 1, 5)
    for n in range(0, 60):
        assert cal.between(day, cal.add(day, n)) == n


def test_a_due_date_on_a_holiday_moves_to_the_next_working_day():
    cal = PACKAGE
    assert cal.on_or_after(NATIONAL_DAY) == date(2026, 10, 8)
    assert cal.on_or_after(date(2026, 10, 10)) == date(2026, 10, 10)


def test_between_ignores_a_holiday_on_a_weekend_and_a_make_up_day_on_a_weekday():
    # 2031 has no entries; the office enters 1 October (a Wednesday) as a holiday and, redundantly, Saturday
    # 4 October as a holiday and Monday 6 October as a make-up day; Sunday 28 September is a real make-up day.
    cal = Calendar(holidays={date(2031, 10, 1), date(2031, 10, 4)}, workdays={date(2031, 9, 28), date(2031, 10, 6)})
    plain = Calendar(holidays={date(2031, 10, 1)}, workdays={date(2031, 9, 28)})
    # 28, 29, 30 September; 2, 3 October; 6-10 October; 13-17 October.
    assert cal.between(date(2031, 9, 26), date(2031, 10, 17)) == 15
    assert cal.between(date(2031, 10, 17), date(2031, 9, 26)) == -15
    assert cal.between(date(2031, 9, 27), date(2031, 10, 4)) == 5  # exactly one week
    assert cal.between(date(2031, 9, 27), date(2031, 10, 3)) == 5
    assert cal.between(date(2031, 9, 26), date(2031, 9, 28)) == 1  # the make-up Sunday, outside whole weeks
    for start in [date(2031, 9, 20) + timedelta(days=i) for i in range(20)]:
        for length in range(0, 30):
            end = start + timedelta(days=length)
            assert cal.between(start, end) == plain.between(start, end), (start, end)


def test_a_make_up_saturday_on_the_edge_of_a_whole_week_counts_at_the_end_and_not_at_the_start():
    cal = Calendar(holidays=set(), workdays={date(2031, 10, 4)})  # Saturday 4 October 2031
    assert cal.between(date(2031, 10, 4), date(2031, 10, 11)) == 5  # after the start: Monday to Friday
    assert cal.between(date(2031, 9, 27), date(2031, 10, 4)) == 6  # up to and including the end
    assert cal.between(date(2031, 10, 4), date(2031, 10, 18)) == 10
    assert cal.between(date(2031, 9, 20), date(2031, 10, 4)) == 11


def test_add_counts_make_up_days_and_skips_holidays_in_both_directions():
    cal = PACKAGE
    assert cal.add(date(2026, 2, 13), 1) == date(2026, 2, 14)  # the make-up Saturday
    assert cal.add(date(2026, 2, 16), -1) == date(2026, 2, 14)
    assert cal.add(date(2026, 10, 12), -2) == date(2026, 10, 9)
    assert cal.add(date(2026, 10, 12), -3) == date(2026, 10, 8)
    assert cal.add(date(2026, 10, 8), -2) == date(2026, 9, 29)
    assert cal.add(date(2026, 10, 3), 0) == date(2026, 10, 3)  # zero days: the day itself, even a holiday


def test_a_due_date_moves_over_a_whole_run_of_days_off():
    cal = PACKAGE
    assert cal.on_or_after(date(2026, 9, 26)) == date(2026, 9, 28)
    assert cal.on_or_after(date(2026, 10, 3)) == date(2026, 10, 8)
    assert cal.on_or_after(date(2026, 10, 7)) == date(2026, 10, 8)
    assert cal.on_or_after(date(2026, 10, 8)) == date(2026, 10, 8)


def test_a_year_is_known_when_it_has_a_holiday_or_a_make_up_day():
    assert Calendar(holidays={date(2031, 10, 1)}, workdays=set()).missing_years(2030, 2031) == [2030]
    assert Calendar(holidays=set(), workdays={date(2032, 2, 7)}).missing_years(2031, 2032, 2033) == [2031, 2033]
    assert Calendar(holidays=set(), workdays=set()).missing_years() == []


def test_a_year_with_no_entries_counts_weekends_only_and_is_named_as_missing(cal):
    assert not CalendarDay.objects.filter(date__year=2031).exists()
    assert cal.is_workday(date(2031, 10, 1))  # a Wednesday: with no entries it is an ordinary weekday
    assert not cal.is_workday(date(2031, 10, 4))  # a Saturday
    assert cal.between(date(2031, 9, 29), date(2031, 10, 10)) == 9  # two weeks of weekdays less Monday 29th
    assert cal.add(date(2031, 10, 3), 1) == date(2031, 10, 6)
    assert cal.missing_years(2025, 2026, 2031) == [2031]


def test_an_edited_year_is_used_once_the_cache_is_forgotten(cal):
    CalendarDay.objects.create(date=date(2031, 10, 1), kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    CalendarDay.objects.create(date=date(2031, 9, 28), kind=CalendarDay.Kind.WORKDAY, name="国庆节")
    workdays.forget()
    edited = workdays.calendar()
    assert not edited.is_workday(date(2031, 10, 1))
    assert edited.is_workday(date(2031, 9, 28))  # a Sunday made a working day
    assert edited.missing_years(2031) == []
    assert edited.between(date(2031, 9, 26), date(2031, 10, 3)) == 5  # 28, 29, 30, 2, 3


def test_another_process_sees_a_holiday_edit_within_a_minute(db, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(workdays, "time", SimpleNamespace(monotonic=lambda: now[0]))
    workdays.forget()
    try:
        assert workdays.calendar().is_workday(date(2031, 10, 1))
        # Another process's edit: the row changes and this process is not told.
        CalendarDay.objects.create(date=date(2031, 10, 1), kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
        now[0] = 1059.9
        assert workdays.calendar().is_workday(date(2031, 10, 1))  # this process's copy, under a minute old
        now[0] = 1060.0
        assert not workdays.calendar().is_workday(date(2031, 10, 1))  # a minute on: read afresh
        CalendarDay.objects.filter(date=date(2031, 10, 1)).delete()
        now[0] = 1119.9
        assert not workdays.calendar().is_workday(date(2031, 10, 1))  # kept a minute from the re-read
        now[0] = 1120.0
        assert workdays.calendar().is_workday(date(2031, 10, 1))
    finally:
        workdays.forget()


def test_an_edit_through_the_office_is_seen_by_this_process_at_once(db, django_capture_on_commit_callbacks):
    User = get_user_model()
    office = User.objects.create_user(username="calendar-office", role=User.Role.OFFICE)
    workdays.forget()
    assert workdays.calendar().is_workday(date(2031, 10, 1))
    with django_capture_on_commit_callbacks(execute=True):
        plans_services.calendar_day_save(
            day=CalendarDay(date=date(2031, 10, 1), kind=CalendarDay.Kind.HOLIDAY, name="国庆节"), by=office
        )
    assert not workdays.calendar().is_workday(date(2031, 10, 1))
    workdays.forget()


def test_thresholds_put_soon_three_working_days_ahead_and_report_red_three_behind(cal, settings):
    settings.LUOSHI_WARNING_WORKDAYS = 3
    t = workdays.thresholds(date(2026, 3, 16))  # a Monday
    assert t.today == date(2026, 3, 16)
    assert t.soon == date(2026, 3, 19)
    assert t.report_red == date(2026, 3, 11)
    assert t.n == 3


def test_thresholds_skip_the_national_day_week(cal, settings):
    settings.LUOSHI_WARNING_WORKDAYS = 3
    t = workdays.thresholds(date(2026, 9, 30))
    assert t.soon == date(2026, 10, 10)
    assert workdays.thresholds(date(2026, 10, 9)).report_red == date(2026, 9, 29)


def test_thresholds_default_to_the_local_date(cal):
    # 23:30 UTC on 15 March is already 16 March in the county.
    with time_machine.travel(datetime(2026, 3, 15, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        assert workdays.thresholds().today == date(2026, 3, 16)
