"""Real .xlsx files for the ledger tests, built with openpyxl as Excel users' files are.

`workbook_bytes` saves through lib/xlsx.save, so that a Luoshi ledger's streamed rows are in it."""

from io import BytesIO

from openpyxl import Workbook, load_workbook

from luoshi.lib import xlsx

HEADERS = ["序号", "工作任务", "具体措施", "责任县领导", "牵头单位", "配合单位", "完成时限", "备注"]


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    xlsx.save(workbook, buffer)
    return buffer.getvalue()


def ledger_file(rows: list[list], *, headers=HEADERS, title="示范县2022年重点工作任务分解表",
                date_line="(2022年3月)", notes_sheet_first=False) -> bytes:  # fmt: skip
    """A 任务分解表 with a title row, a date line, then the header and `rows`."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "任务分解表"
    if notes_sheet_first:
        notes = workbook.create_sheet("说明", 0)
        notes["A1"] = "填表说明:牵头单位只填一个。"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append([date_line])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    return workbook_bytes(workbook)


def edit(data: bytes, change) -> bytes:
    """Open an .xlsx as Excel would, let `change(workbook)` edit it, and save it again."""
    workbook = load_workbook(BytesIO(data))
    change(workbook)
    return workbook_bytes(workbook)
