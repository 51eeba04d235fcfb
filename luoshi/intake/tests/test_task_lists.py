"""County 督办 task lists and plans as they are written: units after the item ((责任单位:……), (牵头单位:……;配合单位:……),
a 责任单位 line), stages under 工作步骤 with their dates, flat statements opening with an adverb, a heading beside its own
sentence, and narrative that reports what was done or said. Every sentence here is invented."""

from datetime import date

import pytest

from luoshi.intake.clauses import flat_work
from luoshi.intake.extract import propose
from luoshi.intake.judging import judge
from luoshi.intake.reading import read_text

BASE = date(2024, 5, 1)


def rows_of(text, scanner):
    return propose(read_text(text, name="督办事项.txt"), base=BASE, scanner=scanner).rows


TASK_LIST = """一、重点督办事项
1.集中开展城区背街小巷环境专项整治,年底前完成。(责任单位:县住建局、各乡镇)
2.建立农村公路养护台账。(牵头单位:县交通局;配合单位:县财政局、县自然资源局)
3.组织开展汛前水库安全检查(牵头单位:县水利局;配合单位:县应急局)。
4.深入开展校园周边食品安全检查。
责任单位:县市场监管局、县教育局
5.加快推进农贸市场提质改造。(责任单位;县商务局)
二、有关要求
各单位要于6月10日前将落实情况报县政府督查室。"""


def test_the_units_named_after_an_item_are_its_units_and_leave_its_text(scanner):
    rows = rows_of(TASK_LIST, scanner)
    texts = [row.text for row in rows]
    assert texts[:5] == [
        "集中开展城区背街小巷环境专项整治,年底前完成。",
        "建立农村公路养护台账。",
        "组织开展汛前水库安全检查。",
        "深入开展校园周边食品安全检查。",
        "加快推进农贸市场提质改造。",
    ]
    assert not any("责任单位" in text or "牵头单位" in text for text in texts)
    first = rows[0].as_dict()["units"]
    assert first[0] == "住房和城乡建设局" and "柳林镇" in first and "郭店镇" in first  # the first named leads
    assert rows[1].as_dict()["units"] == ["交通运输局", "财政局", "自然资源局"]
    assert rows[2].as_dict()["units"] == ["水利局", "应急管理局"]
    assert rows[3].as_dict()["units"] == ["市场监督管理局", "教育局"]  # the 责任单位 line right after
    assert rows[4].as_dict()["units"] == ["商务局"]  # (责任单位;……) as typed
    assert rows[0].deadline.date == date(2024, 12, 31)


def test_the_lead_is_the_one_a_note_says_leads_whatever_the_order(scanner):
    rows = rows_of(
        "一、重点任务\n1.开展城乡结合部违建专项整治。(配合单位:县公安局;牵头单位:县自然资源局)\n"
        "2.开展城区占道经营整治。(责任单位:县城管局)\n二、其他",
        scanner,
    )
    assert [row.as_dict()["units"] for row in rows] == [["自然资源局", "公安局"], ["城市管理局"]]


def test_a_note_of_units_is_never_a_row_of_its_own_nor_lends_its_units_to_narrative(scanner):
    rows = rows_of(
        "一、重点督办事项\n县督查室对全县秸秆禁烧情况进行了专项督查。(责任单位:县农业农村局)\n"
        "1.开展秸秆禁烧巡查。\n牵头单位:县应急局\n2.开展田间火源排查。\n二、工作要求\n请各单位认真对照。",
        scanner,
    )
    assert [row.text for row in rows] == ["开展秸秆禁烧巡查。", "开展田间火源排查。"]
    assert [row.as_dict()["units"] for row in rows] == [["应急管理局"], []]
    assert not any("责任单位" in row.text or "牵头单位" in row.text for row in rows)


def test_a_stage_under_the_steps_is_a_row_due_at_the_end_of_its_dates(scanner):
    rows = rows_of(
        "一、工作目标\n全面完成危房改造任务。\n二、工作步骤\n"
        "1.摸底排查阶段(6月1日—6月10日),各乡镇对辖区内危房逐户摸底登记造册。\n"
        "2.集中整改阶段(6月11日—8月31日),由县住建局、县应急局联合开展集中整改。\n"
        "三、工作要求\n请各单位认真对照。",
        scanner,
    )
    stages = [row for row in rows if "阶段" in row.text]
    assert [row.text[:6] for row in stages] == ["摸底排查阶段", "集中整改阶段"]
    assert [row.deadline.date for row in stages] == [date(2024, 6, 10), date(2024, 8, 31)]
    assert "柳林镇" in stages[0].as_dict()["units"]
    assert stages[1].as_dict()["units"] == ["住房和城乡建设局", "应急管理局"]  # 由……联合: the units named


@pytest.mark.parametrize(
    "statement", ["全面开展农村人居环境集中整治。", "深入开展校园周边安全隐患排查。", "集中开展违规占用耕地清理。"]
)
def test_a_flat_statement_may_open_with_an_adverb(statement):
    assert flat_work(statement)


@pytest.mark.parametrize("statement", ["全面开展了农村人居环境集中整治。", "全面提升群众满意度。"])
def test_an_adverb_before_no_work_or_before_work_done_is_no_flat_statement(statement):
    assert not flat_work(statement)


def test_a_heading_that_names_its_part_is_not_a_row_beside_its_own_sentence(scanner):
    rows = rows_of(
        "一、整治内容\n开展集中整治。\n二、工作要求\n(一)加强组织领导。各乡镇要成立工作专班,明确专人负责。", scanner
    )
    assert [row.text for row in rows if "组织领导" in row.text or "工作专班" in row.text] == [
        "各乡镇要成立工作专班,明确专人负责。"
    ]


def test_a_numbered_item_with_its_own_modal_and_nothing_under_it_stays_a_row(scanner):
    rows = rows_of("二、工作要求\n(一)县财政局要在6月底前拨付经费。", scanner)
    assert [row.text for row in rows] == ["县财政局要在6月底前拨付经费。"]


@pytest.mark.parametrize(
    "sentence",
    [
        "县督查室对全县秸秆禁烧情况进行了专项督查。",
        "会后,副县长王明就下一步工作强调了三点意见。",
        "县长就做好防汛工作提出了具体要求。",
    ],
)
def test_narrative_of_what_was_done_or_said_is_not_a_requirement(sentence):
    assert not judge(sentence).directive


@pytest.mark.parametrize(
    "sentence", ["各乡镇要对辖区内企业进行全面排查。", "县应急局要在会上强调安全生产要求,并开展督查。"]
)
def test_work_to_be_done_is_still_a_requirement(sentence):
    assert judge(sentence).directive


def test_units_named_with_jointly_carry_out_the_work(scanner):
    rows = rows_of("今年雨季前,由县公安局、县交通局联合开展超载超限治理。", scanner)
    assert [row.as_dict()["units"] for row in rows] == [["公安局", "交通运输局"]]


@pytest.mark.parametrize(
    "sentence", ["今年由县公安局、县交通局联合开展了超载治理。", "县公安局与县交通局联合执法效果明显。"]
)
def test_joint_work_already_done_or_described_is_not_a_row(sentence):
    assert not judge(sentence).directive


MEETING = (
    "会议听取了各乡镇的汇报。一是要开展隐患排查,建立整改台账,10月底前完成整改;二是要加快推进项目建设,确保年底前竣工;"
    "三是县住建局要加快推进老旧小区改造,督促各乡镇完善管网配套,及时拨付改造补助资金。"
)


def test_a_point_with_several_works_of_one_subject_gives_a_row_for_each(scanner):
    rows = propose(read_text(MEETING, name="纪要.txt"), base=BASE, scanner=scanner).rows
    assert [row.text.rstrip(",;。") for row in rows] == [
        "要开展隐患排查,建立整改台账,10月底前完成整改",  # the steps of one task stay one row
        "要加快推进项目建设,确保年底前竣工",  # and so does its purpose
        "县住建局要加快推进老旧小区改造",
        "督促各乡镇完善管网配套",
        "及时拨付改造补助资金",
    ]
    # The later works are the subject's, and the townships it is to urge are not the ones who do them.
    assert [row.as_dict()["units"] for row in rows[2:]] == [["住房和城乡建设局"]] * 3


def test_a_group_that_is_the_object_of_the_work_or_a_kind_of_institution_is_not_the_rows_unit(scanner):
    rows = rows_of(
        "会议听取了汇报。一是各分管领导要督导分包县直单位和乡镇加强防汛值守;二是县民政局要抓好乡镇敬老院消防改造。"
        "三是各乡镇要在6月底前完成危房排查。",
        scanner,
    )
    units = [row.as_dict()["units"] for row in rows]
    assert units[0] == []
    assert units[1] == ["民政局"]
    assert "柳林镇" in units[2]  # a group that does the work is still every township


def test_a_marker_alone_on_its_line_is_no_row_and_the_work_after_it_is():
    """会议要求。 is the marker of what follows; taken off, it leaves "。", which must not be a row."""
    text = "县政府常务会议纪要\n会议听取了县住建局关于城市建设的汇报。\n会议要求。\n县住建局要在6月底前完成老旧小区改造。\n"
    rows = propose(read_text(text, name="纪要.txt"), base=BASE).rows
    assert [row.text for row in rows] == ["县住建局要在6月底前完成老旧小区改造。"]
    assert rows[0].parent is None
