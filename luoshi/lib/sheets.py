"""Reading spreadsheets fast (python-calamine), with Chinese errors for bad files.

calamine reads values (the cached result of a formula) from .xlsx, .xlsm, .xls
and .ods, and never runs a macro. What it cannot tell, an .xlsx's hidden
columns and formulas with no cached value, is read from the sheet's own XML.
The bytes are checked before any parser sees them: a file is what its content
says, not what its name says.
"""

import bisect
import datetime as dt
import io
import itertools
import posixpath
import re
import struct
import zipfile
import zlib
from array import array
from dataclasses import dataclass, field
from xml.etree import ElementTree
from xml.parsers import expat

from python_calamine import CalamineError, CalamineWorkbook

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# An encrypted .xlsx is an OLE2 container holding these streams (names in UTF-16).
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_AGAIN = "请用 Excel 或 WPS 另存为 .xlsx 后重试。"
_PASSWORD = "该表格设置了打开密码(已加密),无法读取。请在 Excel、WPS 或 LibreOffice 中取消密码后另存,再导入。"


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
            raise SheetError(_PASSWORD)
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
        # A password-protected .ods keeps its content encrypted and says so in its manifest.
        if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read("META-INF/manifest.xml")[:1_000_000]:
            raise SheetError(_PASSWORD)
        return "ods"
    if "word/document.xml" in names:
        raise SheetError("这是一个 Word 文档,不是 Excel 表格。请上传 .xlsx、.xls 或 .ods 文件。")
    raise SheetError(f"该文件不是 Excel 表格(.xlsx、.xls 或 .ods)。{_AGAIN}")


def read_workbook(fileobj, *, max_cells: int, max_bytes: int | None = None) -> list[Sheet]:
    """Every sheet's rows as Python values, refusing files past the limits.

    The sheets' XML is scanned first, streaming (`_scan_xlsx`): calamine lays a sheet out as a dense
    rectangle from A1 to its farthest cell, so a file whose only cells are A1 and XFD1048576 would ask
    for 512 GB. The scan counts the real cells, the rectangle, each cell's text and the text the cells
    will hold, and refuses before calamine builds anything. Hidden sheets are returned with `hidden` set.
    """
    from django.conf import settings

    data = fileobj.read() if hasattr(fileobj, "read") else bytes(fileobj)
    max_bytes = max_bytes or settings.LUOSHI_MAX_SPREADSHEET_BYTES
    max_unzipped = settings.LUOSHI_MAX_SPREADSHEET_UNZIPPED_BYTES
    kind = sniff(data, max_bytes=max_bytes, max_unzipped=max_unzipped)
    scanned: dict[str, _SheetScan] = {}
    if kind == "xlsx":
        scanned = _scan_xlsx(data, max_cells=max_cells, max_unzipped=max_unzipped)
    elif kind == "ods":
        scanned = _scan_ods(data, max_cells=max_cells, max_unzipped=max_unzipped)
    else:
        scanned = _scan_xls(data, max_cells=max_cells)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible = {meta.name: str(meta.visible).endswith("Visible") for meta in workbook.sheets_metadata}
        sheets, cells = [], 0
        for name in workbook.sheet_names:
            calamine_sheet = workbook.get_sheet_by_name(name)
            width, height = calamine_sheet.total_width, calamine_sheet.total_height
            if cells + width * height > max_cells * 2:
                raise SheetError(_too_many_cells(max_cells))
            rows = calamine_sheet.to_python(skip_empty_area=False)
            cells += sum(len(row) for row in rows)
            if cells > max_cells * 2:
                raise SheetError(_too_many_cells(max_cells))
            merged = list(getattr(calamine_sheet, "merged_cell_ranges", None) or [])
            del calamine_sheet
            sheets.append(Sheet(name=name, rows=rows, merged=merged, hidden=not visible.get(name, True)))
    except CalamineError as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise SheetError(_PASSWORD) from None
        raise SheetError(f"无法读取该文件:它不是有效的 Excel 表格,或已损坏。{_AGAIN}") from None
    except SheetError:
        raise
    except (ValueError, OSError, TypeError) as exc:
        raise SheetError(f"无法读取该文件:{exc}。{_AGAIN}") from None
    for sheet in sheets:
        if found := scanned.get(sheet.name):
            sheet.hidden_columns, sheet.hidden_rows = found.hidden_columns, found.hidden_rows
            sheet.uncached_formulas = found.uncached_formulas
        # Hidden rows and columns are read from .xlsx, .xls and .ods alike (#13 §6).
    return sheets


def check_workbook(data: bytes, *, max_cells: int) -> int:
    """The early check of an upload, streaming and without calamine: refuse a hostile or oversized file now,
    in the request, and say how many cells it holds (for .xls and .ods, an estimate from the file's size),
    so that the caller can leave a large one to the worker."""
    from django.conf import settings

    max_unzipped = settings.LUOSHI_MAX_SPREADSHEET_UNZIPPED_BYTES
    kind = sniff(data, max_bytes=settings.LUOSHI_MAX_SPREADSHEET_BYTES, max_unzipped=max_unzipped)
    if kind == "xlsx":
        return sum(scan.cells for scan in _scan_xlsx(data, max_cells=max_cells, max_unzipped=max_unzipped).values())
    if kind == "ods":
        _scan_ods(data, max_cells=max_cells, max_unzipped=max_unzipped)
    else:
        _scan_xls(data, max_cells=max_cells)
    return len(data) // 10


def _too_many_cells(max_cells: int) -> str:
    return f"表格太大:超过 {max_cells:,} 个单元格的上限。请拆分后分批导入。"


# --- The scan before calamine -------------------------------------------------
#
# Excel holds at most 32,767 characters in a cell; a "cell" longer than that is not Excel's.
MAX_CELL_CHARS = 32_767
# What the cells may hold in all, counting a shared string once per cell that shows it (calamine and
# Python make one string per cell): a million cells of a short sentence each fit; a 400 MB cell does not.
MAX_TEXT_BYTES = 64 * 1024 * 1024
# What reading may spend, within a worker's 256 MB (the upload itself and the page's own work need the
# rest). Measured (luoshi/tests/test_hostile_uploads.py): calamine's cell and Python's object for it come
# to about 120 bytes a cell, plus about twice the cell's text in UTF-8 bytes; 1.5 million short text
# cells reach 254 MB. So the settings' LUOSHI_MAX_SPREADSHEET_CELLS is 1 million: that many cells of a short
# sentence (30 bytes) come to 180 MB and always fit; a text-heavy sheet may be refused before it, by this budget.
MAX_READ_BYTES = 200 * 1024 * 1024
_BYTES_PER_CELL = 120
# A run of bytes between two tags longer than this is one text longer than a cell may hold:
# 4 bytes per character is UTF-8's widest.
_MAX_RUN_BYTES = MAX_CELL_CHARS * 4
_CHUNK = 1024 * 1024
# A text longer than a cell may hold; searched from each ">", so each byte is looked at once.
_LONG_RUN = re.compile(rb">[^<]{%d}" % (_MAX_RUN_BYTES + 1))
_DTD = (b"<!DOCTYPE", b"<!ENTITY")
_Q = rb"""["']"""
# A cell with something in it: not self-closing and not closed at once (<c r="B2" s="1"/> is only a style,
# and calamine leaves it out of the sheet's rectangle too).
_TAGS_FOR_PREFIX: dict[bytes, dict[str, re.Pattern]] = {}


def _patterns(prefix: bytes) -> dict[str, re.Pattern]:
    """The scan's patterns for a sheet whose elements carry `prefix` ("" or "x:"): literal, so fast."""
    if prefix not in _TAGS_FOR_PREFIX:
        p = re.escape(prefix)
        _TAGS_FOR_PREFIX[prefix] = {
            # A cell that may hold something: not self-closing (<c r="B2" s="1"/> is only a style, and
            # calamine leaves it out of the sheet's rectangle too).
            "ref": re.compile(rb"<" + p + rb'c r="([A-Z]{1,3})(\d{1,9})"[^>/]*>'),
            "row": re.compile(rb"<" + p + rb'row r="(\d{1,9})"'),
            "shared": re.compile(rb't="s"[^>]*><' + p + rb"v>(\d{1,9})</"),
            "text": re.compile(rb"<" + p + rb"t[ >][^<]*"),
            "long_value": re.compile(rb"<" + p + rb"v>[^<]{33,}"),
            "formula": re.compile(
                b'<%sc r="([A-Z]{1,3})(\\d{1,9})"[^>/]*>((?:(?!</%sc>).)*?<%sf[\\s>/].*?)</%sc>' % (p, p, p, p),
                re.S,
            ),
            "cached": re.compile(rb"<" + p + rb"v>[^<]"),
            "cell": re.compile(rb"<" + p + rb"c[ >]"),
            "cell_with_ref": re.compile(rb"<" + p + rb'c r="'),
            "row_start": re.compile(rb"<" + p + rb"row[ >]"),
        }
    return _TAGS_FOR_PREFIX[prefix]


_ROOT = re.compile(rb"<(\w+:)?worksheet[\s>]")
# Where a segment may end: before a cell or row begins, so that no cell is split between two segments.
_BOUNDARY = re.compile(rb"<(?:\w+:)?(?:c|row)[\s>/]")


@dataclass
class _SheetScan:
    cells: int = 0
    max_row: int = 0
    max_column: int = -1
    unreferenced_cells: int = 0
    unreferenced_rows: int = 0
    text_bytes: int = 0
    hidden_columns: set[int] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)
    uncached_formulas: set[tuple[int, int]] = field(default_factory=set)

    @property
    def rectangle(self) -> int:
        """How many cells calamine lays out: from A1 to the farthest row and column, at worst."""
        rows = self.max_row + self.unreferenced_rows
        columns = self.max_column + 1 + self.unreferenced_cells
        return max(rows, 1) * max(columns, 1) if self.cells else 0


def _xml_chunks(archive: zipfile.ZipFile, path: str, budget: list[int]):
    """A part's bytes, streaming; refuses a DTD (XXE, "billion laughs") and a zip that lies about sizes.

    `budget` is what is left of the unzipped limit, shared by every part: zipfile stops a member at the
    size its directory declares and checks its CRC, and the bytes counted here are the real ones.
    """
    tail = b""
    try:
        with archive.open(path) as handle:
            while chunk := handle.read(_CHUNK):
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    raise SheetError("文件解压后超过上限(可能是恶意构造的压缩文件)。请拆分后分批导入。")
                window = tail + chunk
                if any(marker in window for marker in _DTD):
                    raise SheetError(
                        "该表格含有 DTD 或实体声明(<!DOCTYPE>/<!ENTITY>),Excel 和 WPS 从不写入这些内容,"
                        f"可能是恶意构造的文件,已拒绝。{_AGAIN}"
                    )
                tail = chunk[-16:]
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
        raise SheetError(f"文件已损坏(其中的“{path}”无法解压),无法打开。{_AGAIN}") from None


def _scan_xlsx(data: bytes, *, max_cells: int, max_unzipped: int) -> dict[str, _SheetScan]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SheetError(f"文件已损坏,无法打开。{_AGAIN}") from None
    budget = [max_unzipped]
    names = set(archive.namelist())
    for path in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        if path in names:
            for _chunk in _xml_chunks(archive, path, budget):
                pass
    try:
        paths, shared_path = _sheet_paths(archive)
    except (KeyError, ElementTree.ParseError, ValueError):
        raise SheetError(f"文件已损坏(工作簿目录无法读取),无法打开。{_AGAIN}") from None
    shared = _scan_shared_strings(archive, shared_path, budget) if shared_path in names else array("Q")
    scans: dict[str, _SheetScan] = {}
    before = _SheetScan()  # what the sheets before this one hold
    for name, path in paths.items():
        if path not in names:
            continue
        scan = scans[name] = _scan_sheet(
            archive, path, name, shared, budget, check=lambda scan, name=name: _check(scan, before, name, max_cells)
        )
        before.cells += scan.cells
        before.text_bytes += scan.text_bytes
    # Every other XML part gets the same scan: a package can point calamine at a part this scan did not
    # resolve (another workbook part, a path written differently), and no part may hold a DTD.
    scanned = {shared_path, "xl/workbook.xml", "xl/_rels/workbook.xml.rels", *paths.values()}
    for path in sorted(names - scanned):
        if path.endswith((".xml", ".rels", ".vml")):
            scan = _scan_sheet(
                archive, path, path, shared, budget, check=lambda scan, path=path: _check(scan, before, path, max_cells)
            )
            before.cells += scan.cells
            before.text_bytes += scan.text_bytes
    return scans


_ODS_TOKEN = re.compile(
    rb"<(?:\w+:)?(table-row|table-cell|covered-table-cell|table-column|table)\b([^>]*?)(/?)>|</(?:\w+:)?(table-row)>"
)
_ODS_HIDDEN = re.compile(rb'visibility\s*=\s*["\'](?:collapse|filter)')
_HIDDEN_LIMIT = 20_000  # a hidden run of a million empty rows is noted up to here, not set by set
_ODS_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated\s*=\s*["\'](\d{1,9})')
_ODS_BOUNDARY = re.compile(rb"<(?:\w+:)?(?:table-row|table-cell|covered-table-cell|table)\b")


def _scan_ods(data: bytes, *, max_cells: int, max_unzipped: int) -> dict[str, _SheetScan]:
    """The same limits for an .ods, before calamine expands its repeated rows and cells.

    An .ods writes a run of equal cells once, with `number-columns-repeated` (rows likewise): calamine lays
    the sheet out from A1 to its farthest value, so an empty run of 16,383 columns before one value is the
    corner bomb again. Cells are counted with their repeats, and the rectangle from A1, as the XML goes.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SheetError(f"文件已损坏,无法打开。{_AGAIN}") from None
    budget = [max_unzipped]
    state = {"name": "", "row": 0, "rows": 1, "column": 0, "valued": False, "width": 0, "height": 0, "cells": 0,
             "defined": 0}  # fmt: skip
    found: dict[str, _SheetScan] = {}

    def hidden(start: int, count: int) -> set[int]:
        return set(range(start, min(start + count, start + _HIDDEN_LIMIT)))

    def scan(segment: bytes) -> None:
        for match in _ODS_TOKEN.finditer(segment):
            tag, attrs, closed, end = match.groups()
            if tag == b"table" and not closed:
                name = re.search(rb'name\s*=\s*["\']([^"\']*)', attrs)
                state.update(name=(name.group(1) if name else b"").decode(errors="replace"), row=0, width=0, height=0,
                             defined=0)  # fmt: skip
                found[state["name"]] = _SheetScan()
            elif tag == b"table-column":
                repeat = _ODS_REPEAT.search(attrs)
                columns = int(repeat.group(1)) if repeat else 1
                if _ODS_HIDDEN.search(attrs) and state["name"] in found:
                    found[state["name"]].hidden_columns |= hidden(state["defined"], columns)
                state["defined"] += columns
            elif tag == b"table-row":
                repeat = _ODS_REPEAT.search(attrs)
                state.update(rows=int(repeat.group(1)) if repeat else 1, column=0, valued=False)
                if _ODS_HIDDEN.search(attrs) and state["name"] in found:
                    found[state["name"]].hidden_rows |= hidden(state["row"], state["rows"])
            elif end:
                if state["valued"]:
                    state["height"] = state["row"] + state["rows"]
                state["row"] += state["rows"]
            elif tag in (b"table-cell", b"covered-table-cell"):
                repeat = _ODS_REPEAT.search(attrs)
                columns = int(repeat.group(1)) if repeat else 1
                if not closed or b"value" in attrs:
                    state["valued"] = True
                    state["width"] = max(state["width"], state["column"] + columns)
                    state["cells"] += columns * state["rows"]
                state["column"] += columns
            area = max(state["width"], 1) * max(state["height"], state["row"] + state["rows"] if state["valued"] else 1)
            if state["cells"] > max_cells or state["cells"] * _BYTES_PER_CELL > MAX_READ_BYTES:
                _check(_SheetScan(cells=state["cells"]), _SheetScan(), state["name"], max_cells)
            if state["valued"] and area > max_cells:
                raise SheetError(
                    f"工作表“{state['name']}”的内容一直延伸到第 {state['row'] + state['rows']:,} 行、"
                    f"{column_letter(state['width'] - 1)} 列,按表格范围计约 {area:,} 个单元格,"
                    f"超过 {max_cells:,} 个的上限。请删除表格以外多余的行和列后另存,再导入。"
                )

    if "content.xml" not in archive.namelist():
        return found
    carry = b""
    for chunk in itertools.chain(_xml_chunks(archive, "content.xml", budget), [None]):
        if chunk is None:
            segment, carry = carry, b""
        else:
            window = carry + chunk
            cut = _last_match_start(window, _ODS_BOUNDARY)
            segment, carry = window[:cut], window[cut:]
            if len(carry) > _MAX_RUN_BYTES + 64 * 1024:
                if _LONG_RUN.search(carry):
                    raise _refuse_long_cell("表格中")
                segment, carry = window, b""
        if segment:
            if _LONG_RUN.search(segment):
                raise _refuse_long_cell("表格中")
            scan(segment)
    for path in archive.namelist():
        if path.endswith((".xml", ".rdf")) and path != "content.xml":
            for _chunk in _xml_chunks(archive, path, budget):
                pass
    return found


# BIFF8 cell records: (row, column) at the start of each; MULRK and MULBLANK end with their last column.
_XLS_CELLS = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0006, 0x0205, 0x00D6, 0x0201}
_XLS_MULTI = {0x00BD, 0x00BE}
_XLS_BOF, _XLS_EOF, _XLS_SHEET, _XLS_SST, _XLS_CONTINUE, _XLS_LABELSST = 0x0809, 0x000A, 0x0085, 0x00FC, 0x003C, 0x00FD
# FILEPASS: the workbook is encrypted (打开密码). ROW's option flags and COLINFO's say what is hidden.
_XLS_FILEPASS, _XLS_ROW, _XLS_COLINFO = 0x002F, 0x0208, 0x007D


def _scan_xls(data: bytes, *, max_cells: int) -> dict[str, _SheetScan]:
    """The same limits for an .xls (Excel 97-2003), from its BIFF records, before calamine lays it out.

    An .xls sheet is at most 65,536 rows by 256 columns, but calamine would still spend 512 MB on a
    sheet whose only cells are A1 and IV65536; and a shared string is copied into every cell that shows
    it. The records give each cell's place and each shared string's length, so both are counted first.
    """
    import olefile

    try:
        with olefile.OleFileIO(data) as container:
            stream = next((name for name in ("Workbook", "Book") if container.exists(name)), None)
            if stream is None:
                raise SheetError(f"该文件不是 Excel 表格(可能是 Word 等其他 Office 文件)。{_AGAIN}")
            size = container.get_size(stream)
            if size > len(data) * 2:
                raise SheetError(f"文件已损坏,无法打开。{_AGAIN}")
            book = container.openstream(stream).read()
    except SheetError:
        raise
    except Exception:  # noqa: BLE001 - olefile raises many kinds on a broken container; all mean "broken"
        raise SheetError(f"文件已损坏,无法打开。{_AGAIN}") from None
    names: dict[int, str] = {}
    shared = array("Q")
    sst = b""
    boundaries: list[int] = []
    sheet = _SheetScan()
    cells = text = 0
    in_sst = False
    position, sheet_name = 0, ""
    found: dict[str, _SheetScan] = {}
    while position + 4 <= len(book):
        kind, length = struct.unpack_from("<HH", book, position)
        body = book[position + 4 : position + 4 + length]
        offset, position = position, position + 4 + length
        if kind == _XLS_SST:
            sst, boundaries, in_sst = body, [], True
            continue
        if kind == _XLS_CONTINUE and in_sst:
            boundaries.append(len(sst))
            sst += body
            continue
        if in_sst:
            shared = _xls_string_lengths(sst, boundaries)
            in_sst = False
        if kind == _XLS_SHEET and length >= 8:
            cch, high = body[6], body[7] & 1 if length > 7 else 0
            raw = body[8 : 8 + cch * (2 if high else 1)]
            names[struct.unpack_from("<I", body)[0]] = raw.decode("utf-16-le" if high else "latin-1", "replace")
        elif kind == _XLS_BOF:
            sheet = _SheetScan()
            sheet_name = names.get(offset, "")
            if sheet_name:
                found[sheet_name] = sheet
        elif kind == _XLS_FILEPASS:
            raise SheetError(_PASSWORD)
        elif kind == _XLS_ROW and length >= 16:
            if struct.unpack_from("<H", body, 12)[0] & 0x0020:
                sheet.hidden_rows.add(struct.unpack_from("<H", body)[0])
        elif kind == _XLS_COLINFO and length >= 10:
            first, last = struct.unpack_from("<HH", body)
            if struct.unpack_from("<H", body, 8)[0] & 0x0001:
                sheet.hidden_columns.update(range(first, min(last, 255) + 1))
        elif kind in _XLS_CELLS or kind in _XLS_MULTI:
            if length < 4:
                continue
            row, column = struct.unpack_from("<HH", body)
            last = struct.unpack_from("<H", body, length - 2)[0] if kind in _XLS_MULTI and length >= 6 else column
            count = max(last - column + 1, 1)
            sheet.cells += count
            cells += count
            sheet.max_row = max(sheet.max_row, row + 1)
            sheet.max_column = max(sheet.max_column, last)
            if kind == _XLS_LABELSST and length >= 10:
                index = struct.unpack_from("<I", body, 6)[0]
                text += shared[index] if index < len(shared) else 0
            if cells > max_cells:
                raise SheetError(_too_many_cells(max_cells))
            if sheet.rectangle > max_cells:
                _check(sheet, _SheetScan(), sheet_name, max_cells)
            if text > MAX_TEXT_BYTES or cells * _BYTES_PER_CELL + text * 2 > MAX_READ_BYTES:
                _check(_SheetScan(cells=cells, text_bytes=text), _SheetScan(), sheet_name, max_cells)
    return found


def _xls_string_lengths(sst: bytes, boundaries: list[int]) -> array:
    """Each shared string's length in bytes as Python will hold it (UTF-16: two per character).

    A string may run on into a CONTINUE record, where its characters go on with a fresh flags byte
    (8-bit or 16-bit); its rich-text runs and phonetic block follow the characters.
    """
    lengths = array("Q")
    if len(sst) < 8:
        return lengths
    total = struct.unpack_from("<I", sst, 4)[0]
    starts = set(boundaries)
    position = 8
    for _ in range(total):
        if position + 3 > len(sst):
            break
        cch, flags = struct.unpack_from("<HB", sst, position)
        position += 3
        runs = extended = 0
        if flags & 0x08:
            runs = struct.unpack_from("<H", sst, position)[0]
            position += 2
        if flags & 0x04:
            extended = struct.unpack_from("<I", sst, position)[0]
            position += 4
        if cch > MAX_CELL_CHARS:
            raise _refuse_long_cell("表格中")
        width, left = (2 if flags & 0x01 else 1), cch
        while left > 0 and position < len(sst):
            # Characters up to the next CONTINUE, which starts with its own flags byte.
            following = bisect.bisect_right(boundaries, position)
            end = boundaries[following] if following < len(boundaries) else len(sst)
            take = min(left, (end - position) // width)
            position += take * width
            left -= take
            if left > 0 and position in starts:
                width = 2 if sst[position] & 0x01 else 1
                position += 1
            elif left > 0:
                break
        position += runs * 4 + extended
        lengths.append(cch * 2)
    return lengths


def _last_match_start(window: bytes, pattern: re.Pattern) -> int:
    position = len(window)
    for _ in range(1000):
        position = window.rfind(b"<", 0, position)
        if position <= 0:
            return 0
        if pattern.match(window, position):
            return position
    return window.rfind(b"<")


def _check(scan: _SheetScan, before: _SheetScan, name: str, max_cells: int) -> None:
    """Refuse, mid-sheet, as soon as the cells so far pass a limit."""
    if before.cells + scan.cells > max_cells:
        raise SheetError(_too_many_cells(max_cells))
    if scan.rectangle > max_cells:
        far = f"{column_letter(scan.max_column)} 列" if scan.max_column >= 0 else "很远的列"
        raise SheetError(
            f"工作表“{name}”的内容一直延伸到第 {scan.max_row:,} 行、{far},"
            f"按表格范围计约 {scan.rectangle:,} 个单元格,超过 {max_cells:,} 个的上限。"
            "请删除表格以外多余的行和列(包括只有一个字或数字的远处单元格)后另存,再导入。"
        )
    if before.text_bytes + scan.text_bytes > MAX_TEXT_BYTES:
        raise SheetError(
            f"表格中的文字总量超过 {MAX_TEXT_BYTES // (1024 * 1024)} MB 的上限"
            "(同一段文字被很多单元格引用时按每个单元格计)。请拆分后分批导入。"
        )
    cells, text = before.cells + scan.cells, before.text_bytes + scan.text_bytes
    if cells * _BYTES_PER_CELL + text * 2 > MAX_READ_BYTES:
        raise SheetError(
            f"表格太大:已有约 {cells:,} 个单元格、{text / (1024 * 1024):.0f} MB 文字,超过一次导入能处理的上限"
            f"(文字很多的表格约 {MAX_READ_BYTES // (_BYTES_PER_CELL + 60):,} 个单元格)。"
            "请把表格拆成几个文件(例如每个不超过 5 万行)分批导入。"
        )


def _refuse_long_cell(where: str) -> SheetError:
    return SheetError(
        f"{where}有单元格的文字超过 {MAX_CELL_CHARS:,} 个字(Excel 一个单元格最多能放这么多),"
        "可能是损坏或恶意构造的文件,已拒绝。请检查后另存再导入。"
    )


def _scan_shared_strings(archive: zipfile.ZipFile, path: str, budget: list[int]) -> array:
    """Each shared string's length in UTF-8 bytes (rich-text runs summed), refusing one past a cell's limit."""
    lengths = array("Q")
    state = {"depth": 0, "current": 0}

    def start(tag, _attrs):
        if tag.rpartition(":")[2] == "si":
            state["depth"] += 1
            state["current"] = 0

    def end(tag):
        if tag.rpartition(":")[2] == "si" and state["depth"]:
            state["depth"] -= 1
            lengths.append(state["current"])

    def text(chars):
        if state["depth"]:
            state["current"] += len(chars.encode())
            if state["current"] > _MAX_RUN_BYTES:
                raise _refuse_long_cell("表格中")

    def refuse_dtd(*_args):
        raise SheetError(f"该表格含有 DTD 或实体声明,可能是恶意构造的文件,已拒绝。{_AGAIN}")

    parser = expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = refuse_dtd
    try:
        for chunk in _xml_chunks(archive, path, budget):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise SheetError(f"文件已损坏(共享字符串表无法读取),无法打开。{_AGAIN}") from None
    return lengths


def _scan_sheet(
    archive: zipfile.ZipFile, path: str, name: str, shared: array, budget: list[int], *, check
) -> _SheetScan:
    """One pass over a sheet's XML, in segments that never split a cell: see `_SheetScan`."""
    scan = _SheetScan()
    carry, patterns = b"", None
    for chunk in itertools.chain(_xml_chunks(archive, path, budget), [None]):
        if chunk is None:
            segment, carry = carry, b""
        else:
            window = carry + chunk
            if patterns is None:
                root = _ROOT.search(window[:4096])
                patterns = _patterns(root.group(1) or b"" if root else b"")
            cut = _last_boundary(window)
            segment, carry = window[:cut], window[cut:]
            if len(carry) > _MAX_RUN_BYTES + 64 * 1024:
                # No cell or row starts in this much XML: one text runs on past any cell's limit.
                if _LONG_RUN.search(carry):
                    raise _refuse_long_cell(f"工作表“{name}”中")
                segment, carry = window, b""
        if segment:
            _scan_segment(segment, scan, shared, name, patterns or _patterns(b""))
            check(scan)
    return scan


def _last_boundary(window: bytes) -> int:
    return _last_match_start(window, _BOUNDARY)


def _scan_segment(segment: bytes, scan: _SheetScan, shared: array, name: str, patterns: dict) -> None:
    # Text calamine will make strings of: inline strings, and values longer than a number (a formula's text).
    texts = patterns["text"].findall(segment) + patterns["long_value"].findall(segment)
    if texts:
        if max(map(len, texts)) > _MAX_RUN_BYTES:
            raise _refuse_long_cell(f"工作表“{name}”中")
        scan.text_bytes += sum(map(len, texts))
    references = patterns["ref"].findall(segment)
    cells = len(patterns["cell"].findall(segment))
    scan.cells += cells
    if references:
        scan.max_row = max(scan.max_row, max(int(row) for row in {row for _letters, row in references}))
        for letters in {letters for letters, _row in references}:
            scan.max_column = max(scan.max_column, _column_index(letters.decode()))
    if cells > len(patterns["cell_with_ref"].findall(segment)):
        # Cells without a reference (or written unusually) follow the cell before them in their row.
        scan.unreferenced_cells = max(
            scan.unreferenced_cells,
            max(len(patterns["cell"].findall(row)) for row in patterns["row_start"].split(segment)),
        )
        rows = patterns["row"].findall(segment)
        if rows:
            scan.max_row = max(scan.max_row, max(map(int, rows)))
        scan.unreferenced_rows += len(patterns["row_start"].findall(segment)) - len(rows)
    for index in patterns["shared"].findall(segment):
        position = int(index)
        if position < len(shared):
            scan.text_bytes += shared[position]
    for tag in _COL_TAG.findall(segment):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get(b"hidden") in (b"1", b"true"):
            first, last = int(attrs.get(b"min", b"1") or 1), int(attrs.get(b"max", b"1") or 1)
            scan.hidden_columns.update(range(max(first - 1, 0), min(last, 16384)))
    if b'hidden="' in segment:
        for tag in _ROW_TAG.findall(segment):
            attrs = dict(_ATTR.findall(tag))
            if attrs.get(b"hidden") in (b"1", b"true") and attrs.get(b"r", b"").isdigit():
                scan.hidden_rows.add(int(attrs[b"r"]) - 1)
    if b"f>" in segment or b"f " in segment:
        for letters, row, body in patterns["formula"].findall(segment):
            if not patterns["cached"].search(body):
                scan.uncached_formulas.add((int(row) - 1, _column_index(letters.decode())))


def _sheet_paths(archive: zipfile.ZipFile) -> tuple[dict[str, str], str]:
    """Each sheet's part, by name, and the shared strings' part, from the workbook's relationships."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets, shared = {}, "xl/sharedStrings.xml"
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = path
        if rel.get("Type", "").endswith("/sharedStrings"):
            shared = path
    paths = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        path = targets.get(sheet.get(f"{_REL}id"), "")
        if path:
            paths[sheet.get("name")] = path
    return paths, shared


_COL_TAG = re.compile(rb"<(?:\w+:)?col\b[^>]*>")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


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
