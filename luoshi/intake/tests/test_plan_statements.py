"""What the real work plans taught: full-width punctuation as published, tasks stated without 要, principles that are
not tasks, a group with its own modal inside a sentence, and the speed of `propose` on them."""

import time
from datetime import date

import pytest

from luoshi.intake.extract import propose
from luoshi.intake.judging import judge
from luoshi.intake.outline import find_marker
from luoshi.intake.reading import read_text, read_upload
from luoshi.testing import SAMPLES

BASE = date(2019, 1, 1)


def rows_of(text, scanner):
    return propose(read_text(text, name="方案.txt"), base=BASE, scanner=scanner).rows


def test_full_width_headings_open_sections_and_rows_keep_their_place(scanner):
    text = "一、试点任务\n（一）形成标准规范。编制集约化平台建设标准，制定信息数据标准规范。\n（二）开展考核评估。试点地区要于2019年12月底前报送总结报告。"
    proposal = propose(read_text(text, name="方案.txt"), base=BASE, scanner=scanner)
    sections = [child.title for child in proposal.outline.children]
    assert sections == ["(一)形成标准规范", "(二)开展考核评估"]  # 一、 alone is a list of one, no outline
    rows = proposal.rows
    assert [row.text[:4] for row in rows] == ["编制集约", "试点地区"]
    paragraph = proposal.document.paragraphs[rows[0].paragraph]
    assert paragraph[rows[0].start : rows[0].start + 4] == "编制集约"  # offsets point into the text as published
    assert rows[1].deadline.date == date(2019, 12, 31)


@pytest.mark.parametrize(
    "heading, kind, number",
    [
        ("（一）强化组织领导。", "cn_paren", 1),
        ("（十二）加强宣传引导。", "cn_paren", 12),
        ("（3）建立台账。", "num_paren", 3),
        ("2．全面排查。", "num_dot", 2),
        ("第二，压实责任。", "di", 2),
        ("其次：抓好整改。", "seq", 2),
    ],
)
def test_full_width_markers_are_read_without_folding(heading, kind, number):
    marker = find_marker(heading)
    assert (marker.kind, marker.number) == (kind, number)
    assert heading.startswith(marker.text)


@pytest.mark.parametrize(
    "sentence",
    [
        "编制集约化平台建设标准,对信息数据的分类、格式和接口等提出要求。",
        "在此前提下,建立对入围企业产品质量和供应能力的调查、评估、考核、监测体系。",
        "国务院办公厅将于2020年4月底前组织对试点工作进行验收总结。",
        "医疗机构应按合同规定与企业及时结算。",
        "严查医疗机构不按时结算药款问题。",
    ],
)
def test_a_plan_states_tasks_without_yao(sentence):
    assert judge(sentence).directive


@pytest.mark.parametrize("sentence", ["建立了县乡村三级网格。", "相应调整支付标准的依据见附件。"])
def test_the_same_words_in_narrative_are_not_tasks(sentence):
    assert not judge(sentence).directive


def test_principles_are_not_tasks_and_a_measure_without_yao_is_carried_by_its_first_statement(scanner):
    text = (
        "一、总体要求\n（一）目标任务。降低药价。\n（二）基本原则。一是坚持以人民为中心,切实减轻患者负担。二是坚持依法合规,严格执行相关政策规定。\n"
        "二、具体措施\n（一）带量采购,以量换价。在试点地区报送的采购量基础上,进行带量采购。剩余用量仍可采购挂网品种。\n"
        "（二）保证回款。医疗机构应按合同规定与企业及时结算。"
    )
    rows = rows_of(text, scanner)
    assert [row.text[:6] for row in rows] == ["在试点地区报", "医疗机构应按"]
    assert "方案条目" in rows[0].why


def test_a_group_with_its_own_modal_inside_a_sentence_is_a_row_of_its_own(scanner):
    text = "国家药监局负责对一致性评价品种进行认定,各省级药监部门要强化对中选药品质量的监督检查。"
    rows = rows_of(text, scanner)
    assert [row.text for row in rows] == [
        "国家药监局负责对一致性评价品种进行认定,",
        "各省级药监部门要强化对中选药品质量的监督检查。",
    ]
    assert rows[1].unresolved == ["各省级药监部门"]


def test_the_real_plans_read_fast(scanner):
    for name in (
        "plan-2019-drug-centralised-procurement.real.txt",
        "plan-2018-government-website-consolidation.real.txt",
    ):
        path = SAMPLES / "intake-genres" / name
        document = read_upload(path.name, path.read_bytes())
        started = time.perf_counter()
        propose(document, base=BASE, scanner=scanner)
        assert time.perf_counter() - started < 1.0
