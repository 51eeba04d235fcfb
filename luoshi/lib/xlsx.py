"""Writing .xlsx files that look like an office's own ledger (openpyxl)."""

import re
import tempfile
import zipfile
from datetime import date, datetime
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
PERCENT_FORMAT = "0.0%"


class Percent(float):
    """A rate (0.917) that a sheet writes as a number formatted as a percent (91.7%), not as text, so that
    offices can sort, filter and sum it."""


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
            if isinstance(value, Percent):
                cell.number_format = PERCENT_FORMAT
                cell.alignment = Alignment(horizontal="center", vertical="center")
            else:
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
    """A ledger sheet for lists of any length, streamed to a temporary file.

    The same look as `write_table`: a title merged over the table, a frozen bold header, bordered wrapped
    仿宋 rows with room for their lines, widths, an auto-filter, landscape printing fit to the width with the
    header repeated. openpyxl writes the workbook: its styles, the title and header, the print settings and
    every other sheet. The data rows are written here as the sheet's XML and spliced in when the workbook
    is saved by `save`: openpyxl spends some 30 µs on each cell it writes, a minute for a 100,000-task ledger,
    where this takes seconds. Text is written as inline strings, so a cell beginning with = + - @ is never a
    formula.
    """

    def __init__(self, workbook: Workbook, *, name: str, title: str, headers: list[str], widths: list[int],
                 hidden_columns: list[int] = (), font_size: int = 11) -> None:  # fmt: skip
        self.ws = workbook.create_sheet(name)
        self.workbook = workbook
        self.columns = len(headers)
        self.rows = 0
        self.widths = widths
        # Column widths count in characters of the body's own size (LibreOffice, measured): a bigger font
        # only makes each line taller.
        self.font_size = font_size
        self._line_widths = list(widths)
        self.letters = [get_column_letter(index) for index in range(1, self.columns + 1)]
        ws = self.ws
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        for index in hidden_columns:
            ws.column_dimensions[get_column_letter(index)].hidden = True
        ws.freeze_panes = "A3"
        _print_setup(ws, header_row=2)
        # Page numbers in the footer of every printed page, as on the county's paper ledgers.
        ws.HeaderFooter.oddFooter.center.text = "第 &P 页,共 &N 页"
        ws.HeaderFooter.oddFooter.center.size = max(10, font_size)
        ws.merged_cells.add(f"A1:{self.letters[-1]}1")
        body = Font(name=FONT_NAME, size=font_size)
        centred = Alignment(horizontal="center", vertical="center")
        self._styles = {
            "text": _style_id(ws, body, Alignment(vertical="center", wrap_text=True)),
            "number": _style_id(ws, body, centred),
            "date": _style_id(ws, body, centred, number_format="yyyy-mm-dd"),
            "percent": _style_id(ws, body, centred, number_format=PERCENT_FORMAT),
        }
        self._fills = {light: _style_id(ws, body, centred, fill=fill) for light, fill in LIGHT_FILLS.items()}
        title_cell = WriteOnlyCell(ws, value=title)
        title_cell.font = Font(name="方正小标宋简体", size=16, bold=True)
        title_cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 36
        ws.append([title_cell])
        # The header row tall enough for its wrapped names (系统编号(请勿修改) in a narrow column).
        header_lines = max(_lines(str(header), line) for header, line in zip(headers, self._line_widths, strict=False))
        ws.row_dimensions[2].height = max(20, round(font_size * 1.45) * header_lines + 6)
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(ws, value=header)
            cell.font = Font(name="黑体", size=font_size, bold=True)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            header_cells.append(cell)
        ws.append(header_cells)
        # Kept open until the workbook is saved (and gone with it): rows past 8 MB go to a temporary file.
        self._file = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024, mode="w+", encoding="utf-8")  # noqa: SIM115
        streams = workbook.__dict__.setdefault("_luoshi_streams", {})
        streams[name] = self

    def append(self, values: list, *, fills: dict[int, str] | None = None) -> None:
        """One row; `fills` colours cells by light (1-based column → red/yellow/green)."""
        number = self.rows + 3
        styles, lit = self._styles, self._fills
        cells = []
        lines = 1
        for index, value in enumerate(values):
            ref = f"{self.letters[index]}{number}"
            light = fills.get(index + 1) if fills else None
            if value is None or value == "":
                cells.append(f'<c r="{ref}" s="{lit.get(light, styles["text"])}"/>')
            elif isinstance(value, bool):
                text = "是" if value else "否"
                cells.append(f'<c r="{ref}" s="{styles["text"]}" t="inlineStr"><is><t>{text}</t></is></c>')
            elif isinstance(value, Percent):
                cells.append(f'<c r="{ref}" s="{styles["percent"]}"><v>{float(value)!r}</v></c>')
            elif isinstance(value, int | float):
                cells.append(f'<c r="{ref}" s="{lit.get(light, styles["number"])}"><v>{value}</v></c>')
            elif isinstance(value, date):
                day = value.date() if isinstance(value, datetime) else value
                cells.append(f'<c r="{ref}" s="{styles["date"]}"><v>{(day - _EXCEL_EPOCH).days}</v></c>')
            else:
                text = str(value)
                style = lit.get(light, styles["text"])
                cells.append(
                    f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{_xml_text(text)}</t></is></c>'
                )
                # Excel and WPS keep a row at one line unless told its height: wrapped text needs room.
                width = self._line_widths[index] if index < len(self._line_widths) else 10
                if 2 * len(text) >= width - 1 or "\n" in text:
                    lines = max(lines, _lines(text, width))
        line_height = round(self.font_size * 1.4) if self.font_size != 11 else 15
        height = f' ht="{min(409, line_height * lines + 3)}" customHeight="1"' if lines > 1 else ""
        self._file.write(f'<row r="{number}"{height}>{"".join(cells)}</row>')
        self.rows += 1

    def close(self) -> None:
        """Set the auto-filter over what was written; call once, after the last row."""
        self.ws.auto_filter.ref = f"A2:{self.letters[-1]}{self.rows + 2}"


_EXCEL_EPOCH = date(1899, 12, 30)
# Escaped for XML in one pass; characters XML 1.0 cannot hold (control characters other than tab and line
# breaks) are dropped.
_XML_TEXT = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\ufffe": None, "\uffff": None}
    | {chr(code): None for code in range(32) if chr(code) not in "\t\n\r"}
)


def _xml_text(value) -> str:
    return str(value).translate(_XML_TEXT)


def _style_id(ws, font: Font, alignment: Alignment, *, number_format: str = "General",
              fill: PatternFill | None = None) -> int:  # fmt: skip
    """The index of a cell format in the workbook's styles, as a sheet's XML refers to it (s="…")."""
    template = WriteOnlyCell(ws)
    template.font, template.border, template.alignment = font, _BORDER, alignment
    template.number_format = number_format
    if fill is not None:
        template.fill = fill
    return ws.parent._cell_styles.add(template._style)


def save(workbook: Workbook, target) -> None:
    """Save `workbook` to a file or file object, with the rows of its LedgerSheets spliced in."""
    streams = workbook.__dict__.get("_luoshi_streams")
    if not streams:
        workbook.save(target)
        return
    saved = BytesIO()
    workbook.save(saved)
    paths = {f"xl/worksheets/sheet{index}.xml": sheet.title for index, sheet in enumerate(workbook.worksheets, 1)}
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            stream = streams.get(paths.get(item.filename, ""))
            if stream is None:
                out.writestr(item, data)
                continue
            head, tail = data.decode("utf-8").split("</sheetData>", 1)
            last = f"{stream.letters[-1]}{stream.rows + 2}"
            head = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:{last}"', head, count=1)
            with out.open(item.filename, "w") as entry:
                entry.write(head.encode("utf-8"))
                stream._file.seek(0)
                while chunk := stream._file.read(1024 * 1024):
                    entry.write(chunk.encode("utf-8"))
                entry.write(("</sheetData>" + tail).encode("utf-8"))


def _lines(value: str, width: int) -> int:
    """How many lines `value` takes in a wrapped cell `width` characters wide (a Chinese character is two)."""
    room = max(1, width - 1)
    lines = 0
    for part in value.split("\n"):
        # A Chinese character is 3 bytes in UTF-8 and 2 columns wide, a Latin one 1 and 1: counted in C, not per char.
        columns = len(part) + (len(part.encode("utf-8")) - len(part)) // 2
        lines += max(1, -(-columns // room))
    return lines


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(workbook: Workbook, filename: str):
    """A download of `workbook` as `filename`; every .xlsx a page offers goes through here."""
    from django.http import FileResponse

    buffer = BytesIO()
    save(workbook, buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
