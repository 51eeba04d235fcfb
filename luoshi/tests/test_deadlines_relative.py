"""lib/deadlines.parse reads what a phrase leaves to the document's date: 明年, 下周五, 春节前, 汛期, 15个工作日内."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured

from luoshi.lib.deadlines import festival_date, note, parse, past_warning
from luoshi.lib.deadlines.parser import _default_workdays, _parse_text

BASE = date(2022, 3, 15)  # a Tuesday


@pytest.fixture(autouse=True)
def _read_afresh():
    _parse_text.cache_clear()  # as in test_deadlines: each test reaches the parser itself


def read(written, base=BASE):
    got = parse(written, base=base)
    assert got.ok, got.problem
    return got


RELATIVE = [
    # (as written, the date an office expects on 2022-03-15)
    ("明年3月底", date(2023, 3, 31)),
    ("次年6月", date(2023, 6, 30)),
    ("来年3月", date(2023, 3, 31)),
    ("下一年度", date(2023, 12, 31)),
    ("后年6月底", date(2024, 6, 30)),
    ("今年9月底前", date(2022, 9, 30)),
    ("本年度", date(2022, 12, 31)),
    ("当年10月", date(2022, 10, 31)),
    ("这一年年底", date(2022, 12, 31)),
    ("年度内", date(2022, 12, 31)),
    ("今明两年", date(2023, 12, 31)),
    ("本月底", date(2022, 3, 31)),
    ("当月底前", date(2022, 3, 31)),
    ("这个月底", date(2022, 3, 31)),
    ("下个月10日前", date(2022, 4, 10)),
    ("下月底", date(2022, 4, 30)),
    ("次月15日", date(2022, 4, 15)),
    ("月底前", date(2022, 3, 31)),
    ("月内", date(2022, 3, 31)),
    ("6月月底前", date(2022, 6, 30)),
    ("本季度末", date(2022, 3, 31)),
    ("当季", date(2022, 3, 31)),
    ("下季度", date(2022, 6, 30)),
    ("下一个季度末", date(2022, 6, 30)),
    ("首季度", date(2022, 3, 31)),
    ("首个季度", date(2022, 3, 31)),
    ("前两个季度", date(2022, 6, 30)),
    ("前三季度", date(2022, 9, 30)),
    ("前十一个月", date(2022, 11, 30)),
    ("2022年前8个月", date(2022, 8, 31)),
    ("2022年后三个月", date(2022, 12, 31)),
    ("2022年第8个月", date(2022, 8, 31)),
    ("今天", date(2022, 3, 15)),
    ("今日", date(2022, 3, 15)),
    ("本日", date(2022, 3, 15)),
    ("当日", date(2022, 3, 15)),
    ("明天", date(2022, 3, 16)),
    ("后天", date(2022, 3, 17)),
    ("大后天", date(2022, 3, 18)),
    ("明年初", date(2023, 2, 28)),
    ("2023年初", date(2023, 2, 28)),
    ("2023年年初", date(2023, 2, 28)),
    ("2023年伊始", date(2023, 1, 31)),
    ("2023年中", date(2023, 6, 30)),
    ("2023年年中", date(2023, 6, 30)),
    ("年中", date(2022, 6, 30)),
    ("6月中旬", date(2022, 6, 20)),
    ("2023年6月中旬", date(2023, 6, 20)),
    ("中秋前后", date(2022, 9, 10)),  # around the festival: the festival, not the day before
    ("国庆左右", date(2022, 10, 1)),
]


@pytest.mark.parametrize(("written", "day"), RELATIVE)
def test_a_relative_phrase_is_read_against_the_documents_date(written, day):
    assert read(written).date == day


@pytest.mark.parametrize(
    ("base", "day"),
    [
        (date(2022, 1, 10), date(2022, 3, 31)),
        (date(2022, 3, 31), date(2022, 3, 31)),
        (date(2022, 4, 1), date(2022, 6, 30)),
        (date(2022, 10, 1), date(2022, 12, 31)),
        (date(2022, 12, 31), date(2022, 12, 31)),
    ],
)
def test_this_quarter_is_the_documents_quarter(base, day):
    assert read("本季度末", base).date == day


def test_the_next_quarter_and_month_of_a_december_document_are_next_years():
    december = date(2022, 12, 5)
    assert read("下季度", december).date == date(2023, 3, 31)
    assert read("下个月底", december).date == date(2023, 1, 31)
    assert read("明年", december).date == date(2023, 12, 31)
    assert read("年初", date(2022, 1, 4)).date == date(2022, 2, 28)


def test_a_past_relative_phrase_is_read_and_warned_about():
    for written, day in [
        ("去年底", date(2021, 12, 31)),
        ("上年度", date(2021, 12, 31)),
        ("上一年", date(2021, 12, 31)),
        ("前年", date(2020, 12, 31)),
        ("大前年", date(2019, 12, 31)),
        ("上个月底", date(2022, 2, 28)),
        ("上季度", date(2021, 12, 31)),
        ("首月", date(2022, 1, 31)),
        ("年初", date(2022, 2, 28)),
    ]:
        got = read(written)
        assert got.date == day, written
        assert "早于文件日期2022年3月15日" in got.warning, written


WEEKS = [
    # On Tuesday 2022-03-15.
    ("本周五", date(2022, 3, 18)),
    ("这周五", date(2022, 3, 18)),
    ("周五前", date(2022, 3, 18)),
    ("星期五", date(2022, 3, 18)),
    ("礼拜五", date(2022, 3, 18)),
    ("周一前", date(2022, 3, 21)),  # Monday is past this week: the coming one
    ("周二", date(2022, 3, 15)),  # today is Tuesday: today
    ("下周五", date(2022, 3, 25)),
    ("下个星期三", date(2022, 3, 23)),
    ("下周日", date(2022, 3, 27)),
    ("下周末", date(2022, 3, 27)),
    ("下下周一", date(2022, 3, 28)),
    ("本周", date(2022, 3, 20)),
    ("本周内", date(2022, 3, 20)),
    ("下周", date(2022, 3, 27)),
    ("下一周", date(2022, 3, 27)),
    ("下下周", date(2022, 4, 3)),
    ("6月第3周", date(2022, 6, 26)),  # weeks are whole, Monday to Sunday: June's first is 6-12 June
    ("6月份第1周", date(2022, 6, 12)),
    ("6月第3个星期日", date(2022, 6, 19)),
    ("6月的第一个周一", date(2022, 6, 6)),
    ("8月第1周", date(2022, 8, 7)),  # 1 August 2022 is a Monday: the week starts on it
    ("5月第1周", date(2022, 5, 8)),  # 1 May 2022 is a Sunday: the week starts on the 2nd
    ("今年第37周", date(2022, 9, 18)),
    ("1月第2周", date(2022, 1, 16)),
    ("12月第1周", date(2022, 12, 11)),
    ("今年第3个星期日", date(2022, 1, 16)),
    ("2022年第1个星期六", date(2022, 1, 1)),  # 1 January 2022 is a Saturday
    ("2023年第1周", date(2023, 1, 8)),
]


@pytest.mark.parametrize(("written", "day"), WEEKS)
def test_a_week_or_a_weekday_is_read_against_the_documents_week(written, day):
    assert read(written).date == day


def test_a_week_number_that_no_year_has_is_not_read_as_a_week():
    assert parse("2022年第54周", base=BASE).problem.startswith("完成时限“2022年第54周”无法识别。请写明日期")
    assert parse("13月第1周", base=BASE).problem == "完成时限“13月第1周”无法识别:“13月”中没有13月。请改为存在的日期。"


DURATIONS = [
    ("10天内", date(2022, 3, 25)),
    ("10日内", date(2022, 3, 25)),
    ("10天后", date(2022, 3, 25)),
    ("2个星期内", date(2022, 3, 29)),
    ("3个礼拜内", date(2022, 4, 5)),
    ("2周后", date(2022, 4, 3)),  # the end of that week
    ("1个月内", date(2022, 4, 15)),
    ("一个半月内", date(2022, 4, 30)),  # not this month's end (月内)
    ("2个半月内", date(2022, 5, 30)),
    ("2个季度内", date(2022, 9, 15)),
    ("3个月后", date(2022, 6, 30)),  # the end of that month
    ("1个季度后", date(2022, 6, 30)),
    ("1年内", date(2023, 3, 15)),
    ("一年后", date(2023, 3, 15)),
    ("4个月", date(2022, 7, 15)),
]


@pytest.mark.parametrize(("written", "day"), DURATIONS)
def test_a_duration_counts_from_the_documents_date(written, day):
    assert read(written).date == day


def test_working_days_skip_the_national_day_holiday():
    # 2022: 1-7 October off, Saturday 8 and Sunday 9 October worked.
    assert read("5个工作日内", date(2022, 9, 28)).date == date(2022, 10, 10)
    assert read("3个工作日内", date(2022, 9, 28)).date == date(2022, 10, 8)
    assert _default_workdays(date(2022, 9, 28), 0) == date(2022, 9, 28)


def test_working_days_beyond_the_holiday_calendar_are_weekdays():
    # chinese-calendar knows no holidays of 2095: Monday to Friday.
    assert read("3个工作日内", date(2095, 3, 4)).date == date(2095, 3, 9)  # a Friday, to Wednesday


def test_working_days_are_counted_on_the_countys_calendar(monkeypatch):
    from luoshi.lib import workdays

    # The office set 16-17 March off (a local holiday): three working days from Tuesday 15 March end on the 22nd.
    county = workdays.Calendar(holidays={date(2022, 3, 16), date(2022, 3, 17)}, workdays=set())
    monkeypatch.setattr(workdays, "calendar", lambda: county)
    assert read("3个工作日内").date == date(2022, 3, 22)


def test_working_days_follow_the_calendar_when_the_office_changes_it(monkeypatch):
    from luoshi.lib import workdays

    monkeypatch.setattr(workdays, "calendar", lambda: workdays.Calendar(holidays=set(), workdays=set()))
    assert read("3个工作日内").date == date(2022, 3, 18)
    assert parse("3个工作日内", base=BASE, workdays=None).date == date(2022, 3, 18)
    local = workdays.Calendar(holidays={date(2022, 3, 16)}, workdays=set())
    monkeypatch.setattr(workdays, "calendar", lambda: local)  # the office adds a local holiday
    assert read("3个工作日内").date == date(2022, 3, 21)  # read again, not remembered


def test_working_days_are_counted_by_the_calendar_given():
    def every_day(day, n):
        return date.fromordinal(day.toordinal() + n)

    assert parse("15个工作日内", base=BASE, workdays=every_day).date == date(2022, 3, 30)
    assert parse("6月底", base=BASE, workdays=every_day).date == date(2022, 6, 30)


@pytest.mark.parametrize(
    ("name", "year", "day"),
    [
        ("元旦", 2022, date(2022, 1, 1)),
        ("春节", 2022, date(2022, 2, 1)),
        ("春节", 2023, date(2023, 1, 22)),
        ("元宵", 2022, date(2022, 2, 15)),
        ("元宵节", 2022, date(2022, 2, 15)),
        ("清明", 2022, date(2022, 4, 5)),
        ("清明节", 2024, date(2024, 4, 4)),
        ("五一", 2022, date(2022, 5, 1)),
        ("劳动节", 2022, date(2022, 5, 1)),
        ("端午", 2022, date(2022, 6, 3)),
        ("端午节", 2023, date(2023, 6, 22)),
        ("中秋", 2022, date(2022, 9, 10)),
        ("中秋节", 2023, date(2023, 9, 29)),
        ("国庆", 2022, date(2022, 10, 1)),
        ("国庆节", 2022, date(2022, 10, 1)),
        ("十一", 2022, date(2022, 10, 1)),
        ("重阳", 2022, date(2022, 10, 4)),
        ("重阳节", 2022, date(2022, 10, 4)),
        ("除夕", 2022, date(2023, 1, 21)),  # the eve of the lunar year 2022's end
        ("大年三十", 2023, date(2024, 2, 9)),
    ],
)
def test_each_festival_falls_on_its_day_of_the_year(name, year, day):
    assert festival_date(name, year) == day


FESTIVALS = [
    # On 2022-03-15: a festival already past this year is next year's.
    ("春节前", date(2023, 1, 21)),
    ("农历春节前", date(2023, 1, 21)),
    ("春节期间", date(2023, 1, 22)),
    ("元宵节前", date(2023, 2, 4)),
    ("元旦前", date(2022, 12, 31)),
    ("清明节前", date(2022, 4, 4)),
    ("清明以前", date(2022, 4, 4)),
    ("五一前", date(2022, 4, 30)),
    ("劳动节之前", date(2022, 4, 30)),
    ("端午节期间", date(2022, 6, 3)),
    ("端午假期", date(2022, 6, 3)),
    ("国庆节前", date(2022, 9, 30)),
    ("国庆前后", date(2022, 10, 1)),
    ("重阳节前", date(2022, 10, 3)),
    ("除夕前", date(2023, 1, 20)),
    ("大年三十", date(2023, 1, 21)),
    ("2023年春节前", date(2023, 1, 21)),
    ("23年端午节前", date(2023, 6, 21)),
]


@pytest.mark.parametrize(("written", "day"), FESTIVALS)
def test_a_festival_phrase_gives_the_festival_or_the_day_before(written, day):
    assert read(written).date == day


def test_a_festival_a_week_past_is_still_this_years():
    assert read("中秋", date(2022, 9, 15)).date == date(2022, 9, 10)  # five days on: this year's, and past
    assert read("中秋", date(2022, 9, 17)).date == date(2022, 9, 10)  # seven days on: still this year's
    assert read("中秋", date(2022, 9, 18)).date == date(2023, 9, 29)  # eight: next year's


def test_a_festival_in_a_year_past_is_read_and_warned_about():
    got = read("2021年中秋前")
    assert got.date == date(2021, 9, 20)
    assert got.suggested == date(2022, 9, 20)
    assert "早于文件日期" in got.warning


def test_a_festival_outside_the_calendars_says_so():
    assert "2100年的农历无法推算" in parse("2100年春节前", base=BASE).problem
    assert "2099年的农历无法推算" in parse("2099年除夕", base=BASE).problem  # its eve is in lunar 2100
    assert read("2099年中秋").date == date(2099, 9, 29)
    assert read("2098年除夕").date == date(2099, 1, 20)
    assert read("2100年清明").date == date(2100, 4, 4)
    assert read("2100年国庆前").date == date(2100, 9, 30)
    assert "不在1990至2100年之间" in parse("1989年国庆", base=BASE).problem
    assert "不在1990至2100年之间" in parse("1900年春节", base=BASE).problem
    assert "不在1990至2100年之间" in parse("2200年清明前", base=BASE).problem  # not a crash
    assert festival_date("春节", 1900) == date(1900, 1, 31)
    with pytest.raises(ValueError, match="1899年的农历无法推算"):
        festival_date("春节", 1899)
    with pytest.raises(ValueError, match="2200年的清明无法推算"):
        festival_date("清明", 2200)


def season_warning(name, start, end):
    return f"“{name}”按本县设定({start}至{end})计算,请确认本年度的实际日期"


SEASONS = [
    # On 2022-03-15, with the default seasons.
    ("汛期前", date(2022, 5, 31), "汛期", "6月1日", "9月30日"),
    ("汛期到来前", date(2022, 5, 31), "汛期", "6月1日", "9月30日"),
    ("汛期以前", date(2022, 5, 31), "汛期", "6月1日", "9月30日"),
    ("汛期之前", date(2022, 5, 31), "汛期", "6月1日", "9月30日"),
    ("汛期", date(2022, 9, 30), "汛期", "6月1日", "9月30日"),
    ("汛期期间", date(2022, 9, 30), "汛期", "6月1日", "9月30日"),
    ("汛期结束前", date(2022, 9, 30), "汛期", "6月1日", "9月30日"),
    ("主汛期前", date(2022, 6, 30), "主汛期", "7月1日", "8月31日"),
    ("春耕前", date(2023, 2, 28), "春耕", "3月1日", "4月30日"),  # begun already: the next one
    ("春耕期间", date(2022, 4, 30), "春耕", "3月1日", "4月30日"),  # begun already: this one
    ("春耕生产内", date(2022, 4, 30), "春耕", "3月1日", "4月30日"),
    ("三夏", date(2022, 6, 30), "三夏", "5月25日", "6月30日"),
    ("夏收前", date(2022, 5, 24), "夏收", "5月25日", "6月30日"),
    ("秋收", date(2022, 10, 31), "秋收", "9月15日", "10月31日"),
    ("三秋前", date(2022, 9, 14), "三秋", "9月15日", "10月31日"),
    ("秋冬季", date(2023, 2, 28), "秋冬季", "10月1日", "2月28日"),  # into the next year
    ("2023年汛期", date(2023, 9, 30), "汛期", "6月1日", "9月30日"),
    ("2022年春耕前", date(2022, 2, 28), "春耕", "3月1日", "4月30日"),  # the year as written, past
]


@pytest.mark.parametrize(("written", "day", "name", "start", "end"), SEASONS)
def test_a_county_season_is_read_from_its_set_dates_and_asks_to_confirm(written, day, name, start, end):
    got = read(written)
    assert got.date == day
    assert got.warning.split(";")[0] == season_warning(name, start, end)
    assert note(got) == season_warning(name, start, end)


def test_the_county_sets_its_seasons_in_its_settings(settings):
    settings.LUOSHI_SEASONS = {"汛期": (5, 15, 9, 15)}
    got = read("汛期前")
    assert got.date == date(2022, 5, 14)
    assert got.warning == season_warning("汛期", "5月15日", "9月15日")
    assert read("主汛期").date == date(2022, 8, 31)  # the others keep their defaults


def test_a_season_ending_on_a_leap_day_ends_on_the_last_day_of_february(settings):
    settings.LUOSHI_SEASONS = {"秋冬季": (10, 1, 2, 29)}
    assert read("秋冬季", date(2022, 3, 15)).date == date(2023, 2, 28)
    assert read("秋冬季", date(2023, 3, 15)).date == date(2024, 2, 29)


def test_the_settings_win_over_the_environment(settings, monkeypatch):
    monkeypatch.setenv("LUOSHI_SEASONS", "汛期=5-15~9-15;春耕=3-10~4-20")
    assert read("春耕期间").date == date(2022, 4, 20)
    assert read("汛期").date == date(2022, 9, 15)
    settings.LUOSHI_SEASONS = {"汛期": (6, 10, 9, 20)}
    assert read("汛期").date == date(2022, 9, 20)
    assert read("春耕期间").date == date(2022, 4, 20)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("梅雨=6-1~7-1", "季节名只能是汛期、主汛期"),
        ("汛期=6-1", "请写成“汛期=6-1~9-30”"),
        ("汛期=13-1~9-30", "中没有13月1日"),
        ("汛期=6-1~2-30", "中没有2月30日"),
    ],
)
def test_a_season_the_environment_sets_wrong_is_refused_with_how_to_write_it(monkeypatch, value, says):
    monkeypatch.setenv("LUOSHI_SEASONS", value)
    with pytest.raises(ImproperlyConfigured, match=says):
        parse("汛期前", base=BASE)


def test_the_note_keeps_each_seasons_warning():
    got = read("春耕期间至汛期")
    assert got.date == date(2022, 9, 30)
    assert note(got) == ";".join(
        [season_warning("春耕", "3月1日", "4月30日"), season_warning("汛期", "6月1日", "9月30日")]
    )


def test_the_note_keeps_what_stays_true_and_drops_the_past_date():
    past = read("汛期前", date(2022, 7, 1))
    assert past.date == date(2023, 5, 31)  # begun already: the next one
    past = read("2022年汛期前", date(2022, 7, 1))
    assert "早于文件日期" in past.warning
    assert note(past) == season_warning("汛期", "6月1日", "9月30日")
    assert note(read("2月底前")) == ""
    assert note(read("6月底前")) == ""
    assert note(None) == ""


def test_the_past_warning_names_both_dates_and_the_date_meant():
    assert past_warning(date(2022, 2, 28), BASE) == (
        "时限2022年2月28日早于文件日期2022年3月15日,是否漏写了“明年”?可能应为2023年2月28日"
    )
    assert past_warning(date(2022, 3, 15), BASE) == ""
    assert past_warning(date(2022, 3, 14), BASE).endswith("可能应为2023年3月14日")
    assert past_warning(None, BASE) == ""


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        ("2021年12月31日", date(2022, 12, 31)),  # the same day a year on
        ("2021年3月1日", date(2023, 3, 1)),  # a year on is still past: the year after the document's
        ("2020年2月29日", date(2023, 2, 28)),  # no leap day in the years after: February's last
        ("2019年6月30日", date(2022, 6, 30)),  # years back: the first not before the document
        ("2022年3月14日", date(2023, 3, 14)),
    ],
)
def test_a_past_date_suggests_the_date_it_probably_means(written, suggested):
    got = read(written)
    assert got.suggested == suggested
    assert got.warning.endswith(f"可能应为{suggested.year}年{suggested.month}月{suggested.day}日")


def test_a_date_after_a_festival_takes_the_festivals_year():
    got = read("2024年春节前至3月底")  # 2024: 春节 on 10 February
    assert (got.milestones, got.date) == ((date(2024, 2, 9),), date(2024, 3, 31))


def test_a_season_with_a_two_digit_year():
    assert read("23年汛期").date == date(2023, 9, 30)


def test_a_season_set_wrong_in_the_settings_is_refused_naming_it(settings):
    settings.LUOSHI_SEASONS = {"汛期": (2, 30, 9, 30)}
    assert parse("汛期前", base=BASE).problem == (
        "完成时限“汛期前”无法识别:日期“汛期前”不存在(2022年2月只有28天)。请改为存在的日期。"
    )


def test_a_date_a_year_before_the_document_suggests_the_documents_day():
    assert read("2021年3月15日").suggested == BASE


def test_on_the_first_day_of_a_season_the_season_is_this_years():
    assert read("汛期", date(2022, 6, 1)).date == date(2022, 9, 30)
    assert read("汛期期间", date(2022, 7, 1)).date == date(2022, 9, 30)
