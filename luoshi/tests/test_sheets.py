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


# --- The scan before calamine (issue 20) ---------------------------------------


def test_a_corner_bomb_is_refused_naming_the_far_cell_before_calamine_lays_it_out(tmp_path):
    from luoshi.tests.hostile import sheet, xlsx

    far = '<row r="1"><c r="A1"><v>1</v></c></row><row r="4096"><c r="XFD4096"><v>1</v></c></row>'
    path = xlsx(tmp_path / "corner.xlsx", sheet(far))

    with pytest.raises(SheetError, match="一直延伸到第 4,096 行、XFD 列"):
        _read(path.read_bytes())


def test_a_far_cell_that_only_carries_a_style_is_no_bomb(tmp_path):
    from luoshi.tests.hostile import sheet, xlsx

    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>序号</t></is></c></row><row r="4096"><c r="XFD4096" s="0"/></row>'
    path = xlsx(tmp_path / "styled.xlsx", sheet(rows))

    assert _read(path.read_bytes())[0].rows == [["序号"]]


def test_cells_written_without_references_are_placed_and_counted(tmp_path):
    from luoshi.tests.hostile import sheet, xlsx

    rows = "".join(f'<row><c t="inlineStr"><is><t>任务{n}</t></is></c><c><v>{n}</v></c></row>' for n in range(3))
    path = xlsx(tmp_path / "plain.xlsx", sheet(rows))

    assert _read(path.read_bytes())[0].rows == [["任务0", 0.0], ["任务1", 1.0], ["任务2", 2.0]]
    with pytest.raises(SheetError, match="超过 5 个的上限"):
        _read(path.read_bytes(), max_cells=5)


def test_a_cell_longer_than_excel_allows_is_refused(tmp_path):
    from luoshi.tests.hostile import sheet, xlsx

    long = "落" * 50_000  # 150 KB: past 32,767 characters of even the widest UTF-8
    path = xlsx(tmp_path / "long.xlsx", sheet(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{long}</t></is></c></row>'))

    with pytest.raises(SheetError, match="超过 32,767 个字"):
        _read(path.read_bytes())


def test_a_formula_with_no_cached_value_is_still_flagged(tmp_path):
    from luoshi.tests.hostile import sheet, xlsx

    rows = '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>A1*2</f></c><c r="C1"><f>A1*3</f><v>3</v></c></row>'
    path = xlsx(tmp_path / "formulas.xlsx", sheet(rows))

    assert _read(path.read_bytes())[0].uncached_formulas == {(0, 1)}


def test_an_xls_is_read_after_its_records_are_counted(tmp_path):
    from luoshi.tests.hostile import biff, xls

    path = xls(tmp_path / "old.xls", biff([(0, 0, 1), (0, 1, -1), (2, 2, 4.5)], strings=["落实"]))

    assert _read(path.read_bytes())[0].rows == [[1.0, "落实", ""], ["", "", ""], ["", "", 4.5]]


def test_an_xls_corner_bomb_is_refused_before_calamine_lays_it_out(tmp_path):
    from luoshi.tests.hostile import biff, xls

    path = xls(tmp_path / "corner.xls", biff([(0, 0, 1), (65535, 255, 1)]))

    with pytest.raises(SheetError, match="一直延伸到第 65,536 行、IV 列"):
        _read(path.read_bytes())


def test_a_sheet_the_workbook_does_not_list_is_scanned_too(tmp_path):
    from luoshi.tests.hostile import sheet, xlsx

    corner = sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="4096"><c r="XFD4096"><v>1</v></c></row>')
    path = xlsx(tmp_path / "decoy.xlsx", sheet('<row r="1"><c r="A1"><v>1</v></c></row>'),
                **{"xl/worksheets/Sheet2.xml": corner})  # fmt: skip

    with pytest.raises(SheetError, match="一直延伸到第 4,096 行、XFD 列"):
        _read(path.read_bytes())
