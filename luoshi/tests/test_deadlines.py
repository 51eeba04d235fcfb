"""lib/deadlines.parse reads deadlines as offices write them, and never crashes."""

import re
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.lib.deadlines import (
    MONTHLY,
    NONE,
    QUARTERLY,
    WEEKLY,
    YEARLY,
    Deadline,
    cadence_label,
    parse,
)
from luoshi.lib.deadlines.parser import _arabic, _parse_text

BASE = date(2022, 3, 15)  # the sample ledger's year, as the document's date


@pytest.fixture(autouse=True)
def _read_afresh():
    # parse() keeps an lru_cache: without clearing it a test could pass on another test's answer, and a
    # mutation tool would not see which tests reach the parser.
    _parse_text.cache_clear()


PHRASES = [
    # (as written, date, cadence, cadence day, standing)
    ("2022年6月底前", date(2022, 6, 30), NONE, 0, False),
    ("年底前", date(2022, 12, 31), NONE, 0, False),
    ("6月底", date(2022, 6, 30), NONE, 0, False),
    ("三季度", date(2022, 9, 30), NONE, 0, False),
    ("第三季度末", date(2022, 9, 30), NONE, 0, False),
    ("一季度", date(2022, 3, 31), NONE, 0, False),
    ("每季度末", None, QUARTERLY, 0, False),
    ("2022.3.31", date(2022, 3, 31), NONE, 0, False),
    ("2022/6/30", date(2022, 6, 30), NONE, 0, False),
    ("2022-06-30", date(2022, 6, 30), NONE, 0, False),
    ("2022年12月", date(2022, 12, 31), NONE, 0, False),
    ("2022年11月底", date(2022, 11, 30), NONE, 0, False),
    ("10月底前", date(2022, 10, 31), NONE, 0, False),
    ("6月中旬", date(2022, 6, 20), NONE, 0, False),
    ("6月上旬", date(2022, 6, 10), NONE, 0, False),
    ("每月25日前", None, MONTHLY, 25, False),
    ("每月10日前", None, MONTHLY, 10, False),
    ("每月", None, MONTHLY, 0, False),
    ("每周五", None, WEEKLY, 5, False),
    ("每年", None, YEARLY, 0, False),
    ("长期坚持", None, NONE, 0, True),
    ("长期", None, NONE, 0, True),
    ("2022年3月15日前", date(2022, 3, 15), NONE, 0, False),
    ("2022年12月31日", date(2022, 12, 31), NONE, 0, False),
    ("二〇二二年六月底前", date(2022, 6, 30), NONE, 0, False),
    ("六月三十日前", date(2022, 6, 30), NONE, 0, False),
    ("上半年", date(2022, 6, 30), NONE, 0, False),
    ("下半年", date(2022, 12, 31), NONE, 0, False),
    ("年内", date(2022, 12, 31), NONE, 0, False),
    ("2022年底", date(2022, 12, 31), NONE, 0, False),
    ("明年3月底", date(2023, 3, 31), NONE, 0, False),
    ("3个月内", date(2022, 6, 15), NONE, 0, False),
    ("四个月", date(2022, 7, 15), NONE, 0, False),
    ("30日内", date(2022, 4, 14), NONE, 0, False),
    ("6.30", date(2022, 6, 30), NONE, 0, False),
    ("44651", date(2022, 3, 31), NONE, 0, False),  # an Excel date serial stored as text
    ("每月25日前报送进展,年底前完成", date(2022, 12, 31), MONTHLY, 25, False),
    # Written forms that issue 21 found untested.
    ("2022／6／30", date(2022, 6, 30), NONE, 0, False),  # full-width separators
    ("2022.6.30", date(2022, 6, 30), NONE, 0, False),
    ("6月初", date(2022, 6, 10), NONE, 0, False),
    ("6月中", date(2022, 6, 20), NONE, 0, False),
    ("2023年6月中旬", date(2023, 6, 20), NONE, 0, False),
    ("2023年6月初", date(2023, 6, 10), NONE, 0, False),
    ("6月底Q3", date(2022, 9, 30), NONE, 0, False),
    ("6月下旬", date(2022, 6, 30), NONE, 0, False),
    ("6月份", date(2022, 6, 30), NONE, 0, False),
    ("22年6月底", date(2022, 6, 30), NONE, 0, False),  # a two-digit year
    ("22/6/30", date(2022, 6, 30), NONE, 0, False),
    ("Q3", date(2022, 9, 30), NONE, 0, False),
    ("q1", date(2022, 3, 31), NONE, 0, False),
    ("2023年上半年", date(2023, 6, 30), NONE, 0, False),
    ("2023年下半年", date(2023, 12, 31), NONE, 0, False),
    ("2023年第二季度", date(2023, 6, 30), NONE, 0, False),
    ("2周内", date(2022, 3, 29), NONE, 0, False),
    ("两周内", date(2022, 3, 29), NONE, 0, False),
    ("5天内", date(2022, 3, 20), NONE, 0, False),
    ("每月底", None, MONTHLY, 31, False),
    ("每月末", None, MONTHLY, 31, False),
    ("每月的10号", None, MONTHLY, 10, False),
    ("每月二十五日", None, MONTHLY, 25, False),
    ("每周天", None, WEEKLY, 7, False),
    ("每周日", None, WEEKLY, 7, False),
    ("每周一", None, WEEKLY, 1, False),
    ("每周三", None, WEEKLY, 3, False),
    ("每星期三", None, WEEKLY, 3, False),
    ("每周", None, WEEKLY, 0, False),
    ("每周5", None, WEEKLY, 5, False),
    ("逐周", None, WEEKLY, 0, False),
    ("每个月", None, MONTHLY, 0, False),
    ("每月1日", None, MONTHLY, 1, False),
    ("每月31日", None, MONTHLY, 31, False),
    ("每季度末月31日", None, QUARTERLY, 31, False),
    ("每季度末月1日", None, QUARTERLY, 1, False),
    ("每年12月31日", None, YEARLY, 31, False),
    ("每年12月1日", None, YEARLY, 1, False),
    ("按年", None, YEARLY, 0, False),
    ("6 月 底 前", date(2022, 6, 30), NONE, 0, False),  # spaces as typed
    ("2022年 6月 30日", date(2022, 6, 30), NONE, 0, False),
    ("每季度末月20日", None, QUARTERLY, 20, False),
    ("每季度最后一个月15日", None, QUARTERLY, 15, False),
    ("按季度", None, QUARTERLY, 0, False),
    ("每年12月20日", None, YEARLY, 20, False),
    ("每年度", None, YEARLY, 0, False),
    ("2023年前", date(2023, 12, 31), NONE, 0, False),
    ("2023年底前", date(2023, 12, 31), NONE, 0, False),
    ("2023", date(2023, 12, 31), NONE, 0, False),
    ("明年", date(2023, 12, 31), NONE, 0, False),
    ("全年", date(2022, 12, 31), NONE, 0, False),
    ("今年底", date(2022, 12, 31), NONE, 0, False),
    ("本年度内", date(2022, 12, 31), NONE, 0, False),
    ("次年年底", date(2023, 12, 31), NONE, 0, False),
    ("明年6月", date(2023, 6, 30), NONE, 0, False),
    ("自2022年起,年底前完成", date(2022, 12, 31), NONE, 0, False),  # 2022年 alone names no deadline
    ("2022年内", date(2022, 12, 31), NONE, 0, False),
    ("下一年6月底", date(2023, 6, 30), NONE, 0, False),
    ("下一年", date(2023, 12, 31), NONE, 0, False),
    ("本年", date(2022, 12, 31), NONE, 0, False),
    ("当年底", date(2022, 12, 31), NONE, 0, False),
    ("一直坚持", None, NONE, 0, True),  # 一 at the start is not a numeral here
    ("持续推进", None, NONE, 0, True),
    ("2022年6月30日长期坚持", date(2022, 6, 30), NONE, 0, False),  # a date wins over 长期
    ("长期坚持,每月25日前报送", None, MONTHLY, 25, True),
    ("常态化推进", None, NONE, 0, True),
    # January and December, on both edges of the month bounds.
    ("1月底", date(2022, 1, 31), NONE, 0, False),
    ("一月底", date(2022, 1, 31), NONE, 0, False),
    ("2023年1月", date(2023, 1, 31), NONE, 0, False),
    ("2023.1", date(2023, 1, 31), NONE, 0, False),
    ("1.31", date(2022, 1, 31), NONE, 0, False),
    ("1月1日", date(2022, 1, 1), NONE, 0, False),
    ("12月底", date(2022, 12, 31), NONE, 0, False),
    ("2022.12", date(2022, 12, 31), NONE, 0, False),
    ("12.31", date(2022, 12, 31), NONE, 0, False),
    # The lowest and highest years a deadline may name.
    ("1990年1月1日", date(1990, 1, 1), NONE, 0, False),
    ("2100年12月31日", date(2100, 12, 31), NONE, 0, False),
    ("1990年1月", date(1990, 1, 31), NONE, 0, False),
    ("2100年底", date(2100, 12, 31), NONE, 0, False),
    ("32874", date(1990, 1, 1), NONE, 0, False),  # the first Excel serial in those years
    ("73415", date(2100, 12, 31), NONE, 0, False),  # and the last
    ("44651.0", date(2022, 3, 31), NONE, 0, False),
    ("2022年6月底前完成方案,10月底前全面完成", date(2022, 10, 31), NONE, 0, False),
]


@pytest.mark.parametrize(("written", "day", "cadence", "cadence_day", "standing"), PHRASES)
def test_it_reads_the_deadlines_offices_write(written, day, cadence, cadence_day, standing):
    deadline = parse(written, base=BASE)

    assert deadline.problem == ""
    assert (deadline.date, deadline.cadence, deadline.cadence_day, deadline.standing) == (
        day,
        cadence,
        cadence_day,
        standing,
    )


MORE_FORMS = [
    # (as written, the deadline, its milestones) on 2022-03-15: the forms the parse tests above leave out.
    ("22.6.30", date(2022, 6, 30), ()),
    ("22-6-30", date(2022, 6, 30), ()),
    ("2022-06", date(2022, 6, 30), ()),
    ("2022/6", date(2022, 6, 30), ()),
    ("6/30", date(2022, 6, 30), ()),
    ("6-30", date(2022, 6, 30), ()),
    ("6·30", date(2022, 6, 30), ()),
    ("25日", date(2022, 3, 25), ()),  # a day alone is this month's
    ("2023年一季度初", date(2023, 1, 31), ()),
    ("三季度初", date(2022, 7, 31), ()),
    ("2023年第四季度", date(2023, 12, 31), ()),
    ("2024年6月至四季度", date(2024, 12, 31), (date(2024, 6, 30),)),  # the quarter takes the year before it
    ("2023年Q2", date(2023, 6, 30), ()),
    ("2023年6月底Q3", date(2023, 9, 30), (date(2023, 6, 30),)),
    ("2023年3月至下半年", date(2023, 12, 31), (date(2023, 3, 31),)),
    ("12月9号到15号", date(2022, 12, 15), (date(2022, 12, 9),)),  # the day after a range takes its month
    ("6月1日、10日", date(2022, 6, 10), (date(2022, 6, 1),)),
    ("年末", date(2022, 12, 31), ()),
    ("年终", date(2022, 12, 31), ()),
    ("2022年末", date(2022, 12, 31), ()),
    ("2023年终", date(2023, 12, 31), ()),
    ("2022.03-2023", date(2023, 12, 31), (date(2022, 3, 31),)),  # a year alone after a range is its end
    ("从2022年——2024年", date(2024, 12, 31), ()),
    ("22年", date(2022, 12, 31), ()),
    ("大大后天", date(2022, 3, 19), ()),
    ("下周5", date(2022, 3, 25), ()),
    ("这个周五", date(2022, 3, 18), ()),
    ("周末前", date(2022, 3, 20), ()),
    ("23年第1周", date(2023, 1, 8), ()),  # 2023's first whole week is 2-8 January
    ("2023年6月第2周", date(2023, 6, 18), ()),
    ("2023年6月第3个星期五", date(2023, 6, 16), ()),
    # A date without a year takes the year of the date just before it, a day alone its month.
    ("2022年11月、2023年2月至6月", date(2023, 6, 30), (date(2022, 11, 30), date(2023, 2, 28))),
    ("6月1日至10日、7月5日至15日", date(2022, 7, 15), (date(2022, 6, 1), date(2022, 6, 10), date(2022, 7, 5))),
    # Two years on, where a range crossing the year end (11月至2月) cannot give the same year by chance.
    ("2024年6月1日至9月底", date(2024, 9, 30), (date(2024, 6, 1),)),
    ("2023年6月1日至15日", date(2023, 6, 15), (date(2023, 6, 1),)),
    ("2024.6至9月", date(2024, 9, 30), (date(2024, 6, 30),)),
    ("2024年一季度至5月底", date(2024, 5, 31), (date(2024, 3, 31),)),
    ("2024年Q3至12月底", date(2024, 12, 31), (date(2024, 9, 30),)),
    ("Q3-12月", date(2022, 12, 31), (date(2022, 9, 30),)),  # a quarter, then a month: not 3月至12月
    ("2024年上半年至9月底", date(2024, 9, 30), (date(2024, 6, 30),)),
    ("6月1日至15日", date(2022, 6, 15), (date(2022, 6, 1),)),
    ("6月1日、10日、20日", date(2022, 6, 20), (date(2022, 6, 1), date(2022, 6, 10))),
    ("截至9月底", date(2022, 9, 30), ()),
    ("6月月底前", date(2022, 6, 30), ()),  # one month: not June and this month's end
    # Two-digit years are the nearer century's.
    ("23年三季度", date(2023, 9, 30), ()),
    ("23年Q2", date(2023, 6, 30), ()),
    ("23年底", date(2023, 12, 31), ()),
    ("23年上半年", date(2023, 6, 30), ()),
    ("95年底", date(1995, 12, 31), ()),
    ("零五年底", date(2005, 12, 31), ()),
]


@pytest.mark.parametrize(("written", "day", "milestones"), MORE_FORMS)
def test_it_reads_the_other_forms_offices_write(written, day, milestones):
    deadline = parse(written, base=BASE)
    assert (deadline.date, deadline.milestones, deadline.problem) == (day, milestones, "")


def test_a_year_without_a_deadline_word_is_not_a_deadline():
    assert "无法识别" in parse("2022年实现", base=BASE).problem
    assert "无法识别" in parse("第3周", base=BASE).problem  # the third week of what
    assert "不在1990至2100年之间" in parse("2101年Q1", base=BASE).problem


def test_the_documents_year_fills_in_a_phrase_without_one():
    assert parse("6月底", base=date(2019, 1, 2)).date == date(2019, 6, 30)
    assert parse("年底前", base=date(2025, 7, 1)).date == date(2025, 12, 31)


def test_a_real_date_cell_is_taken_as_it_is():
    from_datetime = parse(datetime(2022, 4, 30, 15, 30), base=BASE)
    assert (from_datetime.date, from_datetime.text) == (date(2022, 4, 30), "2022-04-30")
    assert type(from_datetime.date) is date
    from_date = parse(date(2022, 4, 30), base=BASE)
    assert (from_date.date, from_date.text, from_date.ok) == (date(2022, 4, 30), "2022-04-30", True)


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("", "未填写完成时限"),
        ("   ", "未填写完成时限"),
        ("尽快", "无法识别"),
        ("2022年2月30日", "2022年2月只有28天"),
        ("13月底", "没有13月"),
        ("9999年1月1日", "不在1990至2100年之间"),
        ("见附件" * 100, "过长"),
        ("1989年12月31日", "不在1990至2100年之间"),
        ("2101年1月1日", "不在1990至2100年之间"),
        ("1989年12月", "不在1990至2100年之间"),
        ("2101年底", "不在1990至2100年之间"),
        ("0月底", "没有0月"),
        ("2022年13月", "没有13月"),
        ("2022.13", "没有13月"),
        ("6.31", "2022年6月只有30天"),
        ("每月32日", "每月没有32日"),
        ("每年2月30日", "无法识别"),
        ("每年6月30日", "按年报送的日期只能在12月"),
        ("32873", "无法识别"),  # an Excel serial before 1990
        ("73416", "无法识别"),  # and after 2100
        ("2周", "无法识别"),
        ("x" * 201, "过长"),
    ],
)
def test_an_unreadable_deadline_says_what_to_fix_in_chinese(written, says):
    deadline = parse(written, base=BASE)

    assert deadline.date is None
    assert not deadline.ok
    assert says in deadline.problem


def test_an_empty_cell_says_it_is_not_filled_in():
    for value in (None, "", " \n "):
        deadline = parse(value, base=BASE)
        assert deadline.problem.startswith("未填写完成时限"), value
        assert deadline.date is None


def test_the_length_limit_is_200_characters():
    at_limit = "2022年6月30日" + "前" * (200 - len("2022年6月30日"))
    assert len(at_limit) == 200
    assert parse(at_limit, base=BASE).date == date(2022, 6, 30)
    over = parse(at_limit + "前", base=BASE)
    assert "过长(超过200字)" in over.problem
    assert len(over.text) == 200


def test_the_reading_keeps_what_was_written():
    assert parse("44651", base=BASE).text == "44651"
    assert parse("尽快", base=BASE).text == "尽快"
    on_the_day = parse("2022年3月15日", base=BASE)
    assert (on_the_day.date, on_the_day.suggested, on_the_day.warning) == (BASE, None, "")


def test_a_number_is_read_as_an_excel_serial_and_a_bool_is_not_a_date():
    assert parse(44651, base=BASE).date == date(2022, 3, 31)
    assert parse(44651.0, base=BASE).date == date(2022, 3, 31)
    assert parse(True, base=BASE).problem


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("2022年13月1日", "“2022年13月1日”中没有13月"),
        ("2022年0月1日", "“2022年0月1日”中没有0月"),
        ("6月31日", "日期“6月31日”不存在(2022年6月只有30天)"),
        ("2022年13月", "“2022年13月”中没有13月"),
        ("2022.13", "“2022.13”中没有13月"),
        ("6.31", "日期“6.31”不存在(2022年6月只有30天)"),
        ("20230230", "日期“20230230”不存在(2023年2月只有28天)"),
        ("32日", "日期“32日”不存在(2022年3月只有31天)"),
        ("6月1日至31日", "日期“31日”不存在(2022年6月只有30天)"),
        ("13月底", "“13月底”中没有13月"),
        ("0月底", "“0月底”中没有0月"),
        ("1989年3季度", "年份“1989”不在1990至2100年之间"),
        ("2101年上半年", "年份“2101”不在1990至2100年之间"),
        ("2101年底", "年份“2101”不在1990至2100年之间"),
        ("1989.6.30", "年份“1989”不在1990至2100年之间"),
        ("每月0日", "每月没有0日"),
        ("每月32日", "每月没有32日"),
        ("每季度末月0日", "每季度末月没有0日"),
        ("每季度末月32日", "每季度末月没有32日"),
        ("每年12月32日", "每年12月没有32日"),
        ("每年12月0日", "每年12月没有0日"),
        ("每年2月30日", "每年2月没有30日"),
        ("每年13月1日", "“每年13月1日”中没有13月"),
        ("每年0月1日", "“每年0月1日”中没有0月"),
    ],
)
def test_a_date_that_does_not_exist_is_named_with_the_reason(written, reason):
    assert parse(written, base=BASE).problem == f"完成时限“{written}”无法识别:{reason}。请改为存在的日期。"


def test_a_yearly_date_outside_december_is_refused_with_how_to_write_it():
    assert parse("每年6月30日前报送", base=BASE).problem == (
        "完成时限“每年6月30日前报送”无法使用:按年报送的日期只能在12月(如“每年12月20日”),"
        "“每年6月30日”请写成具体日期(如“6月30日前”)或改为每季度、每月报送。"
    )
    assert parse("每年2月29日", base=BASE).problem.startswith("完成时限“每年2月29日”无法使用")  # a leap day exists


def test_a_yearly_date_in_january_is_refused_as_any_month_but_december():
    assert parse("每年1月10日", base=BASE).problem.startswith("完成时限“每年1月10日”无法使用:按年报送的日期只能在12月")


def test_a_span_past_2100_names_the_span():
    assert parse("四个月", base=date(2100, 10, 1)).problem == (
        "完成时限“四个月”无法识别:“4个月”超出了可识别的年份。请改为存在的日期。"
    )
    assert parse("2个月内", base=date(2100, 11, 30)).problem == (
        "完成时限“2个月内”无法识别:“2个月内”超出了可识别的年份。请改为存在的日期。"
    )


def test_a_cadence_label_outside_its_days_says_only_the_cadence():
    assert cadence_label(WEEKLY, 7) == "每周日"
    assert cadence_label(WEEKLY, 8) == "每周"
    assert cadence_label(WEEKLY, 0) == "每周"
    assert cadence_label(MONTHLY, 0) == "每月"
    assert cadence_label(NONE, 0) == ""
    assert cadence_label("daily", 3) == ""


def test_a_problem_names_what_was_written():
    deadline = parse("2022年2月30日", base=BASE)
    assert deadline.problem == (
        "完成时限“2022年2月30日”无法识别:日期“2022年2月30日”不存在(2022年2月只有28天)。请改为存在的日期。"
    )
    assert deadline.text == "2022年2月30日"
    assert parse(" 6月底 ", base=BASE).text == "6月底"


@pytest.mark.parametrize(
    ("base", "written", "day"),
    [
        (date(2022, 11, 30), "1个月内", date(2022, 12, 30)),
        (date(2022, 11, 30), "2个月内", date(2023, 1, 30)),  # across the year end
        (date(2022, 11, 30), "3个月内", date(2023, 2, 28)),  # from the 30th into February
        (date(2022, 12, 15), "1个月内", date(2023, 1, 15)),
        (date(2022, 1, 31), "1个月内", date(2022, 2, 28)),  # from the 31st
        (date(2024, 1, 31), "1个月内", date(2024, 2, 29)),
        (date(2022, 3, 31), "1个月内", date(2022, 4, 30)),
        (date(2022, 1, 31), "12个月内", date(2023, 1, 31)),
        (date(2022, 12, 31), "十二个月内", date(2023, 12, 31)),
        (date(2022, 12, 31), "3天内", date(2023, 1, 3)),
    ],
)
def test_a_span_of_months_ends_on_the_same_day_of_the_month_or_the_months_last(base, written, day):
    assert parse(written, base=base).date == day


def test_a_span_past_2100_is_refused():
    assert "超出了可识别的年份" in parse("2个月内", base=date(2100, 11, 30)).problem
    assert parse("1个月内", base=date(2100, 11, 30)).date == date(2100, 12, 30)
    assert "超出了可识别的年份" in parse("2周内", base=date(2100, 12, 25)).problem
    assert parse("6天内", base=date(2100, 12, 25)).date == date(2100, 12, 31)
    assert "超出了可识别的年份" in parse("7天内", base=date(2100, 12, 25)).problem


def test_the_labels_are_written_as_luoshi_writes_them():
    assert parse("2022年6月底前", base=BASE).label == "2022-06-30"
    assert parse("长期坚持", base=BASE).label == "长期坚持"
    assert parse("长期坚持,每月25日前报送", base=BASE).label == "长期坚持;每月25日"
    assert parse("每月25日前报送进展,年底前完成", base=BASE).label == "2022-12-31;每月25日"
    assert [parse(w, base=BASE).label for w in ["每周天", "每周一", "每周", "每月", "每月底"]] == [
        "每周日",
        "每周一",
        "每周",
        "每月",
        "每月31日",
    ]
    assert [parse(w, base=BASE).label for w in ["每季度末", "每季度末月20日", "每年", "每年12月20日"]] == [
        "每季度末",
        "每季度末月20日",
        "每年",
        "每年12月20日",
    ]
    assert parse("尽快", base=BASE).label == ""


def test_numerals_that_count_nothing_are_left_alone():
    # 一口清 is not "1口清": the phrase has no date in it.
    assert not parse("做到一口清", base=BASE).ok
    assert _arabic("做到一口清") == "做到一口清"
    assert _arabic("一口清") == "一口清"  # nothing before it: no 第/每 either
    assert _arabic("统一") == "统一"  # nothing after it: no 年/月 either
    assert _arabic("十分重要") == "十分重要"
    assert _arabic("周一") == "周一"  # a weekday, read below
    assert _arabic("每星期三") == "每星期三"
    assert _arabic("二〇二二年六月三十日") == "2022年6月30日"
    assert _arabic("第三季度") == "第3季度"
    assert _arabic("每月二十五日") == "每月25日"
    assert _arabic("近两个月") == "近2个月"
    assert _arabic("周三个月") == "周3个月"
    assert _arabic("三中旬") == "3中旬"
    # After 第, 每, 前 or 近 a numeral counts even with nothing after it.
    assert [_arabic(text) for text in ["第三", "每十五", "前两", "近五", "至三"]] == [
        "第3",
        "每15",
        "前2",
        "近5",
        "至三",
    ]


def assert_well_formed(text: str, deadline: Deadline) -> None:
    """What holds of every answer: a date within the allowed years, or a Chinese sentence saying what to fix."""
    if deadline.problem:
        assert deadline.date is None
        assert deadline.cadence == NONE
        assert not deadline.standing
        assert re.search(r"[\u4e00-\u9fff]{4}", deadline.problem)
        assert deadline.problem.endswith("。")
        assert deadline.problem.startswith(("完成时限", "未填写完成时限"))
        return
    assert deadline.date is not None or deadline.cadence != NONE or deadline.standing
    if deadline.date is not None:
        assert date(1990, 1, 1) <= deadline.date <= date(2100, 12, 31)
    if deadline.cadence != NONE:
        assert 0 <= deadline.cadence_day <= 31
    assert deadline.text == text.strip()[:200]


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60), base=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_any_string_gives_a_date_in_range_or_a_chinese_sentence(text, base):
    assert_well_formed(text, parse(text, base=base))


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(
        alphabet="0123456789年月日号底前末季度每周上下半旬〇一二三四五六七八九十两.-/长期坚持内个天", max_size=20
    ),
    base=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
)
def test_a_date_like_string_reads_back_from_its_label(text, base):
    deadline = parse(text, base=base)
    assert_well_formed(text, deadline)
    if deadline.ok:
        again = parse(deadline.label, base=base)
        assert (again.date, again.cadence, again.cadence_day, again.standing, again.problem) == (
            deadline.date,
            deadline.cadence,
            deadline.cadence_day,
            deadline.standing,
            "",
        )
