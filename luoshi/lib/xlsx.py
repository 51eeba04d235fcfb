"""Writing .xlsx files that look like an office's own ledger (openpyxl)."""

from copy import copy
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "仿宋"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
# The lights as an office colours them by hand.
LIGHT_FILLS = {
    "red": PatternFill("solid", fgColor="FF9999"),
    "yellow": PatternFill("solid", fgColor="FFE699"),
    "green": PatternFill("solid", fgColor="A9D08E"),
}


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
    _print_setup(ws, header_row=2)


def _print_setup(ws, *, header_row: int) -> None:
    """Landscape A4, fit to the page width (any number of pages down), the header repeated on every page."""
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6


class LedgerSheet:
    """A ledger sheet written as a stream (openpyxl write-only mode), for lists of any length.

    The same look as `write_table`: a title merged over the table, a frozen bold header, bordered wrapped
    仿宋 rows, widths, an auto-filter, landscape printing fit to the width with the header repeated.
    Cells that begin with = + - @ stay text.
    """

    def __init__(self, workbook: Workbook, *, name: str, title: str, headers: list[str], widths: list[int],
                 hidden_columns: list[int] = ()) -> None:  # fmt: skip
        self.ws = workbook.create_sheet(name)
        self.columns = len(headers)
        self.rows = 0
        self.widths = widths
        ws = self.ws
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        for index in hidden_columns:
            ws.column_dimensions[get_column_letter(index)].hidden = True
        ws.freeze_panes = "A3"
        _print_setup(ws, header_row=2)
        ws.merged_cells.add(f"A1:{get_column_letter(self.columns)}1")
        # Each row cell copies a prepared style: setting font, border and alignment per cell costs more than
        # writing it, on 100,000 rows.
        self._styles = {
            kind: _style(ws, Font(name=FONT_NAME, size=11), alignment, number_format)
            for kind, alignment, number_format in (
                ("text", Alignment(vertical="center", wrap_text=True), "General"),
                ("number", Alignment(horizontal="center", vertical="center"), "General"),
                ("date", Alignment(horizontal="center", vertical="center"), "yyyy-mm-dd"),
            )
        }
        self._fills = {light: _style(ws, Font(name=FONT_NAME, size=11), Alignment(horizontal="center", vertical="center"),
                                     "General", fill) for light, fill in LIGHT_FILLS.items()}  # fmt: skip
        title_cell = WriteOnlyCell(ws, value=title)
        title_cell.font = Font(name="方正小标宋简体", size=16, bold=True)
        title_cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 36
        ws.append([title_cell])
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(ws, value=header)
            cell.font = Font(name="黑体", size=11, bold=True)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            header_cells.append(cell)
        ws.append(header_cells)

    def append(self, values: list, *, fills: dict[int, str] | None = None) -> None:
        """One row; `fills` colours cells by light (1-based column → red/yellow/green)."""
        cells = []
        for index, value in enumerate(values, start=1):
            cell = WriteOnlyCell(self.ws)
            set_text_safe(cell, value)
            if fills and fills.get(index) in self._fills:
                style = self._fills[fills[index]]
            elif isinstance(value, (int, float)):
                style = self._styles["number"]
            elif hasattr(value, "year"):
                style = self._styles["date"]
            else:
                style = self._styles["text"]
            cell._style = copy(style)
            cells.append(cell)
        # Excel and WPS keep a row at one line unless told its height: wrapped text needs room to show.
        lines = max((_lines(value, width) for value, width in zip(values, self.widths, strict=False)), default=1)
        if lines > 1:
            self.ws.row_dimensions[self.rows + 3].height = min(409, 15 * lines + 3)
        self.ws.append(cells)
        self.rows += 1

    def close(self) -> None:
        """Set the auto-filter over what was written; call once, after the last row."""
        last = get_column_letter(self.columns)
        self.ws.auto_filter.ref = f"A2:{last}{self.rows + 2}"


def _lines(value, width: int) -> int:
    """How many lines `value` takes in a wrapped cell `width` characters wide (a Chinese character is two)."""
    if not isinstance(value, str) or not value:
        return 1
    room = max(1, width - 1)
    return sum(max(1, -(-sum(2 if ord(char) > 0x2E7F else 1 for char in part) // room)) for part in value.split("\n"))


def _style(ws, font: Font, alignment: Alignment, number_format: str, fill: PatternFill | None = None):
    template = WriteOnlyCell(ws)
    template.font, template.border, template.alignment = font, _BORDER, alignment
    template.number_format = number_format
    if fill is not None:
        template.fill = fill
    return template._style


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(workbook: Workbook, filename: str):
    """A download of `workbook` as `filename`; every .xlsx a page offers goes through here."""
    from django.http import FileResponse

    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
