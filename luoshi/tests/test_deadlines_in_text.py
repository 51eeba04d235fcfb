"""lib/deadlines.find, in_text and milestones: the deadlines of a passage of running text, as an office reads them."""

from datetime import date

import pytest

from luoshi.lib.deadlines import MONTHLY, NONE, find, in_text, milestones, parse
from luoshi.lib.deadlines.parser import _parse_text

BASE = date(2022, 3, 15)  # the document's date


@pytest.fixture(autouse=True)
def _read_afresh():
    _parse_text.cache_clear()  # as in test_deadlines: each test reaches the parser itself


def phrases(text, base=BASE):
    return [(f.phrase, f.deadline.date) for f in find(text, base=base)]


def test_each_phrase_is_found_where_it_is_written():
    text = "请各乡镇于二〇二二年六月底前完成排查,年底前全面整改到位。"
    found = find(text, base=BASE)
    assert [(f.phrase, f.deadline.date) for f in found] == [
        ("二〇二二年六月底前", date(2022, 6, 30)),
        ("年底前", date(2022, 12, 31)),
    ]
    assert [text[f.start : f.end] for f in found] == ["二〇二二年六月底前", "年底前"]
    assert found[0].start == text.index("二〇") and found[0].deadline.text == "二〇二二年六月底前"


def test_an_amount_or_a_year_in_passing_is_no_deadline():
    assert phrases("全县投入资金32亿元,2021年实现脱贫,覆盖12个乡镇。") == []
    assert phrases("") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("力争在2023年完成全部改造。", [("2023年", date(2023, 12, 31))]),
        ("争取2023年完成全部改造。", [("2023年", date(2023, 12, 31))]),
        ("截至2023年完成全部改造。", [("2023年", date(2023, 12, 31))]),
        ("2025年前建成。", [("2025年前", date(2025, 12, 31))]),
        ("2025年底建成。", [("2025年底", date(2025, 12, 31))]),
        ("请于25日报县督查室。", [("25日", date(2022, 3, 25))]),
        ("到20230630完成。", [("20230630", date(2023, 6, 30))]),
    ],
)
def test_a_year_or_a_day_alone_is_a_deadline_where_the_words_around_it_say_so(text, expected):
    assert phrases(text) == expected


def test_a_year_in_a_sentence_without_a_time_word_is_not_a_deadline():
    assert phrases("2023年完成全部改造。") == []
    assert phrases("共20230630元。") == []
    assert phrases("2023年度工作总结") == []
    assert phrases("第3组负责。") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("要在国庆完成整改。", [("国庆", date(2022, 10, 1))]),
        ("于端午完成。", [("端午", date(2022, 6, 3))]),
        ("国庆假期加强值守。", [("国庆", date(2022, 10, 1))]),
        ("国庆长假前完成。", [("国庆", date(2022, 10, 1))]),
        ("国庆节前完成。", [("国庆节前", date(2022, 9, 30))]),
        ("五一完成。", [("五一", date(2022, 5, 1))]),
        ("五一前完成整改。", [("五一前", date(2022, 4, 30))]),
        ("清明到来前完成。", [("清明到来前", date(2022, 4, 5))]),
        ("十一前完成。", [("十一前", date(2022, 9, 30))]),
        ("十一期间加强巡查。", [("十一期间", date(2022, 10, 1))]),
    ],
)
def test_a_festivals_short_name_is_a_deadline_with_a_time_word_around_it(text, expected):
    assert phrases(text) == expected


def test_a_festivals_short_name_in_a_name_or_a_state_is_no_deadline():
    assert phrases("刘国庆同志主持会议。") == []
    assert phrases("营造风清气正、政治清明的环境。") == []
    assert phrases("十一个乡镇参加。") == []
    assert phrases("王端午、李元宵参加。") == []


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # 2022: 中秋 on 10 September.
        ("在中秋完成整改。", date(2022, 9, 10)),
        ("于中秋完成。", date(2022, 9, 10)),
        ("截至中秋完成。", date(2022, 9, 10)),
        ("中秋完成全部整改。", date(2022, 9, 10)),
        ("中秋假期加强值守。", date(2022, 9, 10)),
        ("中秋前完成整改。", date(2022, 9, 9)),
        ("要在中秋节前完成。", date(2022, 9, 9)),
        ("中秋期间开展检查。", date(2022, 9, 10)),
        ("确保中秋前后完成。", date(2022, 9, 10)),
        ("2022年中秋前完成。", date(2022, 9, 9)),
    ],
)
def test_the_mid_autumn_festival_is_found_in_running_text(text, day):
    found = find(text, base=BASE)
    assert [f.deadline.date for f in found] == [day]
    assert found[0].phrase.startswith("中秋") or found[0].phrase.startswith("2022年中秋")


def test_the_mid_autumn_festival_alone_needs_a_time_word_as_the_other_short_names():
    assert phrases("中秋月饼严禁公款购买。") == []
    assert phrases("中秋时节,丹桂飘香。") == []
    assert phrases("刘中秋同志发言。") == []
    assert phrases("刘国庆月底前报送材料。") == []  # a name, then 月底 with no month: no festival in October


def test_a_year_before_the_mid_autumn_festival_is_not_mid_year():
    assert parse("2022年中秋前", base=BASE).date == date(2022, 9, 9)
    assert parse("今年中秋", base=BASE).date == date(2022, 9, 10)
    assert parse("明年中秋前", base=BASE).date == date(2023, 9, 28)
    assert parse("2022年中", base=BASE).date == date(2022, 6, 30)  # 年中 is still the middle of the year
    assert parse("年中", base=BASE).date == date(2022, 6, 30)


@pytest.mark.parametrize("year", ["2023年", ""])
@pytest.mark.parametrize("dash", ["至", "到", "—", "——", "-", "~", "～", "－", "–", "―", "〜"])
@pytest.mark.parametrize(
    ("start", "end"), [("4月", "9月"), ("4", "9月"), ("4月", "9月底"), ("4", "9月底"), ("四月", "九月")]
)
def test_a_stage_of_months_ends_on_its_last_month_and_starts_a_milestone(year, dash, start, end):
    stage = f"{year}{start}{dash}{end}"
    written = parse(stage, base=date(2023, 3, 1))
    assert (written.date, written.milestones) == (date(2023, 9, 30), (date(2023, 4, 30),)), stage
    phrase, deadline = in_text(f"二、集中整治阶段({stage}):各乡镇全面排查整改。", base=date(2023, 3, 1))
    assert phrase == stage
    assert (deadline.date, deadline.milestones) == (date(2023, 9, 30), (date(2023, 4, 30),)), stage


@pytest.mark.parametrize(
    ("stage", "start", "end"),
    [
        ("11月至次年2月", date(2022, 11, 30), date(2023, 2, 28)),
        ("11月至2月", date(2022, 11, 30), date(2023, 2, 28)),
        ("2022年11月—2月", date(2022, 11, 30), date(2023, 2, 28)),
        ("11-2月", date(2022, 11, 30), date(2023, 2, 28)),
        ("12月20日至1月10日", date(2022, 12, 20), date(2023, 1, 10)),
        ("10月至12月", date(2022, 10, 31), date(2022, 12, 31)),
        ("4月1日至6月30日", date(2022, 4, 1), date(2022, 6, 30)),
        ("4月上旬至6月中旬", date(2022, 4, 10), date(2022, 6, 20)),
        ("5月2日—7日", date(2022, 5, 2), date(2022, 5, 7)),
        ("1月3日至2月10日", date(2022, 1, 3), date(2022, 2, 10)),
    ],
)
def test_a_stage_ends_on_its_last_day_and_across_the_year_end_in_the_next_year(stage, start, end):
    got = parse(stage, base=BASE)
    assert (got.milestones, got.date) == ((start,), end)


def test_months_not_joined_by_a_dash_are_not_a_stage():
    got = parse("11月、2月", base=BASE)
    assert (got.milestones, got.date) == ((date(2022, 2, 28),), date(2022, 11, 30))
    assert parse("2022年1-3月", base=BASE).date == date(2022, 3, 31)


def test_a_passage_gives_its_last_date_with_the_earlier_ones_as_milestones():
    phrase, deadline = in_text("9月底前完成招标,年底前开工建设,每月25日前报送进展。", base=BASE)
    assert phrase == "9月底前、年底前、每月25日前"
    assert deadline.date == date(2022, 12, 31)
    assert deadline.milestones == (date(2022, 9, 30),)
    assert (deadline.cadence, deadline.cadence_day) == (MONTHLY, 25)
    assert deadline.label == "2022-12-31;每月25日"
    assert not deadline.standing and not deadline.warning


def test_a_passage_with_no_deadline_gives_nothing():
    assert in_text("加强组织领导,压实工作责任。", base=BASE) == ("", None)


def test_a_standing_task_stays_standing_only_without_a_date():
    assert in_text("长期坚持,常抓不懈。", base=BASE)[1].standing
    _, dated = in_text("长期坚持,年底前完成阶段任务。", base=BASE)
    assert not dated.standing and dated.date == date(2022, 12, 31)
    assert dated.cadence == NONE and dated.cadence_day == 0


def test_a_passage_whose_last_date_is_past_warns_with_the_date_meant():
    _, deadline = in_text("2月底前完成摸底。", base=BASE)
    assert deadline.date == date(2022, 2, 28)
    assert "早于文件日期" in deadline.warning
    assert deadline.suggested == date(2023, 2, 28)


def test_an_early_date_in_the_past_does_not_warn_when_the_deadline_is_ahead():
    _, deadline = in_text("2月底前完成摸底,6月底前完成整改。", base=BASE)
    assert deadline.date == date(2022, 6, 30)
    assert deadline.milestones == (date(2022, 2, 28),)
    assert deadline.warning == "" and deadline.suggested is None


def test_a_seasons_warning_is_kept_once():
    _, deadline = in_text("汛期前完成排查,汛期前完成加固。", base=BASE)
    assert deadline.date == date(2022, 5, 31)
    assert deadline.warning.count("汛期") == 1 and "请确认" in deadline.warning


def test_the_milestones_of_a_passage_are_named_by_their_clause():
    text = "9月底前完成招标;10月底前完成设计、年底前开工建设。"
    assert milestones(text, base=BASE) == [("完成招标", date(2022, 9, 30)), ("完成设计", date(2022, 10, 31))]


def test_a_milestone_without_words_after_it_is_named_by_its_phrase():
    assert milestones("6月底前,年底前完成。", base=BASE) == [("6月底前", date(2022, 6, 30))]


def test_one_date_is_no_milestone_and_a_date_named_twice_is_one():
    assert milestones("年底前完成。", base=BASE) == []
    assert milestones("整治进度。", base=BASE) == []
    text = "6月底前完成排查,6月30日前完成上报,年底前完成整改。"
    assert milestones(text, base=BASE) == [("完成排查", date(2022, 6, 30))]


def test_a_milestones_name_is_cut_at_60_characters():
    text = "6月底前" + "完" * 70 + ",年底前完成。"
    assert milestones(text, base=BASE) == [("完" * 60, date(2022, 6, 30))]


def test_the_milestones_are_in_the_order_of_their_dates():
    text = "10月底前招标,6月底前验收,年底前开工。"
    assert milestones(text, base=BASE) == [("验收", date(2022, 6, 30)), ("招标", date(2022, 10, 31))]


def test_the_milestones_after_a_cadence_or_the_deadline_are_kept():
    text = "每月25日前报送进展,年底前完成整改,6月底前完成排查,9月底前完成复核。"
    assert milestones(text, base=BASE) == [("完成排查", date(2022, 6, 30)), ("完成复核", date(2022, 9, 30))]


def test_a_passage_counts_working_days_on_the_calendar_given():
    def every_day(day, n):
        return date.fromordinal(day.toordinal() + n)

    assert in_text("15个工作日内完成。", base=BASE, workdays=every_day)[1].date == date(2022, 3, 30)
    text = "10个工作日内完成摸底,年底前完成整改。"
    assert milestones(text, base=BASE, workdays=every_day) == [("完成摸底", date(2022, 3, 25))]


def test_a_run_ending_in_a_joining_word_is_read_without_it():
    assert phrases("工作时间为2022年3月1日至今。") == [("2022年3月1日", date(2022, 3, 1))]


@pytest.mark.parametrize(
    "text",
    [
        "全县12个乡镇于6月底前完成。",  # a number alone first
        "刘国庆同志要求6月底前完成。",  # a name with a festival in it first
        "从第3周开始,6月底前完成全部任务。",  # a run that reads as nothing first
    ],
)
def test_what_is_no_deadline_does_not_hide_the_deadline_after_it(text):
    assert phrases(text) == [("6月底前", date(2022, 6, 30))]


def test_a_festivals_short_name_after_at_is_a_time():
    assert phrases("于端午开展集中检查。") == [("端午", date(2022, 6, 3))]
    assert phrases("请刘国庆月底前报送。") == []  # a name, then 月底: not the National Day


def test_only_the_first_100000_characters_are_read():
    assert [f.phrase for f in find("。" * 99_998 + "6月底前", base=BASE)] == ["6月"]


@pytest.mark.parametrize("text", ["6月底前完成。至", "至", "中", "6月底前、", "的"])
def test_a_passage_ending_in_a_joining_word_reads_without_error(text):
    assert all(f.phrase for f in find(text, base=BASE))


def test_a_passage_names_its_phrases_and_all_its_milestones():
    phrase, deadline = in_text("6月底前完成排查,9月底前完成整改,年底前全面验收。", base=BASE)
    assert deadline.text == phrase == "6月底前、9月底前、年底前"
    assert deadline.milestones == (date(2022, 6, 30), date(2022, 9, 30))


def test_a_past_passage_suggests_the_date_meant_for_its_last_date():
    _, deadline = in_text("1月底前完成摸底,2月底前完成整改。", base=BASE)
    assert deadline.date == date(2022, 2, 28)
    assert deadline.suggested == date(2023, 2, 28)


def test_a_passage_due_on_the_documents_day_does_not_warn():
    _, deadline = in_text("2月底前完成摸底,3月15日前完成整改。", base=BASE)
    assert deadline.date == BASE
    assert deadline.warning == "" and deadline.suggested is None


def test_a_passage_keeps_each_seasons_warning():
    _, deadline = in_text("春耕期间完成备耕,汛期前完成加固。", base=BASE)
    assert deadline.warning == (
        "“春耕”按本县设定(3月1日至4月30日)计算,请确认本年度的实际日期;"
        "“汛期”按本县设定(6月1日至9月30日)计算,请确认本年度的实际日期"
    )


def test_each_phrase_written_in_chinese_numerals_is_cut_where_it_ends():
    text = "六月底前完成排查,十月底前全面验收。"
    assert [(f.phrase, f.start, f.end) for f in find(text, base=BASE)] == [("六月底前", 0, 4), ("十月底前", 9, 13)]
