"""文件分解 out: the proposed 任务分解表 as an Excel ledger the ledger import reads back, and as an official Word
document that `decompose` reads back.

The Excel headers are the ledger import's own names (事项名称 → 工作任务, 工作要求 → 具体措施, 所在部分 → 类别),
and its title carries the document's date, so a table sent out and returned comes in as the same tasks. Rows
are given heights for their wrapped text: LibreOffice prints a row at the height the file says, and
overprints text that does not fit.
"""

from __future__ import annotations

import math

from openpyxl import Workbook

from luoshi.lib.xlsx import write_table

from .models import Decomposition

EXPORT_HEADERS = ["序号", "事项名称", "工作要求", "类别", "牵头单位", "配合单位", "责任领导", "完成时限", "原文摘录"]
EXPORT_WIDTHS = [6, 22, 46, 16, 14, 18, 10, 14, 40]
_LINE_POINTS = 15  # one line of 11 pt 仿宋, with its leading
_CJK_WIDTH = 2.0  # a Chinese character is about two of Excel's width units (the width of a '0')


def row_numbers(rows) -> dict[int, str]:
    """序号 by row: 1, 2, 3 for the rows, 3.1, 3.2 for the rows under row 3's heading."""
    numbers: dict[int, str] = {}
    children: dict[int, int] = {}
    top = 0
    for row in rows:
        if row.parent_id and row.parent_id in numbers:
            children[row.parent_id] = children.get(row.parent_id, 0) + 1
            numbers[row.pk] = f"{numbers[row.parent_id]}.{children[row.parent_id]}"
        else:
            top += 1
            numbers[row.pk] = str(top)
    return numbers


def export_rows(decomposition: Decomposition) -> list[list[str]]:
    rows = list(decomposition.rows.select_related("lead", "leader").prefetch_related("supporting"))
    numbers = row_numbers(rows)
    return [
        [
            numbers[row.pk],
            row.title,
            row.text,
            row.section,
            # A body the directory does not know is written as the document names it, for the import to ask.
            row.lead_label() or "、".join(row.unresolved_mentions),
            "、".join(unit.display_name for unit in row.supporting.all()),
            row.leader.name if row.leader_id else "",
            row.deadline_label() or row.deadline_text,
            row.source,
        ]
        for row in rows
    ]


def _lines(text: str, width: float) -> int:
    per_line = max(1, int(width / _CJK_WIDTH))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in (text or "").split("\n"))


def row_height(values: list[str], widths: list[float]) -> float:
    """Points for the tallest wrapped cell of a row."""
    lines = max((_lines(str(v), w) for v, w in zip(values, widths, strict=False)), default=1)
    return lines * _LINE_POINTS + 4


def title_of(decomposition: Decomposition) -> str:
    day = decomposition.source_date
    return f"{decomposition.title}任务分解表({day.year}年{day.month}月{day.day}日)"


def decomposition_workbook(decomposition: Decomposition) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "任务分解表"
    rows = export_rows(decomposition)
    write_table(sheet, title=title_of(decomposition), headers=EXPORT_HEADERS, rows=rows, widths=EXPORT_WIDTHS)
    sheet.row_dimensions[2].height = _LINE_POINTS + 8
    for index, values in enumerate(rows, start=3):
        sheet.row_dimensions[index].height = row_height(values, EXPORT_WIDTHS)
    return workbook
