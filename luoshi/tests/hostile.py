"""Hostile files, built small: each is a few KB to a few MB on disk and unpacks to what an attack needs.

A deflate stream that repeats one block is made by compressing the block once, after a full flush (which
leaves the stream byte-aligned and referring to nothing before it), and writing those bytes many times.
So a 400 MB cell or a 1 GB PDF stream costs a second to build, not a minute.

`child` runs one file through the reader Luoshi uses for it, in this process, under a hard memory limit;
the suite calls it as `python -m luoshi.tests.hostile KIND PATH` and reads its one line of JSON.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import struct
import sys
import time
import zlib
from pathlib import Path

# --- Deflate and zip, by hand --------------------------------------------------


class Deflated:
    """Raw deflate bytes with the CRC and size of what they unpack to."""

    def __init__(self) -> None:
        self._compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        self.parts: list[bytes] = []
        self.crc = 0
        self.size = 0

    def add(self, data: bytes, times: int = 1) -> Deflated:
        # A small block is repeated within one piece first: a flushed piece is never shorter than a few bytes.
        group = max(1, min(times, MB // max(len(data), 1)))
        whole, rest = divmod(times, group)
        for block, count in ((data * group, whole), (data * rest, 1 if rest else 0)):
            if not count:
                continue
            piece = self._compressor.compress(block) + self._compressor.flush(zlib.Z_FULL_FLUSH)
            self.parts.append(piece * count)
            self.size += len(block) * count
            for _ in range(count):
                self.crc = zlib.crc32(block, self.crc)
        return self

    def finish(self) -> Deflated:
        self.parts.append(self._compressor.flush())
        return self

    @property
    def data(self) -> bytes:
        return b"".join(self.parts)


def deflated(*pieces: bytes | tuple[bytes, int]) -> Deflated:
    out = Deflated()
    for piece in pieces:
        data, times = piece if isinstance(piece, tuple) else (piece, 1)
        out.add(data, times)
    return out.finish()


def write_zip(path: Path, members: dict[str, bytes | Deflated], *, declared: dict[str, int] | None = None) -> Path:
    """A zip of deflated members; `declared` makes the directory lie about a member's unpacked size."""
    declared = declared or {}
    body, directory = b"", b""
    for name, member in members.items():
        if not isinstance(member, Deflated):
            member = deflated(member)
        data, encoded = member.data, name.encode()
        size = declared.get(name, member.size)
        fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0x21, member.crc, len(data), size)
        directory += (
            b"PK\x01\x02"
            + struct.pack("<H", 20)
            + fields
            + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, len(body))
            + encoded
        )
        body += b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded + data
    count = len(members)
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, count, count, len(directory), len(body), 0)
    path.write_bytes(body + directory + end)
    return path


# --- Office packages -------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_XLSX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    ' Target="{target}"/></Relationships>'
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"'
    ' Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"'
    ' Target="sharedStrings.xml"/></Relationships>'
)
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'.encode()
SHEET_TAIL = b"</sheetData></worksheet>"
EMPTY_SHARED = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}"/>'.encode()
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
    + "]>"
)
XXE = '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def xlsx(path: Path, sheet: bytes | Deflated, shared: bytes | Deflated = EMPTY_SHARED, **parts) -> Path:
    members = {
        "[Content_Types].xml": _XLSX_TYPES.encode(),
        "_rels/.rels": _PACKAGE_RELS.format(target="xl/workbook.xml").encode(),
        "xl/workbook.xml": _WORKBOOK.encode(),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS.encode(),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": shared,
    }
    declared = parts.pop("declared", None)
    members.update(parts)
    return write_zip(path, members, declared=declared)


def sheet(rows: str) -> bytes:
    return SHEET_HEAD + rows.encode() + SHEET_TAIL


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCUMENT_ROOT = f'<w:document xmlns:w="{_W}"><w:body>'.encode()
DOCUMENT_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>' + DOCUMENT_ROOT
DOCUMENT_TAIL = b"</w:body></w:document>"


def docx(path: Path, document: bytes | Deflated, *, declared=None, **parts) -> Path:
    members = {
        "[Content_Types].xml": _DOCX_TYPES.encode(),
        "_rels/.rels": _PACKAGE_RELS.format(target="word/document.xml").encode(),
        "word/document.xml": document,
        **parts,
    }
    return write_zip(path, members, declared=declared)


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def ods(path: Path, rows: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        f'xmlns:table="{_TABLE}" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Sheet1">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    return write_zip(
        path,
        {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": content.encode(),
            "META-INF/manifest.xml": manifest.encode(),
        },
    )


ODS_A1 = '<table:table-row><table:table-cell office:value-type="string"><text:p>序号</text:p></table:table-cell></table:table-row>'


def ods_corner(path: Path, far_rows: int) -> Path:
    """A1, then one value after `far_rows` empty rows and 16,383 empty columns, each written once."""
    return ods(
        path,
        ODS_A1 + f'<table:table-row table:number-rows-repeated="{far_rows}"><table:table-cell/></table:table-row>'
        '<table:table-row><table:table-cell table:number-columns-repeated="16383"/>'
        '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
        "</table:table-row>",
    )


# --- An .xls: BIFF8 records in a compound file, written by hand ------------------------


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def biff(cells: list[tuple[int, int, object]], *, name: str = "Sheet1", strings: list[str] = ()) -> bytes:
    """A workbook stream: globals (a shared-string table if any), then one sheet of numbers and strings."""
    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06)
    sst = b""
    if strings:
        sst = _record(
            0x00FC,
            struct.pack("<II", len(strings), len(strings))
            + b"".join(struct.pack("<HB", len(text), 1) + text.encode("utf-16-le") for text in strings),
        )
    encoded = name.encode("utf-16-le")
    sheet_record_length = 4 + 8 + len(encoded)
    head = _record(0x0809, bof) + _record(0x0042, struct.pack("<H", 1200))
    offset = len(head) + sheet_record_length + len(sst) + 4  # where the sheet's BOF will be
    globals_ = head + _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 1) + encoded) + sst
    globals_ += _record(0x000A, b"")
    body = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x06))
    rows = max(row for row, _c, _v in cells) + 1
    columns = max(column for _r, column, _v in cells) + 1
    body += _record(0x0200, struct.pack("<IIHHH", 0, rows, 0, columns, 0))
    for row, column, value in cells:
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            body += _record(0x00FD, struct.pack("<HHHI", row, column, 0, -value - 1))  # -1 → string 0
        else:
            body += _record(0x0203, struct.pack("<HHHd", row, column, 0, float(value)))
    return globals_ + body + _record(0x000A, b"")


def xls(path: Path, stream: bytes) -> Path:
    """A compound file (version 3, 512-byte sectors) holding one stream, "Workbook"."""
    stream = stream.ljust(max(4096, -(-len(stream) // 512) * 512), b"\x00")
    sectors = len(stream) // 512
    end, free, fat_sector, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    fats = 1
    while fats * 128 < fats + 1 + sectors:
        fats += 1
    assert fats <= 109, "the header's own list holds 109 FAT sectors"
    first = fats + 1  # the FAT sectors, then the directory, then the stream
    fat = [fat_sector] * fats + [end] + [first + n + 1 for n in range(sectors - 1)] + [end]
    fat += [free] * (fats * 128 - len(fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, fats, fats, 0, 4096, end, 0, end, 0)
        + struct.pack(f"<{fats}I", *range(fats))
        + struct.pack("<I", free) * (109 - fats)
    )

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", nostream, nostream, child)
            + b"\x00" * 36
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, end, 0) + entry("Workbook", 2, nostream, first, len(stream))
    directory += entry("", 0, nostream, 0, 0) * 2
    path.write_bytes(header + struct.pack(f"<{len(fat)}I", *fat) + directory + stream)
    return path


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


# --- The corpus --------------------------------------------------------------------

MB = 1024 * 1024
SENTENCE = "各乡镇要抓紧落实农村人居环境整治任务,按时报送进展情况。"  # 28 characters


TEN_CELLS = "<row>" + "".join(f'<c t="inlineStr"><is><t>第{n}项任务内容</t></is></c>' for n in range(10)) + "</row>"


def corpus(folder: Path) -> dict[str, tuple[str, Path]]:
    """Every hostile file: name → (how Luoshi reads it, path)."""
    a1 = '<row r="1"><c r="A1" t="inlineStr"><is><t>序号</t></is></c></row>'
    files = {
        "corner bomb XFD1048576": (
            "sheet",
            xlsx(folder / "corner.xlsx", sheet(a1 + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')),
        ),
        "corner bomb XFD4096": (
            "sheet",
            xlsx(folder / "corner4096.xlsx", sheet(a1 + '<row r="4096"><c r="XFD4096"><v>1</v></c></row>')),
        ),
        "corner bomb in .ods (row 4096, column XFD)": ("sheet", ods_corner(folder / "corner.ods", 4094)),
        "corner bomb in .xls (IV65536)": ("sheet", xls(folder / "corner.xls", biff([(0, 0, 1), (65535, 255, 1)]))),
        "a 30 KB string in 5,000 .xls cells": (
            "sheet",
            xls(folder / "shared.xls", biff([(row, 0, -1) for row in range(5_000)], strings=["x" * 30_000])),
        ),
        "one 400 MB cell (shared string)": (
            "sheet",
            xlsx(
                folder / "huge-shared.xlsx",
                sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
                deflated(f'<sst xmlns="{_MAIN}"><si><t>'.encode(), (b"x" * MB, 400), b"</t></si></sst>"),
            ),
        ),
        "one 400 MB cell (inline)": (
            "sheet",
            xlsx(
                folder / "huge-inline.xlsx",
                deflated(
                    SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>',
                    (b"x" * MB, 400),
                    b"</t></is></c></row>" + SHEET_TAIL,
                ),
            ),
        ),
        "a 30 KB string in 2 million cells": (
            "sheet",
            xlsx(
                folder / "shared-amplified.xlsx",
                deflated(SHEET_HEAD, (b'<row><c t="s"><v>0</v></c></row>', 2_000_000), SHEET_TAIL),
                f'<sst xmlns="{_MAIN}"><si><t>{"x" * 30000}</t></si></sst>'.encode(),
            ),
        ),
        "2 million short text cells": (
            "sheet",
            xlsx(
                folder / "cells.xlsx",
                deflated(SHEET_HEAD, (TEN_CELLS.encode(), 200_000), SHEET_TAIL),
            ),
        ),
        "billion laughs in xlsx": (
            "sheet",
            xlsx(
                folder / "laughs.xlsx",
                sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
                f'<?xml version="1.0"?>{LAUGHS}<sst xmlns="{_MAIN}"><si><t>&lol9;</t></si></sst>'.encode(),
            ),
        ),
        "XXE in xlsx": (
            "sheet",
            xlsx(
                folder / "xxe.xlsx",
                f'<?xml version="1.0"?>{XXE}<worksheet xmlns="{_MAIN}"><sheetData><row r="1">'
                '<c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'.encode(),
            ),
        ),
        "a zip that lies about its size (xlsx)": (
            "sheet",
            xlsx(
                folder / "liar.xlsx",
                deflated(
                    SHEET_HEAD,
                    (b'<row><c t="inlineStr"><is><t>' + b"x" * 1000 + b"</t></is></c></row>", 200_000),
                    SHEET_TAIL,
                ),
                declared={"xl/worksheets/sheet1.xml": 4096},
            ),
        ),
        "200k rows": (
            "sheet",
            xlsx(
                folder / "rows.xlsx",
                deflated(
                    SHEET_HEAD,
                    (
                        f'<row><c t="n"><v>1</v></c><c t="inlineStr"><is><t>{SENTENCE}</t></is></c>'
                        '<c t="inlineStr"><is><t>县财政局</t></is></c><c t="inlineStr"><is><t>2026年6月底</t></is></c>'
                        "</row>".encode(),
                        200_000,
                    ),
                    SHEET_TAIL,
                ),
            ),
        ),
        "deep nesting in xlsx": (
            "sheet",
            xlsx(
                folder / "deep.xlsx",
                deflated(
                    SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is>',
                    (b"<r>", 200_000),
                    (b"</r>", 200_000),
                    b"</is></c></row>" + SHEET_TAIL,
                ),
            ),
        ),
        "billion laughs in docx": (
            "document",
            docx(
                folder / "laughs.docx",
                f'<?xml version="1.0"?>{LAUGHS}'.encode()
                + DOCUMENT_ROOT
                + paragraph("&lol9;").encode()
                + DOCUMENT_TAIL,
            ),
        ),
        "XXE in docx": (
            "document",
            docx(
                folder / "xxe.docx",
                f'<?xml version="1.0"?>{XXE}'.encode() + DOCUMENT_ROOT + paragraph("&xxe;").encode() + DOCUMENT_TAIL,
            ),
        ),
        "XXE behind 8 KB of comment in docx": (
            "document",
            docx(
                folder / "xxe-late.docx",
                b'<?xml version="1.0"?><!--'
                + b"-" * 8192
                + b"-->"
                + XXE.encode()
                + DOCUMENT_ROOT
                + paragraph("&xxe;").encode()
                + DOCUMENT_TAIL,
            ),
        ),
        "a zip that lies about its size (docx)": (
            "document",
            docx(
                folder / "liar.docx",
                deflated(DOCUMENT_HEAD, (paragraph(SENTENCE * 10).encode(), 100_000), DOCUMENT_TAIL),
                declared={"word/document.xml": 4096},
            ),
        ),
        "a docx of 66 million characters": (
            "document",
            docx(
                folder / "long.docx",
                deflated(DOCUMENT_HEAD, (paragraph(SENTENCE * 40).encode(), 66_000_000 // 1120), DOCUMENT_TAIL),
            ),
        ),
        "deep nesting in docx": (
            "document",
            docx(
                folder / "deep.docx",
                deflated(
                    DOCUMENT_HEAD,
                    (b"<w:tbl><w:tr><w:tc>", 50_000),
                    paragraph("表格").encode(),
                    (b"</w:tc></w:tr></w:tbl>", 50_000),
                    DOCUMENT_TAIL,
                ),
            ),
        ),
        "a PDF that unpacks to 1 GB": ("document", pdf_bomb(folder / "bomb.pdf", 1024)),
        "an attachment .docx that is a web page": (
            "attachment",
            docx(folder / "page.docx", DOCUMENT_HEAD + DOCUMENT_TAIL, **{"word/index.html": b"<script></script>"}),
        ),
        "an attachment .xlsx that is a 1 GB zip bomb": (
            "attachment",
            xlsx(folder / "bomb.xlsx", deflated(SHEET_HEAD, (b" " * MB, 1024), SHEET_TAIL)),
        ),
    }
    return files


def pdf_bomb(path: Path, megabytes: int) -> Path:
    """One page whose content stream inflates to `megabytes` MB of spaces (zlib, as /FlateDecode)."""
    stream = Deflated()
    stream.parts.append(b"\x78\xda")  # the zlib header; the raw deflate blocks follow
    stream.add(b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n").add(b" " * MB, megabytes).finish()
    data = stream.data + struct.pack(">I", 1)  # a wrong Adler-32: the reader must stop long before it looks
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(out)
    return path


# --- The child: one file, under a hard limit -----------------------------------

BUDGET = 256 * MB
SECONDS = 30


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def _read(kind: str, path: str) -> dict:
    """Read one file as Luoshi would, with the address space capped at this process's size + BUDGET."""
    from luoshi.intake.reading import read_upload
    from luoshi.lib.errors import ActionError
    from luoshi.lib.sheets import SheetError, read_workbook
    from luoshi.work.attachments import attachment_check

    baseline_rss, baseline_size = _status("VmRSS"), _status("VmSize")
    resource.setrlimit(resource.RLIMIT_AS, (baseline_size + BUDGET, baseline_size + BUDGET))
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS + 5))
    started = time.monotonic()
    content = Path(path).read_bytes()
    name = Path(path).name
    outcome, message = "read", ""
    try:
        if kind == "sheet":
            sheets = read_workbook(content, max_cells=2_000_000)
            message = f"{sum(len(s.rows) for s in sheets)} 行"
        elif kind == "document":
            document = read_upload(name, content)
            message = f"{document.chars} 字"
        else:
            attachment_check(name, content)
    except (SheetError, ActionError) as exc:
        outcome, message = "refused", getattr(exc, "message", str(exc))
    except MemoryError:
        outcome, message = "out of memory", ""
    return {
        "outcome": outcome,
        "message": message,
        "seconds": round(time.monotonic() - started, 2),
        # The high-water mark of resident memory, less what the process held before the file came.
        "peak_mb": round((_status("VmHWM") - baseline_rss) / MB, 1),
    }


def serve() -> None:
    """Read "KIND\\tPATH" lines; read each file in a forked child and print its result as a JSON line.

    Django and the readers are imported once, here; each child starts from this process's memory, so its
    baseline is what a web worker holds before a request, and a child that dies takes nothing with it.
    """
    import django

    django.setup()
    import luoshi.intake.reading
    import luoshi.lib.sheets
    import luoshi.work.attachments  # noqa: F401

    for line in sys.stdin:
        kind, path = line.rstrip("\n").split("\t")
        readable, writable = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(readable)
            # A fresh high-water mark: the parent's peak is not the child's.
            Path("/proc/self/clear_refs").write_text("5")
            # A reader that wedges after a failed allocation is killed, not waited for.
            signal.alarm(SECONDS + 5)
            try:
                result = _read(kind, path)
            except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
                result = {"outcome": "error", "message": f"{type(exc).__name__}: {exc}"}
            os.write(writable, json.dumps(result, ensure_ascii=False).encode())
            os._exit(0)
        os.close(writable)
        with os.fdopen(readable, "rb") as pipe:
            answer = pipe.read()
        _pid, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0 or not answer:
            result = {"outcome": "crashed", "message": f"exit status {os.waitstatus_to_exitcode(status)}"}
        else:
            result = json.loads(answer)
        print(json.dumps({"path": path, **result}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    serve()
