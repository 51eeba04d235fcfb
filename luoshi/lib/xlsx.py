"""Writing .xlsx files that look like an office's own ledger (openpyxl)."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "仿宋"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


_FORMULA_STARTS = ("=", "+", "-", "@")


def set_text_safe(cell, value) -> None:
    """Set a cell; one that begins with = + - @ is kept as text, so Excel never runs it as a formula."""
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        cell.data_type = "s"


def write_table(ws: Worksheet, *, title: str, headers: list[str], rows: list[list], widths: list[int]) -> None:
    """A title row merged across the table, a bold frozen header, bordered rows and an auto-filter."""
    columns = len(headers)
    ws.cell(row=1, column=1, value=title).font = Font(name="方正小标宋简体", size=16, bold=True)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    ws.row_dimensions[1].height = 32
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(row=2, column=index, value=header)
        cell.font = Font(name="黑体", size=11, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row_index, row in enumerate(rows, start=3):
        for column_index, value in enumerate(row, start=1):
            cell = ws.cell(row=row_index, column=column_index)
            set_text_safe(cell, value)
            cell.font = Font(name=FONT_NAME, size=11)
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A3"
    last = get_column_letter(columns)
    ws.auto_filter.ref = f"A2:{last}{max(2, len(rows) + 2)}"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(workbook: Workbook, filename: str):
    """A download of `workbook` as `filename`; every .xlsx a page offers goes through here."""
    from django.http import FileResponse

    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
