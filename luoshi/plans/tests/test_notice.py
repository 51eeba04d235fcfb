"""Holidays entered as the State Council publishes them: the notice, or one line of it, read and saved whole."""

from datetime import date

import pytest
from chinese_calendar import constants

from luoshi.plans.models import CalendarDay
from luoshi.plans.notice import chinese_name, holidays_save, parse_notice
from luoshi.testing import SAMPLES

NOTICES = SAMPLES / "holiday-notices"


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_each_published_notice_gives_the_days_chinese_calendar_knows(year):
    notice = parse_notice((NOTICES / f"{year}.txt").read_text())

    assert notice.ok, notice.problems
    assert notice.year == year
    # The table keeps holidays on weekdays and every make-up workday, as the seed from chinese-calendar does.
    kept_holidays = {d.date for d in notice.kept if d.kind == "holiday"}
    expected = {d for d in constants.holidays if d.year == year and d.weekday() < 5}
    assert {d for d in kept_holidays if d.year == year} == expected
    assert {d.date for d in notice.workdays} == {d for d in constants.workdays if d.year == year}
    for day in notice.holidays:
        assert chinese_name(constants.holidays[day.date]) in day.name.split("、")


def test_a_range_typed_by_hand_reads_like_the_notice():
    notice = parse_notice("春节: 2月15日至23日放假, 2月14日、2月28日上班", year=2026)

    assert notice.ok
    assert [d.date for d in notice.holidays] == [date(2026, 2, d) for d in range(15, 24)]
    assert [(d.date, d.kind, d.name) for d in notice.workdays] == [
        (date(2026, 2, 14), "workday", "春节"), (date(2026, 2, 28), "workday", "春节")]  # fmt: skip
    assert len(notice.kept) == 6 + 2  # 15, 21 and 22 February fall on weekends


def test_a_range_over_the_new_year_and_remarks_in_brackets():
    notice = parse_notice("元旦:2022年12月31日至2023年1月2日放假调休,共3天。\n"
                          "春节:1月21日(农历除夕)至27日放假调休,共7天。安排职工在除夕(1月20日)休息。", year=2023)  # fmt: skip

    assert [d.date for d in notice.holidays][:3] == [date(2022, 12, 31), date(2023, 1, 1), date(2023, 1, 2)]
    assert date(2023, 1, 20) not in {d.date for d in notice.days}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("春节:2月23日至15日放假", "春节:放假结束日02月15日早于开始日02月23日。"),
        ("春节:2月30日放假", "春节:“2月30日”不是有效日期,请写成“2月15日”这样。"),
        ("春节:放假9天", "春节:没有找到放假日期。请写成“春节:5月1日至5日放假,4月27日上班”这样。"),
        ("植树节:3月12日放假", "“植树节”不是法定节日名称,请写元旦、春节、清明节、劳动节、端午节、中秋节、国庆节之一。"),
        ("春节:2月16日放假,2月16日上班", "02月16日既写了放假又写了上班,请核对。"),
        ("劳动节:5月1日放假,5月6日上班", "劳动节:05月06日是工作日,不需要登记“上班”,请核对。"),
        ("随便写点什么", "没有找到任何节日安排。每个节日写一行,如“春节:2月15日至23日放假,2月14日、2月28日上班”。"),
    ],
)
def test_what_cannot_be_read_is_named(text, problem):
    notice = parse_notice(text, year=2026)

    assert not notice.ok
    assert problem in notice.problems


def test_a_notice_without_a_year_asks_for_one():
    assert parse_notice("春节:2月15日至23日放假").problems == [
        "无法确定年份:请选择年份,或粘贴含“关于某年部分节假日安排的通知”标题的全文。"]  # fmt: skip


def test_english_names_of_the_seeded_table_are_shown_in_chinese():
    assert [chinese_name(n) for n in ("New Year's Day", "Mid-autumn Festival", "春节")] == ["元旦", "中秋节", "春节"]


def test_saving_replaces_the_year_all_or_nothing(personas):
    CalendarDay.objects.filter(date__year=2026).delete()
    CalendarDay.objects.create(date=date(2026, 3, 2), kind="holiday", name="旧的错误记录")

    saved = holidays_save(notice=parse_notice((NOTICES / "2026.txt").read_text()), by=personas.office)

    days = CalendarDay.objects.filter(date__year=2026)
    assert saved == days.count() == 19 + 6  # holidays on weekdays, and the make-up days
    assert not days.filter(name="旧的错误记录").exists()
    assert days.get(date=date(2026, 2, 14)).name == "春节"
    with pytest.raises(ValueError, match="放假结束日"):
        holidays_save(notice=parse_notice("春节:2月23日至15日放假", year=2026), by=personas.office)
    assert CalendarDay.objects.filter(date__year=2026).count() == 25
