"""Hidden rows and columns, and an opening password, in .xls and .ods as in .xlsx (#13 §6).

The .xls and .ods samples were saved by LibreOffice from an .xlsx with row 4 and column E hidden
(samples/README.md).
"""

import io
import re
import struct
import zipfile

import olefile
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.lib.sheets import SheetError, read_workbook
from luoshi.testing import SAMPLES

pytestmark = pytest.mark.django_db

HIDDEN = {"xls": SAMPLES / "ledger-hidden-rows-columns.xls", "ods": SAMPLES / "ledger-hidden-rows-columns.ods"}


@pytest.mark.parametrize("kind", list(HIDDEN))
def test_hidden_rows_and_columns_are_found_in_xls_and_ods(kind):
    sheet = read_workbook(io.BytesIO(HIDDEN[kind].read_bytes()), max_cells=100_000)[0]
    assert sheet.hidden_rows == {3}  # row 4
    assert sheet.hidden_columns == {4}  # column E


@pytest.mark.parametrize("kind", list(HIDDEN))
def test_the_preview_lists_the_hidden_row_and_column(client, personas, kind):
    client.force_login(personas.office)
    response = client.post(
        "/ledger/import/", {"file": SimpleUploadedFile(f"台账.{kind}", HIDDEN[kind].read_bytes())}, follow=True
    )
    html = response.content.decode()
    assert "E列「隐藏列备注」是隐藏列" in html
    assert "该行是隐藏行" in html


def _encrypted_ods(tmp_path) -> bytes:
    """An .ods as LibreOffice writes one with a password: its manifest names the encryption of each part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml" '
            'manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K" '
            'manifest:checksum="x"><manifest:algorithm manifest:algorithm-name="Blowfish CFB" '
            'manifest:initialisation-vector="x"/></manifest:encryption-data></manifest:file-entry></manifest:manifest>',
        )
        archive.writestr("content.xml", bytes(range(256)) * 8)
    return buffer.getvalue()


def _encrypted_xls(tmp_path) -> bytes:
    """The .xls sample with a FILEPASS record (Excel's 打开密码) where its first record after BOF was."""
    path = tmp_path / "password.xls"
    path.write_bytes(HIDDEN["xls"].read_bytes())
    with olefile.OleFileIO(str(path)) as container:
        book = bytearray(container.openstream("Workbook").read())
    _, length = struct.unpack_from("<HH", book, 0)
    struct.pack_into("<H", book, 4 + length, 0x002F)
    container = olefile.OleFileIO(str(path), write_mode=True)
    container.write_stream("Workbook", bytes(book))
    container.close()
    return path.read_bytes()


@pytest.mark.parametrize(("kind", "make"), [("ods", _encrypted_ods), ("xls", _encrypted_xls)])
def test_a_password_protected_xls_or_ods_gets_the_chinese_message(client, personas, kind, make, tmp_path):
    data = make(tmp_path)
    with pytest.raises(SheetError) as caught:
        read_workbook(io.BytesIO(data), max_cells=100_000)
    assert "设置了打开密码" in str(caught.value)
    # No English fragment: only the names of the programs to use.
    words = re.findall(r"[A-Za-z]{2,}", str(caught.value))
    assert set(words) <= {"Excel", "WPS", "LibreOffice"}, words
    client.force_login(personas.office)
    response = client.post("/ledger/import/", {"file": SimpleUploadedFile(f"台账.{kind}", data)}, follow=True)
    assert "设置了打开密码" in response.content.decode()
