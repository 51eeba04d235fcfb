"""lib/deadlines.parse reads deadlines as offices write them, and never crashes."""

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.lib.deadlines import MONTHLY, NONE, QUARTERLY, WEEKLY, YEARLY, parse

BASE = date(2022, 3, 15)  # the sample ledger's year, as the document's date

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


def test_the_documents_year_fills_in_a_phrase_without_one():
    assert parse("6月底", base=date(2019, 1, 2)).date == date(2019, 6, 30)
    assert parse("年底前", base=date(2025, 7, 1)).date == date(2025, 12, 31)


def test_a_real_date_cell_is_taken_as_it_is():
    assert parse(datetime(2022, 4, 30), base=BASE).date == date(2022, 4, 30)
    assert parse(date(2022, 4, 30), base=BASE).date == date(2022, 4, 30)


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
    ],
)
def test_an_unreadable_deadline_says_what_to_fix_in_chinese(written, says):
    deadline = parse(written, base=BASE)

    assert deadline.date is None
    assert not deadline.ok
    assert says in deadline.problem


def test_numerals_that_count_nothing_are_left_alone():
    # 一口清 is not "1口清": the phrase has no date in it.
    assert not parse("做到一口清", base=BASE).ok


@settings(max_examples=400, deadline=None)
@given(text=st.text(max_size=60), base=st.dates())
def test_it_never_crashes_on_any_string(text, base):
    deadline = parse(text, base=base)

    assert deadline.ok or deadline.problem
    assert deadline.date is None or isinstance(deadline.date, date)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="0123456789年月日底前末季度每周上下半旬〇一二三四五六七八九十两.-/长期坚持内个", max_size=20),
    base=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
)
def test_it_never_crashes_on_date_like_strings(text, base):
    deadline = parse(text, base=base)

    assert deadline.ok or deadline.problem
