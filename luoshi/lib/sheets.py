"""Reading spreadsheets fast (python-calamine), with Chinese errors for bad files.

calamine reads values (the cached result of a formula) from .xlsx, .xlsm, .xls
and .ods, and never runs a macro. What it cannot tell, an .xlsx's hidden
columns and formulas with no cached value, is read from the sheet's own XML.
The bytes are checked before any parser sees them: a file is what its content
says, not what its name says.
"""

import datetime as dt
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from python_calamine import CalamineError, CalamineWorkbook

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# An encrypted .xlsx is an OLE2 container holding these streams (names in UTF-16).
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_AGAIN = "请用 Excel 或 WPS 另存为 .xlsx 后重试。"


class SheetError(ValueError):
    """A spreadsheet that cannot be read at all; the message is for the user."""


@dataclass
class Sheet:
    name: str
    rows: list[list]
    # Merged areas as ((first row, first column), (last row, last column)), from 0.
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    hidden_columns: set[int] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)
    # Cells holding a formula that was never calculated (no cached value), as (row, column) from 0.
    uncached_formulas: set[tuple[int, int]] = field(default_factory=set)
    hidden: bool = False


def sniff(data: bytes, *, max_bytes: int, max_unzipped: int) -> str:
    """What kind of spreadsheet `data` is: "xlsx" (also .xlsm), "xls" or "ods"; anything else is refused."""
    if not data:
        raise SheetError("文件是空的(0 字节)。请选择填好的 Excel 表格。")
    if len(data) > max_bytes:
        raise SheetError(f"文件太大:超过 {max_bytes // (1024 * 1024)} MB 的上限。请拆分后分批导入。")
    if data.startswith(_OLE2):
        if any(stream in data for stream in _ENCRYPTED_STREAMS):
            raise SheetError("该表格设置了打开密码(已加密),无法读取。请在 Excel 或 WPS 中取消密码后另存,再导入。")
        return "xls"
    if not data.startswith(_ZIP):
        raise SheetError(f"该文件不是 Excel 表格(.xlsx、.xls 或 .ods),可能只是改了扩展名。{_AGAIN}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unzipped = sum(info.file_size for info in archive.infolist())
        mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        raise SheetError(f"文件已损坏,无法打开。{_AGAIN}") from None
    if unzipped > max_unzipped:
        raise SheetError(
            f"文件解压后超过 {max_unzipped // (1024 * 1024)} MB,超出上限(可能是恶意构造的压缩文件)。请拆分后分批导入。"
        )
    if "xl/workbook.xml" in names:
        return "xlsx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    if "word/document.xml" in names:
        raise SheetError("这是一个 Word 文档,不是 Excel 表格。请上传 .xlsx、.xls 或 .ods 文件。")
    raise SheetError(f"该文件不是 Excel 表格(.xlsx、.xls 或 .ods)。{_AGAIN}")


def read_workbook(fileobj, *, max_cells: int, max_bytes: int | None = None) -> list[Sheet]:
    """Every sheet's rows as Python values, refusing files past the limits.

    Hidden sheets are returned with `hidden` set, so a caller can flag them.
    """
    from django.conf import settings

    data = fileobj.read() if hasattr(fileobj, "read") else bytes(fileobj)
    max_bytes = max_bytes or settings.LUOSHI_MAX_SPREADSHEET_BYTES
    kind = sniff(data, max_bytes=max_bytes, max_unzipped=settings.LUOSHI_MAX_SPREADSHEET_UNZIPPED_BYTES)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible = {meta.name: str(meta.visible).endswith("Visible") for meta in workbook.sheets_metadata}
        sheets, cells = [], 0
        for name in workbook.sheet_names:
            calamine_sheet = workbook.get_sheet_by_name(name)
            width, height = calamine_sheet.total_width, calamine_sheet.total_height
            if cells + width * height > max_cells * 2:
                raise SheetError(f"表格太大:超过 {max_cells:,} 个单元格的上限。请拆分后分批导入。")
            rows = calamine_sheet.to_python(skip_empty_area=False)
            cells += sum(len(row) for row in rows)
            if cells > max_cells:
                raise SheetError(f"表格太大:超过 {max_cells:,} 个单元格的上限。请拆分后分批导入。")
            merged = list(getattr(calamine_sheet, "merged_cell_ranges", None) or [])
            sheets.append(Sheet(name=name, rows=rows, merged=merged, hidden=not visible.get(name, True)))
    except CalamineError as exc:
        raise SheetError(f"无法读取该文件:它不是有效的 Excel 表格,或已损坏({exc})。{_AGAIN}") from None
    except SheetError:
        raise
    except (ValueError, OSError, TypeError) as exc:
        raise SheetError(f"无法读取该文件:{exc}。{_AGAIN}") from None
    if kind == "xlsx":
        _read_xlsx_metadata(data, sheets)
    return sheets


def _read_xlsx_metadata(data: bytes, sheets: list[Sheet]) -> None:
    """Hidden columns and rows and uncached formulas, from each sheet's XML (calamine does not report them)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        paths = _sheet_paths(archive)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return
    for sheet in sheets:
        path = paths.get(sheet.name)
        if path is None:
            continue
        try:
            with archive.open(path) as handle:
                _scan_sheet_xml(handle, sheet)
        except (KeyError, ElementTree.ParseError, OSError, ValueError):
            continue


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL}Relationship")}
    paths = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        if target:
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            paths[sheet.get("name")] = path
    return paths


_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


_COL_TAG = re.compile(rb"<(?:\w+:)?col\b[^>]*>")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')


def _scan_sheet_xml(handle, sheet: Sheet) -> None:
    raw = handle.read()
    for tag in _COL_TAG.findall(raw):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get(b"hidden") in (b"1", b"true"):
            first, last = int(attrs.get(b"min", b"1")), int(attrs.get(b"max", b"1"))
            sheet.hidden_columns.update(range(first - 1, min(last, 16384)))
    if b'hidden="' in raw:
        for tag in _ROW_TAG.findall(raw):
            attrs = dict(_ATTR.findall(tag))
            if attrs.get(b"hidden") in (b"1", b"true") and attrs.get(b"r", b"").isdigit():
                sheet.hidden_rows.add(int(attrs[b"r"]) - 1)
    if b"<f" not in raw and b":f>" not in raw and b":f " not in raw:
        return  # no formulas: the common case, and no need to parse the sheet
    # iterparse keeps memory flat on a large sheet; each cell is cleared once read.
    for _event, element in ElementTree.iterparse(io.BytesIO(raw), events=("end",)):
        if element.tag == f"{_MAIN}c":
            formula = element.find(f"{_MAIN}f")
            if formula is not None:
                value = element.find(f"{_MAIN}v")
                if value is None or value.text is None:
                    match = _CELL_REF.match(element.get("r", ""))
                    if match:
                        sheet.uncached_formulas.add((int(match.group(2)) - 1, _column_index(match.group(1))))
            element.clear()


def cell_text(value) -> str:
    """A cell as the text a person sees: 3.0 → "3", 13912345678.0 → "13912345678"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how Excel names the column of a message."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
