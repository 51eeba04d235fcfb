"""Finding the outline and the requirements: the general markers, and the figures on the sample speech."""

from datetime import date
from pathlib import Path

import pytest

from luoshi.intake.extract import find_when, propose
from luoshi.intake.judging import judge
from luoshi.intake.mentions import Scanner
from luoshi.intake.quality import TARGET_PRECISION, TARGET_RECALL, TARGET_UNITS, load_gold, score
from luoshi.intake.reading import read_text, read_upload
from luoshi.org.models import Unit

from . import files
from .conftest import DOCX, GOLD, SCRAPED

BASE = date(2022, 3, 15)


@pytest.mark.parametrize(
    "sentence",
    [
        "各单位必须在6月底前完成排查。",
        "要确保接地气,特别是县直部门,更应该多到乡里面去。",
        "严禁擅自调整项目资金用途。",
        "力争全年引进亿元以上项目十个。",
        "汇报工作应该给领导出选择题。",
    ],
)
def test_a_directive_is_a_requirement(sentence):
    assert judge(sentence).directive


@pytest.mark.parametrize(
    "sentence, why",
    [
        ("去年我们提前谋划,把任务分解到单位。", "叙述"),
        ("全县生产总值实现了8%的增长。", "已取得的成绩"),
        ("古人说,知屋漏者在宇下,知政失者在朝野。", "引语"),
        ("法乎其上得乎其中,法乎其中得乎其下,法乎其下则无所得矣。", "古语"),
        ("举个例子,拆迁改造方方面面工作都要做到前几位。", "举例"),
        ("怎样汇报才能出彩?", "问句"),
    ],
)
def test_narrative_quotations_stories_and_questions_are_not(sentence, why):
    verdict = judge(sentence)
    assert not verdict.directive and verdict.excluded == why


def test_a_condition_or_an_idiom_directs_nobody():
    assert not judge("如果能做到上下左右融会贯通,才能干好工作。").directive
    assert not judge("就形不成这样情况,更不要说到省市上访。").directive


def test_the_outline_keeps_lists_and_drops_a_list_of_one():
    text = (
        "一要立足于争一流。首先是定位,定位就是要争一流。\n二要立足于善谋划。\n第一要做好盯上。各单位要学习政策。\n"
        "第二要做好看下。要加强调研。\n三要立足于早着手。一是要编制计划;二是要倒排工期。"
    )
    proposal = propose(read_text(text), base=BASE)
    titles = [(s.title, [c.title for c in s.children]) for s in proposal.outline.children]
    assert titles == [
        ("一要立足于争一流", []),
        ("二要立足于善谋划", ["第一要做好盯上", "第二要做好看下"]),
        ("三要立足于早着手", ["一是要编制计划", "二是要倒排工期"]),
    ]


def test_a_row_keeps_its_exact_source_span():
    document = read_text("会议强调:\n各乡镇要在6月底前完成隐患排查。去年的工作很好。")
    [row] = propose(document, base=BASE).rows
    assert document.paragraphs[row.paragraph][row.start : row.end] == row.source == "各乡镇要在6月底前完成隐患排查。"
    assert row.deadline.date == date(2022, 6, 30)
    assert "要" in row.why


def test_a_long_sentence_that_turns_gives_two_rows_and_a_row_is_at_most_two_sentences():
    text = (
        "在这个基础上,季度计划、月计划、周计划甚至每天计划都要清楚,特别是重大工程、重点项目,一定要倒排工期,"
        "留有余地,大头靠前,只有这样才能从容主动。所以说一定要注意方法。包括信访稳定等事项。这一块必须研究。"
    )
    rows = propose(read_text(text), base=BASE).rows
    assert [r.source[:8] for r in rows] == [
        "在这个基础上,季",
        "特别是重大工程、",
        "所以说一定要注意",
        "这一块必须研究。",
    ]
    # 包括…… carries the requirement on; a third sentence would make the row too long, so 这一块…… stands alone.
    assert rows[2].source == "所以说一定要注意方法。包括信访稳定等事项。"


@pytest.mark.parametrize(
    "text, deadline, cadence",
    [
        ("年底前完成", date(2022, 12, 31), "none"),
        ("务必于6月底前完成", date(2022, 6, 30), "none"),
        ("每月25日前报送进展", None, "monthly"),
        ("四个月左右把工作做出明显成效", date(2022, 7, 15), "none"),
        ("三季度末前建成", date(2022, 9, 30), "none"),
    ],
)
def test_it_finds_the_deadline_phrase_inside_a_sentence(text, deadline, cadence):
    _, parsed = find_when(text, BASE)
    assert parsed.date == deadline and parsed.cadence == cadence


def test_it_finds_units_and_groups_in_running_text(demo_county):
    scanner = Scanner.load()
    [row] = propose(
        read_text("比如财政上,投资公司、国土局、国资局、住建局、保障房中心,甚至乡镇需要收入多少,都要有一个年度计划。"),
        base=BASE,
        scanner=scanner,
    ).rows
    names = {unit.name for unit in row.units}
    assert {"投资集团有限公司", "自然资源局", "国有资产监督管理局", "住房和城乡建设局", "保障性住房发展中心"} <= names
    assert {u.name for u in Unit.objects.filter(kind="township")} <= names
    assert [m.text for m in row.mentions][:2] == ["投资公司", "国土局"]


@pytest.mark.parametrize("path", [SCRAPED, DOCX], ids=["scraped", "docx"])
def test_the_sample_speech_meets_the_quality_targets(demo_county, path):
    document = read_upload(path.name, path.read_bytes())
    proposal = propose(document, base=BASE, scanner=Scanner.load())
    result = score(proposal.rows, load_gold(GOLD), list(Unit.objects.active()))
    assert result.recall >= TARGET_RECALL, [item["anchor"] for item in result.missed]
    assert result.precision >= TARGET_PRECISION, result.unmatched_rows
    assert result.units >= TARGET_UNITS, result.unit_failures
    assert all(row.source.count("。") + row.source.count("?") <= 2 for row in proposal.rows)


def test_both_forms_of_the_sample_give_the_same_items(demo_county):
    scanner = Scanner.load()
    gold = load_gold(GOLD)
    units = list(Unit.objects.active())
    results = [
        score(propose(read_upload(p.name, p.read_bytes()), base=BASE, scanner=scanner).rows, gold, units)
        for p in (SCRAPED, DOCX)
    ]
    assert results[0].covered == results[1].covered
    assert abs(results[0].rows - results[1].rows) <= 1


def test_minutes_in_the_formal_outline_give_one_row_per_decision(demo_county):
    """Minutes no one on the project wrote for the rules: 一、/(一), 一是……;二是……, 会议要求, a date line."""
    path = Path(__file__).with_name("minutes-sample.txt")
    document = read_upload(path.name, path.read_bytes())
    proposal = propose(document, base=document.date, scanner=Scanner.load())
    rows = [row.as_dict() for row in proposal.rows]
    assert document.date == date(2022, 4, 8)
    assert [row["text"][:6] for row in rows] == [
        "县住建局要会",
        "各乡镇(街道",
        "县水利局要在",
        "县应急管理局",
        "各乡镇要落实",
        "县发改委牵头",
        "县市场监管局",
    ]
    assert rows[0]["units"][:2] == ["住房和城乡建设局", "财政局"] and rows[0]["deadline"] == "2022-06-30"
    assert rows[2]["section"] == "二、关于防汛准备工作" and rows[2]["deadline"] == "2022-05-15"
    assert rows[3]["cadence"] == "weekly"
    assert rows[5]["deadline"] == "2022-09-30" and rows[6]["standing"]
    assert "会议指出,去年" not in " ".join(row["source"] for row in rows)


def test_decisions_in_a_table_are_rows(demo_county):
    content = files.docx_bytes(
        ["县政府常务会议纪要", "会议议定事项如下:"],
        table=[
            ["序号", "议定事项", "牵头单位", "完成时限"],
            ["1", "加快推进城区供水管网改造", "住建局", "6月底前"],
            ["2", "做好春季森林防火", "林业局", "长期坚持"],
        ],
    )
    rows = propose(read_upload("纪要.docx", content), base=BASE, scanner=Scanner.load()).rows
    assert [(r.units[0].name, r.deadline.label) for r in rows] == [
        ("住房和城乡建设局", "2022-06-30"),
        ("林业局", "长期坚持"),
    ]


def test_a_work_report_skips_its_review_of_the_past_year():
    text = (
        "2022年示范县人民政府工作报告\n一、2021年工作回顾\n"
        "过去一年,全县地区生产总值增长7.5%。我们坚持项目为王,实施重点项目86个。深化放管服改革,审批时限压缩50%。\n"
        "二、2022年工作安排\n(一)聚焦项目建设,增强发展后劲。坚持项目为王,全年谋划实施重点项目120个。"
        "加快推进城区供水管网改造,确保年底前建成通车。\n"
        "(二)深化改革创新,激发市场活力。深化放管服改革,推行“一件事一次办”。"
    )
    rows = propose(read_text(text), base=BASE).rows
    assert [row.source[:6] for row in rows] == ["坚持项目为王", "加快推进城区", "深化放管服改"]
    assert rows[1].deadline.date == date(2022, 12, 31)
    assert all(row.section.startswith("(") for row in rows)
