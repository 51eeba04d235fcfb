"""Clause by clause: attitude and narrative are not tasks, a directive inside a run-on sentence is kept with
its subject, two units make two rows, and work plans and minutes give rows without 要 or 必须."""

from datetime import date

import pytest

from luoshi.intake.extract import propose
from luoshi.intake.judging import judge
from luoshi.intake.reading import read_text
from luoshi.lib import deadlines

BASE = date(2023, 3, 1)


def rows_of(text, scanner, base=BASE):
    return propose(read_text(text, name="文件.txt"), base=base, scanner=scanner).rows


@pytest.mark.parametrize(
    "sentence, why",
    [
        ("必须把握好发展和安全的关系。", "态度要求"),
        ("要牢固树立安全发展意识。", "态度要求"),
        ("我们要进一步站位全局,深化绿色发展理念。", "态度要求"),
        ("三大煤矿前期工作加快推进。", "叙述"),
        ("产业园区是推动县域经济发展的重要平台。", "叙述"),
        ("新型城镇化是扎实推进农村建设的龙头工程。", "叙述"),
        ("重点项目加快推进,完成投资32亿元,增长57%。", "已取得的成绩"),
        ("专项整治一般由县应急局牵头。", "叙述"),
    ],
)
def test_attitudes_descriptions_and_results_are_not_tasks(sentence, why):
    verdict = judge(sentence)
    assert not verdict.directive and verdict.excluded == why


def test_a_directive_with_a_concrete_object_stays_a_task():
    assert judge("要强化安全意识,6月底前完成隐患排查整改。").directive
    assert judge("凡事要有底线思维。").directive


def test_the_directive_clause_of_a_run_on_sentence_is_kept_with_its_subject(scanner):
    text = "去年全县安全生产形势总体平稳,但隐患仍然不少,各乡镇、县直各单位要立即开展隐患大排查,每周报送排查情况。"
    rows = rows_of(text, scanner)
    assert len(rows) == 1
    assert rows[0].text == "各乡镇、县直各单位要立即开展隐患大排查,每周报送排查情况。"
    assert rows[0].deadline.cadence == deadlines.WEEKLY
    assert {m.text for m in rows[0].mentions} >= {"各乡镇", "县直各单位"}


def test_rhetoric_before_the_directive_is_left_out_of_the_row(scanner):
    text = "如果搞不好,群众不满意,就不是一个称职的基层干部,各部门必须尽快进入会战状态。"
    rows = rows_of(text, scanner)
    assert [row.text for row in rows] == ["各部门必须尽快进入会战状态。"]


def test_two_units_in_one_sentence_make_two_rows_each_with_its_unit(scanner):
    text = "县交通运输局要在6月底前完成农村公路养护,县财政局要及时拨付养护资金。"
    rows = rows_of(text, scanner)
    assert [row.text for row in rows] == ["县交通运输局要在6月底前完成农村公路养护,", "县财政局要及时拨付养护资金。"]
    assert [row.units[0].name for row in rows] == ["交通运输局", "财政局"] or all(
        name in row.units[0].name for row, name in zip(rows, ["交通", "财政"], strict=True)
    )
    assert rows[0].deadline.date == date(2023, 6, 30)


def test_a_unit_and_its_duties_give_a_row_per_duty_led_by_that_unit(scanner):
    text = "三、职责分工\n(三)县住建局:负责制定老旧小区改造年度计划;指导各乡镇开展排查;每月5日前汇总报送进展情况。"
    rows = rows_of(text, scanner)
    assert [row.text for row in rows] == [
        "负责制定老旧小区改造年度计划;",
        "指导各乡镇开展排查;",
        "每月5日前汇总报送进展情况。",
    ]
    assert all("住房" in row.units[0].name or "住建" in row.units[0].name for row in rows)
    assert rows[2].deadline.cadence == deadlines.MONTHLY and rows[2].deadline.cadence_day == 5
    assert "职责分工" in rows[0].why


def test_a_stages_date_is_the_deadline_of_the_rows_under_it(scanner):
    text = (
        "四、实施步骤\n"
        "(一)动员部署阶段(3月15日前)。各乡镇制定具体方案,明确责任人。\n"
        "(二)集中整治阶段(2023年4月至9月底)。由县自然资源局牵头,会同各乡镇对违法占地问题逐宗整改销号。"
    )
    rows = rows_of(text, scanner)
    by_text = {row.text[:6]: row for row in rows}
    assert by_text["各乡镇制定具"].deadline.date == date(2023, 3, 15)
    fix = by_text["由县自然资源"]
    assert fix.deadline.date == date(2023, 9, 30)
    assert "自然资源" in fix.units[0].name
    assert fix.mentions[0].text in ("县自然资源局", "自然资源局")


def test_each_decision_of_the_minutes_is_a_row(scanner):
    text = (
        "会议议定:\n"
        "一、县城污水处理厂提标改造项目由县发改局牵头,县财政局配合,于6月底前完成可研批复。\n"
        "二、县教育局负责做好秋季学期校舍安全排查,8月底前报县政府。"
    )
    rows = rows_of(text, scanner)
    assert len(rows) == 2
    assert rows[0].deadline.date == date(2023, 6, 30) and "发" in rows[0].units[0].name
    assert rows[1].deadline.date == date(2023, 8, 31) and "教育" in rows[1].units[0].name


@pytest.mark.parametrize(
    "sentence, why",
    [
        ("2.厕屋面积不得小于1.2平方米,净高不得低于2米。", "技术规范"),
        ("为全面排查整治安全隐患,结合我县实际,特制定本方案。", "制定目的"),
        ("参加人员:县发改委、县财政局负责同志。", "名单"),
        ("示范县农村人居环境整治提升实施方案", "标题"),
    ],
)
def test_norms_purposes_lists_and_titles_are_not_tasks(sentence, why):
    verdict = judge(sentence)
    assert not verdict.directive and verdict.excluded == why


@pytest.mark.parametrize(
    "sentence",
    [
        "为规范农村建房管理,保障群众生命财产安全,结合我县实际,制定以下方案。",
        "为扎实开展安全生产大检查,现就有关工作制定如下方案。",
        "为推进垃圾分类工作,特制定本方案。",
    ],
)
def test_a_purpose_paragraph_that_introduces_the_plan_gives_no_row(sentence, scanner):
    assert rows_of(sentence, scanner) == []


def test_a_meetings_name_is_not_a_requirement():
    assert not judge("常务副县长主持召开全县重点工作督查推进会。").directive
    assert not judge("县政府召开防汛工作部署会。").directive


def test_the_lines_a_scraping_site_adds_are_not_the_documents_text():
    document = read_text("source: 某文库\nquery: 县长讲话\n关键词:讲话\n各乡镇要在6月底前完成排查。", name="讲话.txt")
    assert document.paragraphs == ["各乡镇要在6月底前完成排查。"]
    assert "query: 县长讲话" in document.notes


def test_a_yao_heading_that_names_concrete_work_is_a_row(scanner):
    text = "三要认真落实县委县政府决策部署,打赢项目建设攻坚大会战。\n各乡镇要在6月底前完成征地拆迁。"
    rows = rows_of(text, scanner)
    assert rows[0].source.startswith("三要认真落实") and rows[0].text.startswith("认真落实")


def test_relayed_requirements_are_marked_as_the_higher_levels(scanner):
    text = (
        "一、传达市委书记在全市重点工作推进会上的讲话主要精神\n"
        "各地要在6月底前完成重点项目集中开工。\n"
        "二、结合我县实际,讲几点意见\n"
        "各乡镇要在5月底前完成项目用地清表。"
    )
    rows = rows_of(text, scanner)
    by_text = {row.text[:4]: row for row in rows}
    assert by_text["各地要在"].section.startswith("上级要求")
    assert not by_text["各乡镇要"].section.startswith("上级要求")


REVIEW = (
    "过去一年,全县上下坚持稳中求进工作总基调,扎实推进各项工作。"
    "全县地区生产总值完成156亿元,增长6.8%;一般公共预算收入完成9.2亿元,增长8.1%。"
    "项目建设扎实推进,实施重点项目86个,完成投资120亿元,产业集聚区新入驻企业23家。"
    "乡村振兴有力推进,新建高标准农田5.2万亩,粮食总产稳定在8亿斤以上。"
    "民生保障不断加强,城镇新增就业6200人,新建改扩建学校11所,县人民医院新院区主体完工。"
    "深化放管服改革,审批时限压缩50%,营商环境评价位居全市第三。"
    "同时,我们也清醒看到,经济总量不大、财政收支矛盾突出等问题依然存在,必须高度重视,认真加以解决。"
)


@pytest.mark.parametrize("heading", ["", "一、2022年工作回顾\n"])
def test_a_work_reports_review_gives_at_most_two_rows_per_thousand_characters(heading):
    text = f"2023年示范县人民政府工作报告\n{heading}{REVIEW}"
    rows = propose(read_text(text), base=date(2023, 1, 10)).rows
    assert len(rows) <= 2 * len(REVIEW) / 1000, [row.source for row in rows]
