"""文件分解 out: the proposed 任务分解表 as an Excel ledger the ledger import reads back, and as an official Word
document that `decompose` reads back.

The Excel headers are the ledger import's own names (事项名称 → 工作任务, 工作要求 → 具体措施, 所在部分 → 类别),
and its title carries the document's date, so a table sent out and returned comes in as the same tasks. Rows
are given heights for their wrapped text: LibreOffice prints a row at the height the file says, and
overprints text that does not fit.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook

from luoshi.lib.xlsx import write_table

from .models import Decomposition

EXPORT_HEADERS = ["序号", "事项名称", "工作要求", "类别", "牵头单位", "配合单位", "责任领导", "完成时限", "原文摘录"]
EXPORT_WIDTHS = [6, 22, 46, 16, 14, 18, 10, 14, 40]
_LINE_POINTS = 15  # one line of 11 pt 仿宋, with its leading
_CJK_WIDTH = 2.0  # a Chinese character is about two of Excel's width units (the width of a '0')


def export_rows(decomposition: Decomposition) -> list[list[str]]:
    rows = decomposition.rows.select_related("lead", "leader").prefetch_related("supporting")
    return [
        [
            str(number),
            row.title,
            row.text,
            row.section,
            row.lead_label(),
            "、".join(unit.display_name for unit in row.supporting.all()),
            row.leader.name if row.leader_id else "",
            row.deadline_label() or row.deadline_text,
            row.source,
        ]
        for number, row in enumerate(rows, start=1)
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


def decomposition_docx(decomposition: Decomposition) -> bytes:
    from luoshi.lib.officedoc import OfficeDoc

    doc = OfficeDoc(title=f"{decomposition.title}任务分解表")
    doc.paragraph(
        f"根据{decomposition.title}({decomposition.source_date:%Y年%m月%d日}),将有关工作任务分解如下,"
        "请各牵头单位会同配合单位认真抓好落实,按时限要求报送进展情况。"
    )
    rows = [[r[0], r[1], r[2], r[4], r[5], r[6], r[7]] for r in export_rows(decomposition)]
    doc.table(
        ["序号", "事项名称", "工作要求", "牵头单位", "配合单位", "责任领导", "完成时限"],
        rows,
        widths_cm=[1.0, 2.8, 4.6, 2.1, 2.0, 1.4, 1.7],  # the 15.6 cm between the margins
        font_pt=10.5,
    )
    doc.signature(f"{settings.LUOSHI_COUNTY_NAME}人民政府督查室", timezone.localdate())
    return doc.to_bytes()
