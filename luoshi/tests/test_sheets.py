"""lib/sheets refuses what is not a readable spreadsheet, whatever its name, with a Chinese message."""

import io
import zipfile

import pytest
from docx import Document
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook

from luoshi.lib.sheets import SheetError, read_workbook


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _read(data: bytes, **kwargs):
    return read_workbook(io.BytesIO(data), max_cells=kwargs.pop("max_cells", 2_000_000), **kwargs)


def test_an_empty_file_is_refused():
    with pytest.raises(SheetError, match="文件是空的"):
        _read(b"")


def test_a_text_file_named_xlsx_is_refused():
    with pytest.raises(SheetError, match="不是 Excel 表格"):
        _read("序号,工作任务\n1,招商引资\n".encode())


def test_a_word_document_named_xlsx_is_refused():
    document = Document()
    document.add_paragraph("关于做好2022年重点工作的通知")
    buffer = io.BytesIO()
    document.save(buffer)

    with pytest.raises(SheetError, match="这是一个 Word 文档"):
        _read(buffer.getvalue())


def test_a_corrupt_zip_is_refused():
    data = _xlsx([["序号"]])
    with pytest.raises(SheetError, match="已损坏"):
        _read(data[: len(data) // 2])


def test_an_encrypted_workbook_is_refused_with_what_to_do():
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(_xlsx([["序号", "工作任务"]]))).encrypt("mima123", encrypted)

    with pytest.raises(SheetError, match="设置了打开密码"):
        _read(encrypted.getvalue())


def test_a_zip_bomb_is_refused_before_it_is_unpacked(settings):
    settings.LUOSHI_MAX_SPREADSHEET_UNZIPPED_BYTES = 5 * 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))  # 20 MB of zeros, 20 KB packed

    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(SheetError, match="解压后超过 5 MB"):
        _read(buffer.getvalue())


def test_too_many_cells_are_refused():
    with pytest.raises(SheetError, match="超过 100 个单元格"):
        _read(_xlsx([[i, i] for i in range(80)]), max_cells=100)


def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(SheetError, match="超过 1 MB"):
        _read(b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024), max_bytes=1024 * 1024)


def test_an_xlsm_gives_its_values_and_runs_nothing():
    # An .xlsm is an .xlsx with a macro project inside; calamine reads cached values and never runs code.
    source = zipfile.ZipFile(io.BytesIO(_xlsx([["序号", "工作任务"], [1, "招商引资"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
            archive.writestr(item, data)
        archive.writestr("xl/vbaProject.bin", b'Attribute VB_Name = "Module1"\nSub Auto_Open()\nShell "calc"\nEnd Sub')

    sheets = _read(buffer.getvalue())

    assert sheets[0].rows[1] == [1.0, "招商引资"]


def test_hidden_columns_and_rows_are_read_from_the_sheet():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["序号", "工作任务", "内部编号"])
    sheet.append([1, "招商引资", "X-1"])
    sheet.column_dimensions["C"].hidden = True
    sheet.row_dimensions[2].hidden = True
    buffer = io.BytesIO()
    workbook.save(buffer)

    read = _read(buffer.getvalue())[0]

    assert read.hidden_columns == {2}
    assert read.hidden_rows == {1}
