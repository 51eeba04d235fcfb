"""The preview reads a 任务分解表 as offices lay it out, resolves every row and names every problem."""

from datetime import date
from pathlib import Path

import pytest
from openpyxl.comments import Comment

from luoshi.ledger.preview import ERROR, WARNING, preview_ledger
from luoshi.lib.sheets import SheetError
from luoshi.org.models import User
from luoshi.testing import SAMPLES

from .builders import HEADERS, edit, ledger_file

SAMPLE = Path(SAMPLES) / "ledger-2022-work-deployment.xlsx"
pytestmark = pytest.mark.usefixtures("march_2022")


@pytest.fixture
def demo_office(demo_county):
    return User.objects.get(username="office")


@pytest.fixture
def office(personas):
    return personas.office


def preview(data: bytes, user, **kwargs):
    return preview_ledger(data, name="任务分解表.xlsx", user=user, **kwargs)


def test_the_shared_sample_gives_twenty_tasks_with_their_units_and_deadlines(demo_office):
    result = preview(SAMPLE.read_bytes(), demo_office)

    assert result.ok, [str(p) for p in result.errors]
    assert len(result.rows) == 20
    assert result.task_count == 20
    assert result.base == date(2022, 3, 1)  # the date line (2022年3月) under the title
    by_title = {row.cells["title"]: row for row in result.rows}
    land = by_title["土地出让提前谋划"]  # 县自然资源局, 分管自然资源副县长, 2022年11月底
    assert [u.name for u in land.lead] == ["自然资源局"]
    assert land.leader.title == "副县长"
    assert land.deadline.date == date(2022, 11, 30)
    income = by_title["编制年度增收计划"]  # 县国土局 is an alias of 自然资源局; 各乡镇 adds every township
    assert "自然资源局" in {u.name for u in income.supporting}
    assert sum(u.kind == "township" for u in income.supporting) == 12
    assert income.deadline.date == date(2022, 3, 15)
    assert by_title["学习研究职责范围内的政策、法律、文件和领导讲话"].deadline.cadence_day == 25
    assert by_title["主要经济指标在全市争先进位"].deadline.standing
    assert by_title["建立分管领域主要数字台账,做到“一口清”"].deadline.date == date(2022, 4, 30)  # a real date cell
    assert by_title["编制三年行动计划"].deadline.date == date(2022, 3, 31)  # 2022.3.31
    # The category is merged over its rows; every row under it carries it.
    assert by_title["信访稳定工作提前下手"].cells["category"] == "三、立足于早着手"


def test_the_sample_names_its_warnings_by_row_and_column(demo_office):
    result = preview(SAMPLE.read_bytes(), demo_office)

    messages = [str(p) for p in result.warnings]
    assert "第18行「配合单位」:未找到单位“项目单位”。将按原文记录在事项上。" in messages
    assert any(m.startswith("第12行「责任县领导」:未能确定责任领导“分管副县长”") for m in messages)
    assert not result.errors


def test_an_unknown_lead_unit_is_an_error_with_the_closest_match(office):
    data = ledger_file([[1, "编制年度增收计划", "", "", "县财税局", "", "年底前", ""]])

    result = preview(data, office)

    assert not result.ok
    assert str(result.errors[0]) == "第4行「牵头单位」:未找到单位“县财税局”,是否为“财政局”?"
    assert "县财税局" in result.unknown_leads


def test_a_unit_chosen_by_hand_resolves_the_row(office, personas):
    data = ledger_file([[1, "编制年度增收计划", "", "", "县财税局", "", "年底前", ""]])

    result = preview(data, office, choices={"县财税局": personas.finance.pk})

    assert result.ok
    assert result.rows[0].lead == [personas.finance]


def test_a_missing_lead_or_an_unreadable_deadline_blocks_the_import(office):
    data = ledger_file(
        [
            [1, "没有牵头单位的事项", "", "", "", "", "年底前", ""],
            [2, "时限写错的事项", "", "", "财政局", "", "2022年2月30日", ""],
            [3, "时限看不懂的事项", "", "", "财政局", "", "尽快", ""],
            [4, "长期事项", "", "", "财政局", "", "长期坚持", ""],
        ]
    )

    result = preview(data, office)

    errors = [str(p) for p in result.errors]
    assert errors[0] == "第4行「牵头单位」:牵头单位为空。每个事项须有一个牵头单位。"
    assert errors[1].startswith("第5行「完成时限」:完成时限“2022年2月30日”无法识别")
    assert errors[2].startswith("第6行「完成时限」:完成时限“尽快”无法识别")
    assert len(errors) == 3


def test_warnings_let_a_row_through(office):
    data = ledger_file([[1, "去年的事项", "", "副县长", "财政局", "县不存在局", "2021年12月31日", ""]])

    result = preview(data, office)

    assert result.ok
    kinds = {p.column: p.severity for p in result.problems}
    assert kinds == {"配合单位": WARNING, "责任县领导": WARNING, "完成时限": WARNING}
    assert result.rows[0].supporting_unknown == ["县不存在局"]


def test_a_group_lead_makes_one_task_per_township(office):
    data = ledger_file([[1, "开展人居环境整治", "", "", "各乡镇", "住建局", "三季度", ""]])

    result = preview(data, office)

    assert result.rows[0].lead_group == "各乡镇"
    assert [u.name for u in result.rows[0].lead] == ["城关镇"]
    assert result.task_count == 1


def test_a_header_over_two_rows_and_a_table_on_a_later_sheet_are_found(office):
    def two_rows(workbook):
        sheet = workbook["任务分解表"]
        sheet.delete_rows(3)
        sheet.insert_rows(3, 2)
        top = ["序号", "重点任务", "目标要求", "牵头县领导", "责任主体", "", "时间节点", "备注"]
        bottom = ["", "", "", "", "主要责任单位", "协办单位", "", ""]
        for column, (a, b) in enumerate(zip(top, bottom, strict=True), start=1):
            sheet.cell(row=3, column=column, value=a or None)
            sheet.cell(row=4, column=column, value=b or None)
        sheet.merge_cells("E3:F3")

    data = edit(ledger_file([[1, "项目建设保三争一", "", "常务副县长", "县财政局", "住建局", "年底前", ""]],
                            notes_sheet_first=True), two_rows)  # fmt: skip

    result = preview(data, office)

    assert result.ok, [str(p) for p in result.problems]
    assert result.table.sheet.name == "任务分解表"
    assert [u.name for u in result.rows[0].lead] == ["财政局"]
    assert [u.name for u in result.rows[0].supporting] == ["住房和城乡建设局"]
    assert result.rows[0].leader.name == "李强"
    assert result.rows[0].number == 5


def test_blank_rows_a_total_row_section_lines_and_footnotes_are_not_tasks(office):
    data = ledger_file(
        [
            ["一、立足于争一流", None, None, None, None, None, None, None],
            [1, "招商引资保三争一", "", "", "财政局", "", "年底前", ""],
            [None] * 8,
            [2, "项目建设保三争一", "", "", "住建局", "", "年底前", ""],
            ["合计", "2项", None, None, None, None, None, None],
            ["注:牵头单位只填一个。", None, None, None, None, None, None, None],
            [3, "注释下面的内容不是事项", "", "", "财政局", "", "年底前", ""],
        ]
    )

    result = preview(data, office)

    assert [row.cells["title"] for row in result.rows] == ["招商引资保三争一", "项目建设保三争一"]
    assert result.rows[0].cells["category"] == "一、立足于争一流"


def test_a_hidden_column_is_seen_and_flagged(office):
    def hide(workbook):
        workbook.active.column_dimensions["H"].hidden = True

    data = edit(ledger_file([[1, "招商引资保三争一", "", "", "财政局", "", "年底前", "内部备注"]]), hide)

    result = preview(data, office)

    assert "文件「备注」:H列「备注」是隐藏列,请确认其内容无误。" in [str(p) for p in result.warnings]


def test_formulas_give_their_cached_value_and_an_uncalculated_one_is_flagged(office):
    data = ledger_file([[1, "招商引资保三争一", "", "", "财政局", "", "年底前", ""]])

    def formula(workbook):
        workbook.active["H4"] = '="见"&"附件"'  # openpyxl writes no cached value, as a file never opened in Excel

    result = preview(edit(data, formula), office)

    flagged = [str(p) for p in result.warnings if p.column == "备注"]
    assert flagged and "是公式,但没有计算结果" in flagged[0]


def test_numbers_stored_as_text_and_real_numbers_read_the_same(office):
    data = ledger_file([["1", "招商引资保三争一", "", "", "财政局", "", "44926", ""],
                        [2.0, "项目建设保三争一", "", "", "住建局", "", 44926, ""]])  # fmt: skip

    result = preview(data, office)

    assert [row.cells["seq"] for row in result.rows] == ["1", "2"]
    assert {row.deadline.date for row in result.rows} == {date(2022, 12, 31)}


def test_a_mapping_chosen_by_hand_replaces_the_guess(office):
    headers = ["序号", "内容", "要求", "领导", "主办", "协办", "期限", "备注"]  # names it does not know
    data = ledger_file([[1, "招商引资保三争一", "", "", "财政局", "", "年底前", ""]], headers=headers)

    with pytest.raises(SheetError, match="找不到表头"):
        preview(data, office)

    from luoshi.ledger.reader import header_key

    assert header_key("牵头单位(一个)") == "lead"


def test_a_mapping_missing_the_lead_column_says_so(office):
    data = ledger_file([[1, "招商引资保三争一", "", "", "财政局", "", "年底前", ""]])

    result = preview(data, office, mapping={"title": 1, "deadline": 6})

    assert [str(p) for p in result.errors] == ["文件:没有找到「牵头单位」列。请在“列对应”里指定哪一列是牵头单位。"]


def test_a_liaison_may_not_add_tasks(personas):
    liaison = personas.liaison
    data = ledger_file([[1, "招商引资保三争一", "", "", "财政局", "", "年底前", ""]])

    result = preview(data, liaison)

    assert "不能新增事项" in str(result.errors[0])


@pytest.mark.parametrize("headers", [HEADERS])
def test_the_json_form_holds_cells_units_deadlines_and_problems(office, headers):
    data = ledger_file([[1, "招商引资保三争一", "", "常务副县长", "县财政局", "县不存在局", "2022年6月底前", ""]])

    row = preview(data, office).as_json()["rows"][0]

    assert row["cells"]["lead"] == "县财政局"
    assert row["lead"] == ["财政局"]
    assert row["deadline"]["date"] == "2022-06-30"
    assert row["problems"][0]["severity"] == WARNING
    assert ERROR not in {p["severity"] for p in row["problems"]}


def test_a_comment_in_a_cell_does_not_disturb_the_reading(office):
    def comment(workbook):
        workbook.active["E4"].comment = Comment("请核实", "督查室")

    data = edit(ledger_file([[1, "招商引资保三争一", "", "", "财政局", "", "年底前", ""]]), comment)

    assert preview(data, office).ok
