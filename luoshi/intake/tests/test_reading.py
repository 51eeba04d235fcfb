"""Reading documents: Word numbering and tables, encodings, the scraped preview, PDFs, and bad input."""

import pytest

from luoshi.intake.reading import read_text, read_upload
from luoshi.lib.errors import ActionError

from . import files
from .conftest import DOCX, SCRAPED


def test_it_sees_word_automatic_numbering():
    content = files.numbered_docx([(0, "立足于争一流"), (1, "做好盯上"), (1, "做好看下"), (0, "立足于善谋划")])
    document = read_upload("讲话.docx", content)
    assert document.paragraphs == ["一、立足于争一流", "(一)做好盯上", "(二)做好看下", "二、立足于善谋划"]


def test_it_sees_numbering_given_by_the_paragraph_style():
    document = read_upload("讲话.docx", files.style_numbered_docx(["加快项目建设", "抓好安全生产"]))
    assert document.paragraphs == ["一、加快项目建设", "二、抓好安全生产"]


def test_it_reads_tables_row_by_row():
    content = files.docx_bytes(
        ["会议纪要"], table=[["序号", "议定事项", "牵头单位"], ["1", "加快推进城区供水管网改造", "住建局"]]
    )
    document = read_upload("纪要.docx", content)
    assert document.paragraphs[-1] == "1 | 加快推进城区供水管网改造 | 住建局"
    assert len(document.table_rows) == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_it_detects_the_text_encoding(encoding):
    text = "关于抓落实的讲话\n一要立足于争一流。各单位要保三争一。\n"
    document = read_upload("讲话.txt", text.encode(encoding))
    assert document.paragraphs[0] == "关于抓落实的讲话"
    assert "各单位要保三争一。" in document.paragraphs[1]


def test_it_removes_the_sites_header_footer_and_page_markers_and_loses_nothing():
    scraped = read_upload(SCRAPED.name, SCRAPED.read_bytes())
    word = read_upload(DOCX.name, DOCX.read_bytes())
    joined = "".join(scraped.paragraphs)
    assert "由会员分享" not in joined and "配套讲稿" not in joined and "关 键 词" not in joined
    assert "\n2、" not in joined and not joined.startswith("1、")
    # The Word file is the same speech joined by hand: every one of its words is in the scraped one.
    assert "".join(word.paragraphs) in joined
    assert "在政府系统全体人员工作部署会议上的讲话" in scraped.paragraphs[0]
    assert scraped.title.startswith("2022") and scraped.date.year == 2022
    assert "14 个分页标记" in scraped.notes[0]


def test_a_numbered_list_is_not_mistaken_for_preview_pages():
    document = read_text("工作安排\n1、加快项目建设。\n2、抓好安全生产。\n3、做好信访稳定。")
    assert document.paragraphs[1:] == ["1、加快项目建设。", "2、抓好安全生产。", "3、做好信访稳定。"]
    assert not document.notes


def test_it_reads_a_pdf_text_layer():
    document = read_upload("report.pdf", files.text_pdf(["Work report 2022.", "We must finish the plan."]))
    assert "We must finish the plan." in " ".join(document.paragraphs)


def test_it_reads_a_date_line():
    document = read_text("关于防汛工作的会议纪要\n2022年3月15日\n各乡镇要在6月底前完成隐患排查。")
    assert document.date.isoformat() == "2022-03-15"
    assert "2022年3月15日" in document.date_how


# --- Bad input: a clear Chinese message each, and nothing read ---------------------------------


def _refused(name: str, content: bytes) -> str:
    with pytest.raises(ActionError) as raised:
        read_upload(name, content)
    return raised.value.message


def test_it_refuses_a_corrupt_docx():
    assert "已损坏" in _refused("讲话.docx", b"PK\x03\x04" + b"\x00garbage" * 100)


def test_it_refuses_a_docx_declaring_external_entities():
    assert "外部实体" in _refused("讲话.docx", files.xxe_docx())


def test_it_refuses_a_zip_bomb(settings):
    settings.LUOSHI_MAX_DOCUMENT_UNZIPPED_BYTES = 4 * 1024 * 1024
    bomb = files.zip_bomb_docx(6 * 1024 * 1024)
    assert len(bomb) < 100_000
    assert "压缩炸弹" in _refused("讲话.docx", bomb)


def test_it_refuses_a_password_protected_file():
    assert "密码" in _refused("讲话.docx", files.encrypted_office())


def test_it_asks_for_an_old_doc_to_be_saved_as_docx():
    message = _refused("讲话.doc", files.old_doc())
    assert "另存为" in message and ".docx" in message


def test_it_refuses_an_empty_document():
    assert "空" in _refused("讲话.txt", b"  \n\n ")
    assert "没有文字" in _refused("讲话.docx", files.docx_bytes(["", "  "]))
    with pytest.raises(ActionError, match="空的"):
        read_text(" \n ")


def test_it_asks_for_ocr_on_an_image_only_pdf():
    assert "OCR" in _refused("扫描件.pdf", files.blank_pdf())


def test_it_refuses_ten_megabytes_of_text():
    message = _refused("讲话.txt", ("要抓好落实。" * 600_000).encode("utf-8"))
    assert "上限" in message
    with pytest.raises(ActionError, match="上限"):
        read_text("要" * 2_000_001)


@pytest.mark.parametrize(
    "name, content",
    [
        ("讲话.docx", "要抓好落实。".encode()),
        ("讲话.pdf", files.docx_bytes(["要抓好落实。"])),
        ("讲话.txt", files.docx_bytes(["要抓好落实。"])),
        ("讲话.txt", b"\x89PNG\r\n\x1a\n" + b"\0" * 100),
    ],
)
def test_it_refuses_a_file_whose_content_does_not_match_its_name(name, content):
    assert "不符" in _refused(name, content)


def test_it_refuses_a_file_of_another_kind():
    assert "不支持" in _refused("表格.xlsx", files.docx_bytes(["x"]))
