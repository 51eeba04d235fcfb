"""An old ledger never overwrites newer progress: export, newer reports, the old copy comes back filled.

The sequence of issue 13: the office exports the list; three tasks get newer reports; the unit fills three
other rows in its copy of the first export and sends it back. Exactly three reports come of it, no task goes
back to older words, and a row changed on a task that moved on is a conflict, listed and not imported unless
ticked. The same file re-saved by LibreOffice as .xls and .ods gives the same result.
"""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from luoshi.ledger.compare import Change
from luoshi.ledger.export import VERSION_COLUMN, ledger_workbook
from luoshi.ledger.models import LedgerReport
from luoshi.ledger.preview import preview_ledger
from luoshi.ledger.services import ledger_import
from luoshi.lib import workdays
from luoshi.lib.errors import ActionError
from luoshi.work import services
from luoshi.work.models import ProgressReport, Task

from .builders import edit, ledger_file, workbook_bytes
from .libreoffice import resave

pytestmark = pytest.mark.usefixtures("march_2022")

TITLES = [f"事项{n}" for n in range(1, 9)]


def _latest(task: Task) -> str:
    return ProgressReport.objects.filter(task=task, is_lead=True).order_by("-created_at", "-id").first().done_text


def _report(task: Task, user, text: str) -> None:
    services.task_report(task=task, by=user, report=services.ReportInput(done_text=text))


def _export() -> bytes:
    workbook = ledger_workbook(Task.objects.order_by("id"), t=workdays.thresholds(), year=2022,
                               as_of=date(2022, 3, 15), period=(date(2022, 1, 1), date(2022, 3, 15)))  # fmt: skip
    return workbook_bytes(workbook)


def _fill(data: bytes, texts: dict[str, str]) -> bytes:
    """The unit writes 进展情况 on the rows named by their 工作任务."""

    def change(workbook):
        sheet = workbook["台账"]
        headers = [cell.value for cell in sheet[2]]
        title, progress = headers.index("工作任务") + 1, headers.index("进展情况") + 1
        for r in range(3, sheet.max_row + 1):
            if sheet.cell(row=r, column=title).value in texts:
                sheet.cell(row=r, column=progress, value=texts[sheet.cell(row=r, column=title).value])

    return edit(data, change)


@pytest.fixture
def county(personas):
    rows = [[n, title, "", "", "财政局", "", "2022年12月31日", ""] for n, title in enumerate(TITLES, start=1)]
    ledger_import(preview=preview_ledger(ledger_file(rows), name="分解表.xlsx", user=personas.office),
                  by=personas.office)  # fmt: skip
    tasks = {task.title: task for task in Task.objects.all()}
    # Every task has a first report, one with a tab in it (an .ods round trip used to make that an update).
    for n, title in enumerate(TITLES[:7], start=1):
        _report(tasks[title], personas.liaison, f"第一次反馈\t{n}" if n == 4 else f"第一次反馈{n}")
    return tasks


def _sequence(personas, tasks, *, fmt: str):
    exported = _export()
    # After the export, three tasks move on through the web form.
    for title in TITLES[:3]:
        _report(tasks[title], personas.liaison, f"{title}较新的进展")
    # The unit fills three other rows of its old copy, and one row of a task that has moved on.
    returned = _fill(exported, {"事项4": "台账填报4", "事项5": "台账填报5", "事项8": "台账填报8",
                                "事项3": "台账里的旧说法3"})  # fmt: skip
    if fmt != "xlsx":
        returned = resave(returned, suffix=".xlsx", to=fmt)
    return preview_ledger(returned, name=f"台账.{fmt}", user=personas.liaison)


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_an_old_copy_records_exactly_its_own_news_and_lists_the_conflict(personas, county, fmt):
    preview = _sequence(personas, county, fmt=fmt)
    before = ProgressReport.objects.count()

    assert preview.ok, [str(p) for p in preview.problems]
    assert not preview.legacy
    changes = {row.cells["title"]: row.change for row in preview.rows}
    assert changes == {"事项1": Change.UNCHANGED, "事项2": Change.UNCHANGED, "事项3": Change.CONFLICT,
                       "事项4": Change.UPDATE, "事项5": Change.UPDATE, "事项6": Change.UNCHANGED,
                       "事项7": Change.UNCHANGED, "事项8": Change.UPDATE}  # fmt: skip
    conflict = preview.conflicts[0]
    assert (conflict.exported[0], conflict.file_texts[0], conflict.current[0]) == (
        "第一次反馈3", "台账里的旧说法3", "事项3较新的进展")  # fmt: skip

    result = ledger_import(preview=preview, by=personas.liaison)

    assert result.reports == 3 and ProgressReport.objects.count() == before + 3
    latest = {title: _latest(task) for title, task in county.items()}
    # No reversal: the tasks that moved on keep their newer words.
    assert [latest[t] for t in TITLES[:3]] == ["事项1较新的进展", "事项2较新的进展", "事项3较新的进展"]
    assert [latest[t] for t in ("事项4", "事项5", "事项8")] == ["台账填报4", "台账填报5", "台账填报8"]
    assert [latest[t] for t in ("事项6", "事项7")] == ["第一次反馈6", "第一次反馈7"]
    sources = LedgerReport.objects.select_related("report")
    assert {s.report.done_text for s in sources} == {"台账填报4", "台账填报5", "台账填报8"}
    assert {(s.ledger_date, s.conflict) for s in sources} == {(date(2022, 3, 15), False)}


def test_a_ticked_conflict_is_recorded_as_from_the_ledger_of_its_date(personas, county):
    preview = _sequence(personas, county, fmt="xlsx")

    result = ledger_import(preview=preview, by=personas.liaison, conflicts=[county["事项3"].pk])

    assert (result.reports, result.conflicts) == (4, 1)
    assert _latest(county["事项3"]) == "台账里的旧说法3"
    source = LedgerReport.objects.get(report__task=county["事项3"])
    assert source.conflict and str(source) == "来自2022年3月15日的台账(与较新进展冲突,经确认导入)"
    assert source.report.imported


def test_the_same_returned_file_twice_records_nothing_twice(personas, county):
    exported = _export()
    returned = _fill(exported, {"事项4": "台账填报4"})
    ledger_import(preview=preview_ledger(returned, name="台账.xlsx", user=personas.liaison), by=personas.liaison)

    again = preview_ledger(returned, name="台账.xlsx", user=personas.liaison)

    assert again.updates == [] and again.conflicts == []
    with pytest.raises(ActionError, match="没有需要导入的内容"):
        ledger_import(preview=again, by=personas.liaison)


def test_only_unticked_conflicts_say_so_when_there_is_nothing_else(personas, county):
    exported = _export()
    _report(county["事项1"], personas.liaison, "较新的进展")
    preview = preview_ledger(_fill(exported, {"事项1": "旧台账的说法"}), name="台账.xlsx", user=personas.liaison)

    with pytest.raises(ActionError, match="有 1 条冲突未勾选"):
        ledger_import(preview=preview, by=personas.liaison)
    assert _latest(county["事项1"]) == "较新的进展"


def test_a_ledger_exported_before_versions_shows_every_would_be_update(personas, county):
    def drop_version(workbook):
        workbook["台账"].delete_cols(VERSION_COLUMN)

    old = edit(_fill(_export(), {"事项4": "台账填报4"}), drop_version)
    _report(county["事项1"], personas.liaison, "较新的进展")
    returned = edit(_fill(old, {"事项1": "第一次反馈1"}), lambda workbook: None)

    preview = preview_ledger(returned, name="台账.xlsx", user=personas.liaison)

    assert preview.legacy
    # Compared as before, with the current report: both differ, both are listed as updates.
    assert [(row.cells["title"], row.exported) for row in preview.updates] == [("事项1", None), ("事项4", None)]
    assert preview.as_json()["summary"]["legacy"] is True


@pytest.mark.parametrize("other", ["missing", "another_tasks"])
def test_a_tampered_version_is_a_warning_and_compares_with_the_current_report(personas, county, other):
    version = 999999 if other == "missing" else ProgressReport.objects.get(task=county["事项2"]).pk

    def tamper(workbook):
        workbook["台账"].cell(row=3, column=VERSION_COLUMN, value=version)

    preview = preview_ledger(edit(_fill(_export(), {"事项1": "新说法"}), tamper), name="台账.xlsx",
                             user=personas.liaison)  # fmt: skip

    assert "反馈版本列的内容与事项对不上" in str(preview.warnings[0])
    assert [row.cells["title"] for row in preview.updates] == ["事项1"]


def test_the_export_carries_the_version_of_the_report_it_shows(personas, county):
    sheet = load_workbook(BytesIO(_export()))["台账"]

    versions = {sheet.cell(row=r, column=3).value: sheet.cell(row=r, column=VERSION_COLUMN).value for r in range(3, 11)}

    assert versions["事项8"] == 0
    assert versions["事项2"] == ProgressReport.objects.get(task=county["事项2"]).pk


def test_the_preview_page_shows_three_texts_side_by_side_and_imports_a_conflict_only_when_ticked(
    client, personas, county
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from luoshi.ledger.models import LedgerImport
    from luoshi.testing import PASSWORD

    exported = _export()
    _report(county["事项1"], personas.liaison, "较新的进展")
    returned = _fill(exported, {"事项1": "旧台账的说法", "事项4": "台账填报4"})
    assert client.login(username="charlie", password=PASSWORD)
    url = client.post("/ledger/import/", {"file": SimpleUploadedFile("台账.xlsx", returned)}).url

    page = client.get(url).content.decode()

    assert "进展变化(2 条)" in page
    conflict_row = page.split('class="change-conflict"')[1].split("</tr>")[0]
    assert conflict_row.index("第一次反馈1") < conflict_row.index("旧台账的说法") < conflict_row.index("较新的进展")
    assert f'name="conflict" value="{county["事项1"].pk}"' in conflict_row
    assert "台账填报4" in page.split('class="change-update"')[1].split("</tr>")[0]
    token = page.split('name="token" value="')[1].split('"')[0]
    pk = LedgerImport.objects.get(committed_at=None).pk

    client.post(f"/ledger/import/{pk}/commit/", {"token": token, "conflict": [str(county["事项1"].pk)]})

    assert _latest(county["事项1"]) == "旧台账的说法"
    assert _latest(county["事项4"]) == "台账填报4"
    assert LedgerReport.objects.get(report__task=county["事项1"]).conflict


def test_the_command_gives_each_row_its_change_and_the_three_texts(personas, county, tmp_path):
    import json
    from io import StringIO

    from django.core.management import call_command

    exported = _export()
    _report(county["事项1"], personas.liaison, "较新的进展")
    path = tmp_path / "台账.xlsx"
    path.write_bytes(_fill(exported, {"事项1": "旧台账的说法", "事项4": "台账填报4"}))
    out = StringIO()

    call_command("import_ledger", str(path), "--json", "--user", "charlie", stdout=out)

    rows = {row["cells"]["title"]: row for row in json.loads(out.getvalue())["rows"]}
    assert {title: row["change"] for title, row in rows.items()} == {
        "事项1": "conflict", "事项2": "unchanged", "事项3": "unchanged", "事项4": "update", "事项5": "unchanged",
        "事项6": "unchanged", "事项7": "unchanged", "事项8": "unchanged"}  # fmt: skip
    assert rows["事项1"]["texts"] == {
        "exported": {"progress": "第一次反馈1", "problems": "", "next_steps": ""},
        "file": {"progress": "旧台账的说法", "problems": "", "next_steps": ""},
        "current": {"progress": "较新的进展", "problems": "", "next_steps": ""},
    }
    assert rows["事项4"]["texts"]["exported"]["progress"] == "第一次反馈\t4"
    assert rows["事项4"]["texts"]["file"]["progress"] == "台账填报4"
    assert rows["事项2"]["texts"] is None

    text = StringIO()
    call_command("import_ledger", str(path), "--user", "charlie", stdout=text)
    lines = text.getvalue().splitlines()
    assert f"第3行 系统编号 {county['事项1'].pk} 冲突:" in lines
    assert "  导出时:第一次反馈1" in lines and "  台账中:旧台账的说法" in lines and "  系统当前:较新的进展" in lines
    assert "更新进展 1 条,冲突 1 条(用 --accept-conflict 导入)" in lines

    err = StringIO()
    call_command("import_ledger", str(path), "--commit", "--user", "charlie", "--accept-conflict",
                 str(county["事项1"].pk), stdout=StringIO(), stderr=err)  # fmt: skip
    assert _latest(county["事项1"]) == "旧台账的说法"


def test_the_preview_page_warns_that_an_old_format_ledger_cannot_tell_news_from_old_words(client, personas, county):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from luoshi.testing import PASSWORD

    old = edit(_fill(_export(), {"事项4": "台账填报4"}), lambda workbook: workbook["台账"].delete_cols(VERSION_COLUMN))
    assert client.login(username="charlie", password=PASSWORD)
    url = client.post("/ledger/import/", {"file": SimpleUploadedFile("旧台账.xlsx", old)}).url

    page = client.get(url).content.decode()

    assert "这份台账是旧版导出的(没有“反馈版本”列)" in page
    assert "(旧版台账,不详)" in page.split('class="change-update"')[1].split("</tr>")[0]
