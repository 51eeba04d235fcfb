"""Committing a ledger: every row or none, each task as by hand, and a ledger that comes back updates progress."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from luoshi.ledger.export import ID_COLUMN, VERSION_COLUMN, ledger_workbook
from luoshi.ledger.preview import preview_ledger
from luoshi.ledger.services import ledger_import
from luoshi.lib import workdays
from luoshi.lib.errors import ActionError, AlreadySubmitted
from luoshi.work import office as work_office
from luoshi.work.models import Assignment, ProgressReport, Task, TimelineEntry

from .builders import edit, ledger_file, workbook_bytes

pytestmark = pytest.mark.usefixtures("march_2022")

ROWS = [
    [1, "编制年度增收计划", "明确全年收入目标", "常务副县长", "县财政局", "住建局、各乡镇", "2022年6月底前", ""],
    [2, "每月盘点还本付息", "按月盘点政府债务", "常务副县长", "财政局", "", "每月10日前", ""],
    [3, "开展人居环境整治", "", "", "各乡镇", "住建局", "三季度", ""],
]


def preview(data, user, **kwargs):
    return preview_ledger(data, name="分解表.xlsx", user=user, **kwargs)


def counts():
    return (Task.objects.count(), Assignment.objects.count(), ProgressReport.objects.count(),
            TimelineEntry.objects.count())  # fmt: skip


def test_it_creates_each_task_as_registering_by_hand_would(personas):
    result = ledger_import(preview=preview(ledger_file(ROWS), personas.office), by=personas.office)

    assert result.tasks == 3
    income = Task.objects.get(title="编制年度增收计划")
    assert income.lead_unit == personas.finance
    assert income.leader == personas.leader_row
    assert income.deadline == date(2022, 6, 30)
    assert set(income.assignments.filter(role="support").values_list("unit__name", flat=True)) == {
        "住房和城乡建设局", "城关镇"}  # fmt: skip
    assert income.sign_by is not None and income.status == Task.Status.ASSIGNED
    monthly = Task.objects.get(title="每月盘点还本付息")
    assert (monthly.standing, monthly.cadence, monthly.cadence_day) == (True, "monthly", 10)
    # A group lead: a parent, and one task per township under it.
    parent = Task.objects.get(title="开展人居环境整治", parent=None)
    assert [child.lead_unit for child in parent.children.all()] == [personas.township]
    entry = TimelineEntry.objects.get(task=income)
    assert entry.actor == personas.office
    assert entry.note.startswith("台账导入")


def test_warnings_are_recorded_on_the_task(personas):
    rows = [[1, "老事项补录", "", "分管副县长", "财政局", "县不存在局", "2021年12月31日", ""]]

    ledger_import(preview=preview(ledger_file(rows), personas.office), by=personas.office)

    task = Task.objects.get(title="老事项补录")
    note = TimelineEntry.objects.get(task=task).note
    assert "未找到单位“县不存在局”" in note
    assert "分管副县长" in note
    assert "未识别的配合单位(按原文记录):县不存在局" in note
    assert task.backfill


def test_a_file_with_one_error_writes_nothing(personas):
    rows = [*ROWS, [4, "牵头单位写错的事项", "", "", "县不存在局", "", "年底前", ""]]
    before = counts()

    result = preview(ledger_file(rows), personas.office)
    with pytest.raises(ActionError, match="有 1 个错误,未导入任何内容"):
        ledger_import(preview=result, by=personas.office)

    assert counts() == before


def test_a_failure_half_way_rolls_everything_back(personas, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    exported = _exported(personas)
    # A returned ledger with one new row and one changed: the tasks are created, then the reports fail.
    returned = edit(_with_progress(exported, "完成初稿"), lambda workbook: workbook["台账"].append(
        [9, "", "新增的事项", "", "", "财政局", "", "年底前"]))  # fmt: skip
    monkeypatch.setattr("luoshi.ledger.services.task_report_many", broken)
    before = counts()

    with pytest.raises(RuntimeError):
        ledger_import(preview=preview(returned, personas.office), by=personas.office)

    assert counts() == before
    assert not Task.objects.filter(title="新增的事项").exists()


def test_the_same_file_again_is_recognised_and_needs_a_confirmation(personas):
    data = ledger_file(ROWS)
    ledger_import(preview=preview(data, personas.office), by=personas.office)

    with pytest.raises(ActionError, match="这个文件已于 2022-03-15 10:00 由督查室刘洋导入过"):
        ledger_import(preview=preview(data, personas.office), by=personas.office)
    ledger_import(preview=preview(data, personas.office), by=personas.office, again=True)

    assert Task.objects.filter(title="编制年度增收计划").count() == 2


def test_a_second_submit_of_one_form_creates_nothing_twice(personas):
    data = ledger_file(ROWS)
    ledger_import(preview=preview(data, personas.office), by=personas.office, token="t" * 32)

    with pytest.raises(AlreadySubmitted):
        ledger_import(preview=preview(data, personas.office), by=personas.office, token="t" * 32, again=True)

    assert Task.objects.filter(title="编制年度增收计划").count() == 1


# --- The ledger that comes back ----------------------------------------------------------------------------


def _exported(personas) -> bytes:
    ledger_import(preview=preview(ledger_file(ROWS[:2]), personas.office), by=personas.office)
    workbook = ledger_workbook(Task.objects.order_by("id"), t=workdays.thresholds(), year=2022,
                               as_of=date(2022, 3, 15), period=(date(2022, 1, 1), date(2022, 3, 15)))  # fmt: skip
    return workbook_bytes(workbook)


def _with_progress(data: bytes, text: str, *, row: int = 3, problems: str = "") -> bytes:
    def fill(workbook):
        sheet = workbook["台账"]
        headers = [cell.value for cell in sheet[2]]
        sheet.cell(row=row, column=headers.index("进展情况") + 1, value=text)
        sheet.cell(row=row, column=headers.index("存在问题") + 1, value=problems)

    return edit(data, fill)


def test_exporting_and_importing_the_unchanged_file_changes_nothing(personas):
    exported = _exported(personas)
    before = counts()

    result = preview(exported, personas.office)

    assert result.ok, [str(p) for p in result.problems]
    assert result.new_rows == [] and result.updates == []
    with pytest.raises(ActionError, match="没有需要导入的内容"):
        ledger_import(preview=result, by=personas.office)
    assert counts() == before


def test_progress_filled_in_by_the_unit_becomes_a_report_in_its_name(personas):
    exported = _exported(personas)
    task = Task.objects.get(title="编制年度增收计划")

    result = ledger_import(preview=preview(_with_progress(exported, "已完成收入目标测算", problems="土地出让收入不确定"),
                                           personas.liaison), by=personas.liaison)  # fmt: skip

    assert result.reports == 1 and result.tasks == 0
    report = ProgressReport.objects.get(task=task)
    assert (report.unit, report.done_text, report.problems) == (
        personas.finance,
        "已完成收入目标测算",
        "土地出让收入不确定",
    )
    assert report.imported and not report.on_behalf
    assert "台账导入" in TimelineEntry.objects.filter(task=task).order_by("-id").first().note
    # Importing the same returned file again records nothing new.
    again = preview(_with_progress(exported, "已完成收入目标测算", problems="土地出让收入不确定"), personas.liaison)
    assert again.updates == []


def test_the_office_importing_a_returned_ledger_reports_on_the_units_behalf(personas):
    exported = _exported(personas)

    ledger_import(preview=preview(_with_progress(exported, "完成初稿"), personas.office), by=personas.office)

    report = ProgressReport.objects.get()
    assert report.on_behalf and report.imported and report.unit == personas.finance


def test_rows_for_tasks_the_user_may_not_see_are_refused(personas):
    exported = _exported(personas)

    # 住建局 supports the first task but has nothing to do with the second (row 4).
    result = preview(_with_progress(exported, "完成初稿", row=4), personas.outsider)

    assert not result.ok
    assert str(result.errors[0]).startswith("第4行「系统编号(请勿修改)」:系统编号")
    assert "对应的事项不存在,或您无权查看" in str(result.errors[0])
    with pytest.raises(ActionError):
        ledger_import(preview=result, by=personas.outsider)
    assert not ProgressReport.objects.exists()


def test_a_changed_task_id_is_refused(personas):
    exported = _exported(personas)

    def tamper(workbook):
        sheet = workbook["台账"]
        sheet.cell(row=3, column=ID_COLUMN, value="abc")  # 系统编号

    result = preview(edit(exported, tamper), personas.office)

    assert "系统编号“abc”不是数字" in str(result.errors[0])


def test_a_liaison_may_not_report_through_a_ledger_for_a_task_it_only_supports(personas):
    exported = _exported(personas)

    result = preview(_with_progress(exported, "完成初稿"), personas.outsider)

    assert "“编制年度增收计划”不是本单位牵头的事项,不能导入其进展" in str(result.errors[0])


def test_a_closed_task_takes_no_more_progress(personas):
    exported = _exported(personas)
    task = Task.objects.get(title="编制年度增收计划")
    work_office.task_cancel(task=task, by=personas.office, reason="合并到其他事项")

    result = preview(_with_progress(exported, "完成初稿"), personas.office)

    assert "已关闭,不能再反馈进展" in str(result.errors[0])


def test_the_export_reads_back_with_the_task_ids_in_the_hidden_column(personas):
    exported = _exported(personas)

    sheet = load_workbook(BytesIO(exported))["台账"]

    assert [sheet["Q2"].value, sheet["R2"].value] == ["系统编号(请勿修改)", "反馈版本(请勿修改)"]
    ids = [sheet.cell(row=r, column=ID_COLUMN).value for r in range(3, sheet.max_row + 1)]
    assert ids == list(Task.objects.order_by("id").values_list("pk", flat=True))
    assert [sheet.cell(row=r, column=VERSION_COLUMN).value for r in range(3, sheet.max_row + 1)] == [
        0,
        0,
    ]  # no report yet
    assert sheet.column_dimensions["Q"].hidden and sheet.column_dimensions["R"].hidden
