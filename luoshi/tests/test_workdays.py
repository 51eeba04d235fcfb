"""The working-day calendar: weekends off, holidays off, 调休 make-up days on, unknown years by weekends."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from chinese_calendar import constants

from luoshi.lib import workdays
from luoshi.plans.models import CalendarDay

pytestmark = pytest.mark.django_db

# What chinese-calendar says of 2026: Saturday 14 February is a 调休 make-up day before the Spring
# Festival; National Day runs Thursday 1 to Wednesday 7 October, made up on Saturday 10 October.
MAKE_UP_SATURDAY = date(2026, 2, 14)
NATIONAL_DAY = date(2026, 10, 1)


@pytest.fixture
def cal():
    workdays.forget()
    yield workdays.calendar()
    workdays.forget()


def naive_between(cal, start, end):
    sign = 1 if end >= start else -1
    low, high = sorted([start, end])
    return sign * sum(cal.is_workday(low + timedelta(days=i)) for i in range(1, (high - low).days + 1))


def test_the_samples_agree_with_chinese_calendar():
    assert MAKE_UP_SATURDAY in constants.workdays
    assert MAKE_UP_SATURDAY.weekday() == 5
    assert all(NATIONAL_DAY + timedelta(days=i) in constants.holidays for i in range(7))
    assert date(2026, 10, 10) in constants.workdays


def test_a_make_up_saturday_is_a_working_day(cal):
    assert cal.is_workday(MAKE_UP_SATURDAY)
    assert cal.is_workday(date(2026, 9, 20))  # a make-up Sunday
    assert not cal.is_workday(date(2026, 2, 7))  # an ordinary Saturday


def test_a_holiday_on_a_weekday_is_not_a_working_day(cal):
    assert NATIONAL_DAY.weekday() == 3
    assert not cal.is_workday(NATIONAL_DAY)
    assert not cal.is_workday(date(2026, 10, 7))
    assert cal.is_workday(date(2026, 10, 8))


def test_it_adds_working_days_across_the_national_day_week(cal):
    assert cal.add(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert cal.add(date(2026, 9, 30), 3) == date(2026, 10, 10)  # the make-up Saturday counts
    assert cal.add(date(2026, 9, 30), 4) == date(2026, 10, 12)
    assert cal.add(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert cal.add(date(2026, 9, 30), 0) == date(2026, 9, 30)


def test_it_counts_working_days_between_dates_across_the_national_day_week(cal):
    assert cal.between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert cal.between(date(2026, 9, 28), date(2026, 10, 16)) == 2 + 3 + 5  # 29-30, 8-10, 12-16
    assert cal.between(date(2026, 10, 10), date(2026, 9, 30)) == -3
    assert cal.between(date(2026, 10, 1), date(2026, 10, 1)) == 0


def test_between_agrees_with_counting_day_by_day_over_the_whole_year(cal):
    starts = [date(2025, 12, 20) + timedelta(days=i) for i in range(0, 380, 11)]
    lengths = [0, 1, 5, 6, 7, 8, 13, 14, 15, 29, 45, 100, 200]
    for start in starts:
        for length in lengths:
            end = start + timedelta(days=length)
            assert cal.between(start, end) == naive_between(cal, start, end), (start, end)
            assert cal.add(start, cal.between(start, end)) <= end


def test_add_and_between_are_inverse_on_working_days(cal):
    day = date(2026, 1, 5)
    for n in range(0, 60):
        assert cal.between(day, cal.add(day, n)) == n


def test_a_due_date_on_a_holiday_moves_to_the_next_working_day(cal):
    assert cal.on_or_after(NATIONAL_DAY) == date(2026, 10, 8)
    assert cal.on_or_after(date(2026, 10, 10)) == date(2026, 10, 10)


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
