"""The ledger download looks like an office's own 台账, for any filter, and only holds what the user may see."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from luoshi.ledger.preview import preview_ledger
from luoshi.ledger.services import ledger_import
from luoshi.testing import PASSWORD
from luoshi.work import services
from luoshi.work.models import Task

from .builders import ledger_file

pytestmark = pytest.mark.usefixtures("march_2022")

ROWS = [
    [1, "编制年度增收计划", "明确全年收入目标", "常务副县长", "财政局", "住建局", "2022年3月17日", ""],
    [3, "推进老旧小区改造", "", "", "住建局", "", "年底前", ""],
]


@pytest.fixture
def ledger(personas):
    data = ledger_file(ROWS)
    ledger_import(preview=preview_ledger(data, name="x.xlsx", user=personas.office), by=personas.office)
    # Text that Excel would take for a formula, typed into Luoshi by hand.
    services.task_create(spec=services.TaskSpec(title='=HYPERLINK("http://evil")', requirements="+1+1",
                                                lead=personas.finance, deadline=date(2022, 12, 31)), by=personas.office)  # fmt: skip
    task = Task.objects.get(title="编制年度增收计划")
    services.task_report(task=task, by=personas.liaison,
                         report=services.ReportInput(done_text="完成测算", problems="收入不确定", next_steps="报常务会"))  # fmt: skip
    return personas


def download(client, user, query="year=2022"):
    client.force_login(user)
    response = client.get(f"/ledger/export/?{query}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return response, content


def test_the_download_has_the_ledger_layout(client, ledger):
    response, content = download(client, ledger.office)

    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(content))
    assert workbook.sheetnames == ["台账", "单位汇总"]
    sheet = workbook["台账"]
    assert sheet["A1"].value == "示范县2022年重点工作任务台账(截至2022年3月15日)"
    assert "A1:R1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:R5"
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.column_dimensions["C"].width == 20
    assert sheet.column_dimensions["Q"].hidden and sheet.column_dimensions["R"].hidden  # 系统编号, 反馈版本
    # The deadline and the cadence in columns of their own; 反馈时间 wide enough for a date (#13 §3).
    assert (sheet["H2"].value, sheet["I2"].value) == ("完成时限", "反馈周期")
    assert sheet.column_dimensions["O"].width >= 15 and sheet["O2"].value == "反馈时间"
    assert sheet["C2"].font.name == "黑体"
    assert {sheet.cell(row=3, column=c).font.name for c in range(1, 16)} == {"仿宋"}
    assert sheet["C3"].alignment.wrap_text


def test_the_lights_are_cell_fills_and_the_latest_report_has_its_own_columns(client, ledger):
    _, content = download(client, ledger.office)
    sheet = load_workbook(BytesIO(content))["台账"]
    rows = {sheet.cell(row=r, column=3).value: r for r in range(3, sheet.max_row + 1)}
    row = rows["编制年度增收计划"]  # due in two days: yellow

    assert sheet.cell(row=row, column=11).value == "黄灯"
    assert sheet.cell(row=row, column=11).fill.fgColor.rgb.endswith("FFE699")
    assert [sheet.cell(row=row, column=c).value for c in (12, 13, 14)] == ["完成测算", "收入不确定", "报常务会"]
    assert sheet.cell(row=row, column=15).value.date() == date(2022, 3, 15)
    green = rows["推进老旧小区改造"]
    assert sheet.cell(row=green, column=11).fill.fgColor.rgb.endswith("A9D08E")


def test_cells_that_look_like_formulas_are_written_as_text(client, ledger):
    _, content = download(client, ledger.office)
    sheet = load_workbook(BytesIO(content))["台账"]
    row = next(r for r in range(3, sheet.max_row + 1) if str(sheet.cell(row=r, column=3).value).startswith("="))

    assert sheet.cell(row=row, column=3).data_type == "s"
    assert sheet.cell(row=row, column=3).value == '=HYPERLINK("http://evil")'
    assert sheet.cell(row=row, column=4).data_type == "s"


def test_the_summary_sheet_holds_the_unit_figures(client, ledger):
    _, content = download(client, ledger.office)
    sheet = load_workbook(BytesIO(content))["单位汇总"]

    assert sheet["A2"].value == "序号" and sheet["D2"].value == "交办"
    # The last row is the one-line note on what 交办 counts.
    units = {sheet.cell(row=r, column=2).value: sheet.cell(row=r, column=4).value for r in range(3, sheet.max_row)}
    assert units == {"财政局": 2, "住房和城乡建设局": 1}
    note = sheet.cell(row=sheet.max_row, column=2).value
    assert "含往年结转" in note
    # Why the totals differ from the ledger's rows, in one line.
    assert note.startswith("说明:本表交办合计3项,台账表共3行。")


def test_the_file_name_says_what_the_ledger_holds_and_its_day(client, ledger):
    from urllib.parse import unquote

    response, content = download(client, ledger.office, f"year=2022&unit={ledger.housing.pk}&light=green&q=小区")
    name = unquote(response["Content-Disposition"].split("filename*=utf-8''")[-1])
    assert name == "示范县2022年重点工作任务台账_住建局_绿灯_含“小区”_2022-03-15.xlsx"
    title = load_workbook(BytesIO(content))["台账"]["A1"].value
    assert title == "示范县2022年重点工作任务台账(截至2022年3月15日)(住建局 绿灯 含“小区”)"
    # A liaison's ledger is named after the unit.
    response, _ = download(client, ledger.liaison)
    assert "_财政局_2022-03-15.xlsx" in unquote(response["Content-Disposition"])


def test_it_reopens_with_calamine(client, ledger):
    _, content = download(client, ledger.office)

    workbook = CalamineWorkbook.from_filelike(BytesIO(content))

    rows = workbook.get_sheet_by_name("台账").to_python()
    assert rows[1][:3] == ["序号", "类别", "工作任务"]
    assert len(rows) == 5


def test_a_filter_gives_the_same_rows_as_the_list(client, ledger):
    _, content = download(client, ledger.office, f"year=2022&unit={ledger.housing.pk}")
    sheet = load_workbook(BytesIO(content))["台账"]

    assert [sheet.cell(row=r, column=3).value for r in range(3, sheet.max_row + 1)] == ["推进老旧小区改造"]


def test_a_liaison_downloads_only_what_its_unit_may_see(client, ledger):
    _, content = download(client, ledger.outsider)
    sheet = load_workbook(BytesIO(content))["台账"]

    titles = {sheet.cell(row=r, column=3).value for r in range(3, sheet.max_row + 1)}
    assert titles == {"推进老旧小区改造", "编制年度增收计划"}  # its own, and the one it supports
    summary = load_workbook(BytesIO(content))["单位汇总"]
    assert [summary.cell(row=r, column=2).value for r in range(3, summary.max_row)] == ["住房和城乡建设局"]


def test_the_list_page_links_to_the_download_with_its_filters(client, ledger):
    client.login(username="alice", password=PASSWORD)

    page = client.get("/work/?year=2022&light=yellow").content.decode()

    assert 'href="/ledger/export/?year=2022&amp;light=yellow"' in page
