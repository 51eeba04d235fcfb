"""Attachments are judged by their bytes, not their names, and kept within the size limit."""

import hashlib
import io
import struct
import zipfile
import zlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from luoshi.lib.errors import ActionError
from luoshi.work import services
from luoshi.work.attachments import attachment_check, attachments_from_request
from luoshi.work.models import Attachment

TZ = ZoneInfo("Asia/Shanghai")


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --- Real files, made here ---------------------------------------------------


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>关于财政数字化改革进展情况的报告</w:t></w:r></w:p></w:body></w:document>"
)


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def docx() -> bytes:
    """A Word document as Word writes it (python-docx is not installed, so by hand)."""
    return zipped({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "word/document.xml": DOCUMENT})


def xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["事项", "进度"])
    sheet.append(["推进财政数字化改革", "40%"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ole() -> bytes:
    return OLE + b"\x00" * 504


def exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 64


def refused_with(name: str, content: bytes) -> str:
    with pytest.raises(ActionError) as caught:
        attachment_check(name, content)
    message = caught.value.message
    assert f"“{name}”" in message, message
    return message


# --- Accepted ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("验收报告.pdf", pdf, "pdf"),
        ("现场照片.png", png, "png"),
        ("现场照片.jpg", jpg, "jpg"),
        ("现场照片.JPEG", jpg, "jpg"),
        ("进展情况.docx", docx, "docx"),
        ("进展台账.xlsx", xlsx, "xlsx"),
        ("进展情况.doc", ole, "doc"),
        ("进展台账.xls", ole, "xls"),
        ("进展情况.wps", docx, "wps"),
        ("验收报告.PDF", pdf, "pdf"),
    ],
)
def test_it_accepts_a_real_file_of_an_allowed_kind(name, make, kind):
    content = make()
    checked = attachment_check(name, content)
    assert (checked.name, checked.kind, checked.size, checked.content) == (name, kind, len(content), content)


def test_the_made_files_are_what_they_claim():
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(xlsx())).active["A2"].value == "推进财政数字化改革"
    with zipfile.ZipFile(io.BytesIO(docx())) as archive:
        assert "关于财政数字化改革" in archive.read("word/document.xml").decode()


def test_it_keeps_only_the_files_own_name():
    assert attachment_check("../../etc/验收报告.pdf", pdf()).name == "验收报告.pdf"


# --- Refused ----------------------------------------------------------------


def test_it_refuses_a_program_renamed_pdf():
    message = refused_with("验收报告.pdf", exe())
    assert "内容与扩展名“.pdf”不符" in message


def test_it_refuses_a_zip_without_a_word_document_named_docx():
    not_word = zipped({"[Content_Types].xml": CONTENT_TYPES, "content/readme.xml": "<a/>"})
    assert "不符" in refused_with("进展情况.docx", not_word)


def test_it_refuses_a_plain_zip_named_docx():
    assert "不符" in refused_with("进展情况.docx", zipped({"readme.txt": "hello"}))


def test_it_refuses_a_spreadsheet_named_docx():
    assert "不符" in refused_with("进展情况.docx", xlsx())


def test_it_refuses_a_word_document_named_xlsx():
    assert "不符" in refused_with("进展台账.xlsx", docx())


def test_it_refuses_a_text_file():
    message = refused_with("说明.txt", "进展顺利".encode())
    assert "类型不在允许范围内" in message
    assert "pdf" in message


def test_it_refuses_a_pdf_named_txt_and_a_file_with_no_extension():
    assert "类型不在允许范围内" in refused_with("说明.txt", pdf())
    assert "类型不在允许范围内" in refused_with("验收报告", pdf())


def test_it_refuses_an_empty_file():
    assert "空文件" in refused_with("验收报告.pdf", b"")


def test_it_refuses_a_file_over_the_limit(settings):
    settings.LUOSHI_MAX_ATTACHMENT_BYTES = 1024
    content = pdf() + b"\x00" * 2048
    message = refused_with("验收报告.pdf", content)
    assert "超过" in message
    assert "上限" in message
    assert attachment_check("小文件.pdf", pdf()).size == len(pdf())


def test_a_file_exactly_at_the_limit_is_accepted(settings):
    settings.LUOSHI_MAX_ATTACHMENT_BYTES = 1024
    content = pdf().ljust(1024, b"\x00")
    assert attachment_check("验收报告.pdf", content).size == 1024


def test_one_bad_upload_refuses_them_all(settings):
    uploads = [
        SimpleUploadedFile("验收报告.pdf", pdf()),
        SimpleUploadedFile("工具.pdf", exe()),
    ]
    with pytest.raises(ActionError) as caught:
        attachments_from_request(uploads)
    assert "“工具.pdf”" in caught.value.message
    settings.LUOSHI_MAX_ATTACHMENT_BYTES = 100
    with pytest.raises(ActionError) as caught:
        attachments_from_request([SimpleUploadedFile("大文件.pdf", pdf() + b"\x00" * 200)])
    assert "“大文件.pdf”" in caught.value.message
    assert "超过" in caught.value.message


# --- Kept with the report or the closure --------------------------------------


@pytest.mark.django_db
def test_files_on_a_report_and_a_closure_are_kept_under_random_names(personas, time_machine):
    time_machine.move_to(datetime(2026, 3, 16, 10, tzinfo=TZ), tick=False)
    task = services.task_create(
        spec=services.TaskSpec(title="推进财政数字化改革", lead=personas.finance, deadline=date(2026, 6, 30)),
        by=personas.office,
    )
    files = attachments_from_request(
        [SimpleUploadedFile("进展台账.xlsx", xlsx()), SimpleUploadedFile("照片.png", png())]
    )
    made = services.task_report(
        task=task, by=personas.liaison, report=services.ReportInput(done_text="完成需求调研", files=files)
    )
    closure = services.task_closure_ask(
        task=task, by=personas.liaison, summary="已完成", files=[attachment_check("验收报告.pdf", pdf())]
    )
    on_report = list(made.attachments.order_by("id"))
    assert [(a.name, a.kind, a.size) for a in on_report] == [
        ("进展台账.xlsx", "xlsx", len(files[0].content)),
        ("照片.png", "png", len(png())),
    ]
    (evidence,) = closure.attachments.all()
    assert (evidence.name, evidence.kind, evidence.uploaded_by) == ("验收报告.pdf", "pdf", personas.liaison)
    for attachment in [*on_report, evidence]:
        assert attachment.task == task
        stored = attachment.file.name.rsplit("/", 1)[-1]
        assert "." not in stored  # no extension: never served as what its name claims
        with attachment.file.open("rb") as handle:
            content = handle.read()
        assert hashlib.sha256(content).hexdigest() == attachment.sha256
    assert Attachment.objects.count() == 3


# --- Checked by what they hold (issue 20) ----------------------------------------


def test_a_zip_with_content_types_and_an_html_part_is_not_a_docx():
    html = "<html><script>alert(1)</script></html>"
    fake = zipped({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "word/document.xml": DOCUMENT,
                   "word/page.html": html})  # fmt: skip

    assert "网页或脚本部件(“word/page.html”)" in refused_with("汇报.docx", fake)


def test_a_package_declaring_an_html_content_type_is_refused_too():
    types = CONTENT_TYPES.replace("</Types>", '<Default Extension="dat" ContentType="text/html"/></Types>')
    fake = zipped({"[Content_Types].xml": types, "_rels/.rels": RELS, "word/document.xml": DOCUMENT,
                   "word/afchunk.dat": "<html></html>"})  # fmt: skip

    assert "网页或脚本部件" in refused_with("汇报.docx", fake)


def test_a_zip_with_content_types_but_no_document_is_not_a_docx():
    fake = zipped({"[Content_Types].xml": CONTENT_TYPES, "word/index.html": "<html></html>"})

    assert "与扩展名“.docx”不符" in refused_with("汇报.docx", fake)


def test_a_workbook_with_macros_is_refused_as_含宏():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx())) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", OLE + b"\x00" * 504)

    assert "含有宏" in refused_with("台账.xlsx", buffer.getvalue())


def test_an_old_excel_file_with_a_vba_project_is_refused_as_含宏():
    macro_xls = OLE + b"\x00" * 504 + "_VBA_PROJECT_CUR".encode("utf-16-le") + b"\x00" * 64

    assert "含有宏" in refused_with("台账.xls", macro_xls)


def test_plain_office_files_still_pass():
    assert attachment_check("汇报.docx", docx()).kind == "docx"
    assert attachment_check("台账.xlsx", xlsx()).kind == "xlsx"
    assert attachment_check("旧台账.xls", ole()).kind == "xls"
