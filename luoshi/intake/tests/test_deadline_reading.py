"""Deadlines as the issue lists them: relative phrases, festivals, seasons, spans, durations, never silently past."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.intake.extract import find_when, propose
from luoshi.intake.reading import read_text
from luoshi.lib import deadlines

OCTOBER = date(2022, 10, 20)
BASE = date(2021, 6, 14)


def read(phrase, base=BASE):
    return deadlines.parse(phrase, base=base)


def test_next_year_in_an_october_speech_is_next_year():
    got = read("明年6月底前", OCTOBER)
    assert got.date == date(2023, 6, 30) and not got.warning


def test_month_end_phrases_keep_their_month():
    assert read("月底前").date == date(2021, 6, 30)
    assert read("本月底前").date == date(2021, 6, 30)
    assert read("当月底").date == date(2021, 6, 30)
    assert read("下月底前").date == date(2021, 7, 31)
    assert read("下月底前", date(2022, 12, 5)).date == date(2023, 1, 31)


def test_the_phrases_the_old_parser_lost():
    assert read("19年底").date == date(2019, 12, 31)
    assert read("2017年8月至11月").date == date(2017, 11, 30)
    assert read("2022年前十一个月").date == date(2022, 11, 30)
    assert read("下月九号").date == date(2021, 7, 9)
    assert read("本月9日").date == date(2021, 6, 9)
    assert read("明年初").date == date(2022, 2, 28)
    assert read("首季度").date == date(2021, 3, 31)
    assert read("前两个季度").date == date(2021, 6, 30)
    assert read("年中").date == date(2021, 6, 30)
    assert read("三季度末").date == date(2021, 9, 30)
    assert read("年底前").date == date(2021, 12, 31)
    assert read("下周五").date == date(2021, 6, 25)


def test_festivals_are_computed_for_their_year():
    # 2022: 春节 1 February, 清明 5 April, 端午 3 June, 中秋 10 September.
    base = date(2021, 11, 1)
    assert read("春节前", base).date == date(2022, 1, 31)
    assert read("元旦前", base).date == date(2021, 12, 31)
    assert read("清明前", date(2022, 3, 1)).date == date(2022, 4, 4)
    assert read("五一前", date(2022, 3, 1)).date == date(2022, 4, 30)
    assert read("端午节前", date(2022, 3, 1)).date == date(2022, 6, 2)
    assert read("中秋前", date(2022, 3, 1)).date == date(2022, 9, 9)
    assert read("国庆节前", date(2022, 3, 1)).date == date(2022, 9, 30)
    assert read("中秋国庆期间", date(2022, 3, 1)).date == date(2022, 10, 1)
    # A festival already past this year is next year's.
    assert read("春节前", date(2022, 3, 1)).date == date(2023, 1, 21)


def test_a_county_season_reads_from_the_setting_and_asks_to_confirm(settings):
    got = read("汛期前", date(2022, 3, 15))
    assert got.date == date(2022, 5, 31)
    assert "汛期" in got.warning and "请确认" in got.warning
    settings.LUOSHI_SEASONS = {"汛期": (5, 15, 9, 15)}
    assert read("汛期到来前", date(2022, 3, 16)).date == date(2022, 5, 14)
    assert read("秋冬季", date(2022, 3, 15)).date == date(2023, 2, 28)


def test_durations_count_from_the_documents_date():
    base = date(2022, 3, 15)
    assert read("30日内", base).date == date(2022, 4, 14)
    assert read("3个月内", base).date == date(2022, 6, 15)
    assert read("两周内", base).date == date(2022, 3, 29)
    assert read("一个月内完成", base).date == date(2022, 4, 15)


def test_working_days_skip_weekends_and_holidays(db):
    # From Monday 14 June 2021 (端午): 15 working days is Monday 5 July.
    assert read("15个工作日内").date == date(2021, 7, 5)
    # From Thursday 29 September 2022: 30 September, then the National Day week off, then the make-up
    # Saturday and Sunday 8 and 9 October, and Monday 10 and Tuesday 11 October.
    assert read("5个工作日内", date(2022, 9, 29)).date == date(2022, 10, 11)


def test_a_date_before_the_document_is_flagged_with_the_year_it_probably_means():
    got = read("6月底前", OCTOBER)
    assert got.date == date(2022, 6, 30)
    assert got.suggested == date(2023, 6, 30)
    assert "早于文件日期" in got.warning and "明年" in got.warning and "2023年6月30日" in got.warning


def test_a_span_gives_its_last_day_and_keeps_the_earlier_ones_as_milestones():
    got = read("3月至6月", date(2022, 1, 10))
    assert got.date == date(2022, 6, 30) and got.milestones == (date(2022, 3, 31),)
    text = "各乡镇要在9月底前完成招标、年底前开工。"
    when, combined = find_when(text, date(2022, 3, 15))
    assert when == "9月底前、年底前"
    assert combined.date == date(2022, 12, 31) and combined.milestones == (date(2022, 9, 30),)
    assert deadlines.milestones(text, base=date(2022, 3, 15)) == [("完成招标", date(2022, 9, 30))]


def test_the_intake_finds_phrases_with_the_parser_and_keeps_their_words():
    text = "县住建局要在明年6月底前完成改造,每月5日前报送进展。"
    found = deadlines.find(text, base=OCTOBER)
    assert [f.phrase for f in found] == ["明年6月底前", "每月5日前"]
    assert text[found[0].start : found[0].end] == "明年6月底前"
    assert found[0].deadline.date == date(2023, 6, 30)
    assert found[1].deadline.cadence == deadlines.MONTHLY and found[1].deadline.cadence_day == 5


def test_numbers_and_years_alone_are_not_deadlines():
    text = "2021年完成投资32亿元,增长57%,这一年成绩来之不易。"
    assert deadlines.find(text, base=date(2022, 3, 15)) == []
    assert find_when("力争在2025年建成", date(2022, 3, 15))[1].date == date(2025, 12, 31)


def test_a_festival_name_inside_other_words_is_not_a_deadline():
    """刘国庆 is a county head, 政治清明 a state of affairs; 国庆前 and 国庆假期 are dates."""
    assert deadlines.find("县长刘国庆就做好下一步工作强调了具体意见。", base=OCTOBER) == []
    assert deadlines.find("营造风清气正、政治清明的环境。", base=OCTOBER) == []
    assert [f.deadline.date for f in deadlines.find("国庆前完成验收。", base=date(2022, 3, 1))] == [date(2022, 9, 30)]
    assert [f.phrase for f in deadlines.find("国庆假期做好值班。", base=date(2022, 3, 1))] == ["国庆"]


def test_a_row_with_a_past_deadline_carries_the_warning():
    document = read_text("一、重点工作\n各乡镇要在6月底前完成排查整治工作。", name="通知.txt")
    row = propose(document, base=OCTOBER).rows[0]
    assert row.deadline.date == date(2022, 6, 30)
    assert any("早于文件日期" in w for w in row.as_dict()["deadline_warnings"])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_parse_and_find_never_crash_on_any_text(text):
    got = deadlines.parse(text, base=BASE)
    assert got.problem or got.date or got.cadence != deadlines.NONE or got.standing
    if got.date:
        assert 1990 <= got.date.year <= 2100
    for found in deadlines.find(text, base=BASE):
        assert text[found.start : found.end] == found.phrase and found.phrase
        assert found.deadline.date is None or 1990 <= found.deadline.date.year <= 2100


_PIECES = st.sampled_from(
    ["明年", "今年", "下月", "本月", "首", "前", "两个", "季度", "年", "月", "日", "底", "初", "中旬", "至", "到", "-",
     "春节", "中秋", "国庆", "汛期", "前", "内", "个工作日", "周", "下周", "第", "每月", "、", "0", "13", "31", "2", "2022",
     "19", "30", "二月", "三十", "闰", "十一", "农历"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=8), st.dates(min_value=date(1995, 1, 1), max_value=date(2095, 12, 31)))
def test_date_like_phrases_give_a_real_date_or_a_chinese_problem(pieces, base):
    phrase = "".join(pieces)
    got = deadlines.parse(phrase, base=base)
    if got.problem:
        assert any("\u4e00" <= char <= "\u9fff" for char in got.problem)
    if got.date:
        assert 1990 <= got.date.year <= 2100
        assert all(m < got.date for m in got.milestones)
        assert (got.date < base) == bool(got.suggested or "早于文件日期" in got.warning)


def test_the_county_sets_its_seasons_in_the_environment(monkeypatch):
    monkeypatch.setenv("LUOSHI_SEASONS", "汛期=5-15~9-15")
    assert read("汛期前", date(2022, 3, 15)).date == date(2022, 5, 14)


def test_a_season_setting_that_cannot_be_read_fails_loudly(monkeypatch):
    import pytest
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("LUOSHI_SEASONS", "汛期=6-31~9-30")
    with pytest.raises(ImproperlyConfigured, match="6月31日"):
        read("汛期前", date(2022, 3, 16))
