"""Issue 14's last misses, as general rules on invented sentences: two tasks of one subject in one sentence are two
rows led by that subject; a plan's measure stated flatly is a row beside one with a directive word; a group set up
with 由……组成 is a row led by its lead unit. Attitudes, steps of one task, descriptions and narrative stay as they were."""

from datetime import date

import pytest

from luoshi.intake.clauses import flat_work, sets_up_group, work_cuts
from luoshi.intake.extract import propose
from luoshi.intake.judging import judge
from luoshi.intake.reading import read_text

BASE = date(2023, 3, 1)


def rows_of(text, scanner, name="方案.txt"):
    return propose(read_text(text, name=name), base=BASE, scanner=scanner).rows


def lead_of(row):
    return row.units[0].name if row.units else None


# --- two tasks of one subject in one sentence -------------------------------------------------------------------


def test_a_unit_with_a_second_task_after_bing_gives_two_rows_led_by_that_unit(scanner):
    rows = rows_of("县卫健委要制定冬春季传染病防控方案,并开展全员应急培训。", scanner)
    assert [row.text for row in rows] == ["县卫健委要制定冬春季传染病防控方案,", "并开展全员应急培训。"]
    assert [lead_of(row) for row in rows] == ["卫生健康委员会", "卫生健康委员会"]


def test_a_later_clause_with_its_own_modal_is_a_second_row_with_the_same_lead(scanner):
    text = (
        "县应急局要会同有关部门做好汛期值守、隐患巡查等工作,对整改滞后的乡镇要开展专项督查,重大险情及时向县政府报告。"
    )
    rows = rows_of(text, scanner)
    assert len(rows) == 2
    assert rows[0].text.startswith("县应急局要会同有关部门做好汛期值守")
    assert rows[1].text == "对整改滞后的乡镇要开展专项督查,重大险情及时向县政府报告。"
    assert lead_of(rows[0]) == lead_of(rows[1]) == "应急管理局"


def test_two_works_joined_by_a_dun_give_two_rows(scanner):
    rows = rows_of("县教育局要制定校园安全工作方案、开展校园周边环境集中整治。", scanner)
    assert [row.text for row in rows] == ["县教育局要制定校园安全工作方案、", "开展校园周边环境集中整治。"]
    assert [lead_of(row) for row in rows] == ["教育局", "教育局"]


def test_a_long_run_on_sentence_splits_where_a_second_deliverable_begins(scanner):
    text = (
        "要加强组织领导,压实属地管理责任,认真履行日常监管职责,将自建房安全管理工作纳入乡镇年度目标考核,"
        "建立健全农村自建房安全长效监管机制,明确村(社区)网格员的巡查责任,层层传导压力,确保责任落到实处。"
    )
    rows = rows_of(text, scanner)
    assert len(rows) == 2
    assert "纳入乡镇年度目标考核" in rows[0].source and "长效监管机制" not in rows[0].source
    assert rows[1].text.startswith("建立健全农村自建房安全长效监管机制")


@pytest.mark.parametrize(
    "sentence",
    [
        # the steps of one task: a short sentence stays one row
        "各乡镇要对辖区内农贸市场开展全面排查,建立问题台账,10月底前完成整改。",
        # an attitude before the connective: nothing concrete to make a first task of
        "各乡镇要高度重视、加强领导,并建立汛期值班制度。",
        # a list of what one piece of work covers, not two works
        "县市场监管局要做好抽检、复检、公示等工作。",
    ],
)
def test_one_task_with_its_steps_stays_one_row(sentence, scanner):
    assert work_cuts(sentence) == []
    assert len(rows_of(sentence, scanner)) == 1


# --- a plan's flat statements -----------------------------------------------------------------------------------

PLAN = (
    "一、工作目标\n"
    "(一)资金到位。县医保中心按不低于上年结算额的20%提前预付给定点医院。\n"
    "(二)服务便民。群众满意度明显提高。\n"
    "二、主要任务\n"
    "(一)强化资金保障。县财政局要在3月底前拨付首批补助资金。县医保中心按不低于上年结算额的20%提前预付给定点医院。\n"
    "(二)建立长效机制。各乡镇要落实网格化管理。开展农村垃圾分类专项行动。\n"
    "(三)优化办事服务。县政务服务中心要推行一窗通办。群众办理业务时,按实际发生费用结算。"
    "鼓励有条件的乡镇试点上门服务。通过数据共享,为群众办事提供便利。\n"
)


def test_a_plans_flat_statement_of_work_is_a_row_beside_one_with_a_directive(scanner):
    texts = [row.text for row in rows_of(PLAN, scanner)]
    assert texts == [
        "县财政局要在3月底前拨付首批补助资金。",
        "县医保中心按不低于上年结算额的20%提前预付给定点医院。",
        "各乡镇要落实网格化管理。",
        "开展农村垃圾分类专项行动。",
        "县政务服务中心要推行一窗通办。",
    ]  # not the goals part's statement, nor what a user does, an encouragement or a purpose


@pytest.mark.parametrize(
    "sentence, flat",
    [
        ("建立农村供水工程长效管护机制。", True),
        ("开展秋冬季森林防火专项行动。", True),
        ("县农业农村局汇总各乡镇验收结果。", True),
        ("群众办理业务时,按实际发生费用结算。", False),
        ("鼓励有条件的企业建立研发中心。", False),
        ("探索建立跨乡镇联合执法机制。", False),
        ("联合办公室下设综合组、督查组。", False),
    ],
)
def test_what_counts_as_a_flat_statement_of_work(sentence, flat):
    assert flat_work(sentence) is flat


# --- a group's setting-up ---------------------------------------------------------------------------------------


def test_a_group_composed_by_you_is_a_row_led_by_its_first_member(scanner):
    text = "由县应急局、县公安局、县交通运输局组成道路交通安全专项整治工作专班。"
    assert judge(text).directive and "成立小组" in judge(text).why
    rows = rows_of(text, scanner)
    assert len(rows) == 1
    assert [unit.name for unit in rows[0].units] == ["应急管理局", "公安局", "交通运输局"]


def test_a_group_whose_office_sits_in_a_unit_is_led_by_that_unit(scanner):
    text = "成立县防汛抗旱指挥部,由分管副县长任指挥长,县应急局、县水利局为成员单位,指挥部办公室设在县水利局。"
    rows = rows_of(text, scanner)
    assert len(rows) == 1 and lead_of(rows[0]) == "水利局"


@pytest.mark.parametrize(
    "sentence",
    [
        "联合执法队由县城管局、县市场监管局各派2名执法人员组成。",  # what a body is made of
        "去年由住建、应急等部门组成了专班。",  # narrative
    ],
)
def test_what_a_body_is_made_of_is_not_a_row(sentence, scanner):
    assert not sets_up_group(sentence) or not judge(sentence).directive
    assert rows_of(sentence, scanner) == []
