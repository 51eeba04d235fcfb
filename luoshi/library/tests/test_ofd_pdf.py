"""An .ofd (GB/T 33190) is read for its text with the intake's hostile-file rules; a PDF is shown as page images."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.lib.errors import ActionError
from luoshi.library.models import Document
from luoshi.library.ofd import read_ofd

OFD_NS = "http://www.ofdspec.org/2016"


def _page(lines: list[tuple[float, str]]) -> str:
    objects = []
    for i, (y, text) in enumerate(lines):
        # Each line in two runs, the second written first, to check they are put back in order by X.
        half = len(text) // 2
        objects.append(
            f'<ofd:TextObject ID="{i * 2 + 10}" Boundary="25 {y} 160 6" Size="5.6">'
            f'<ofd:TextCode X="{half * 5.6}" Y="5">{text[half:]}</ofd:TextCode></ofd:TextObject>'
            f'<ofd:TextObject ID="{i * 2 + 11}" Boundary="25 {y + 0.3} 160 6" Size="5.6">'
            f'<ofd:TextCode X="0" Y="5">{text[:half]}</ofd:TextCode></ofd:TextObject>'
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer ID="2">'
        + "".join(objects)
        + "</ofd:Layer></ofd:Content></ofd:Page>"
    )


def make_ofd(pages: list[list[tuple[float, str]]], *, doc_root: str = "Doc_0/Document.xml", extra=None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD">'
            f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo><ofd:DocRoot>{doc_root}</ofd:DocRoot>"
            "</ofd:DocBody></ofd:OFD>",
        )
        listing = "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
        archive.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
            "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>"
            f"<ofd:Pages>{listing}</ofd:Pages></ofd:Document>",
        )
        for i, lines in enumerate(pages):
            archive.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", _page(lines))
        for path, data in (extra or {}).items():
            archive.writestr(path, data)
    return buffer.getvalue()


NOTICE = [
    [
        (20, "关于深入开展河湖保洁专项行动的通知"),
        (30, "示政办〔2026〕8号"),
        (40, "各乡镇人民政府,县直有关单位:"),
        (50, "为全面落实河长制,县政府决定开展河湖保洁专项行动,现将有关事项通知"),
        (57, "如下。"),
        (67, "一、工作目标"),
    ],
    [
        (20, "年底前实现河湖保洁常态化。"),
        (30, "示范县人民政府办公室"),
        (40, "2026年3月12日"),
    ],
]


def test_an_ofd_is_read_in_page_and_line_order_with_wrapped_lines_joined(personas):
    source = read_ofd("通知.ofd", make_ofd(NOTICE))
    assert source.kind == "ofd"
    assert source.title == "关于深入开展河湖保洁专项行动的通知"
    text = "\n".join(source.paragraphs)
    assert "现将有关事项通知如下。" in text  # a line wrapped by width is joined back
    assert text.index("一、工作目标") < text.index("年底前实现河湖保洁常态化")
    assert str(source.date) == "2026-03-12"


def test_an_uploaded_ofd_becomes_a_document_with_its_number_proposed(client, personas):
    client.force_login(personas.office)
    upload = SimpleUploadedFile("通知.ofd", make_ofd(NOTICE), content_type="application/ofd")
    response = client.post("/library/upload/", {"file": upload, "token": "ofd-1"})
    document = Document.objects.get()
    assert response["Location"] == f"/library/{document.pk}/edit/"
    assert (document.kind, document.number, document.issuer) == ("ofd", "示政办〔2026〕8号", "示范县人民政府办公室")
    assert "河湖保洁" in document.keyword_list


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "是空的"),
        ("这是一段文字,不是 OFD。".encode(), "不是 OFD 版式文件"),
        (b"PK\x03\x04 broken", "已损坏"),
        (make_ofd([[]]), "没有文字层"),
        (make_ofd(NOTICE, doc_root="../../etc/passwd"), "结构已损坏"),
        (
            make_ofd(NOTICE, extra={"Doc_0/evil.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'}),
            "外部实体声明",
        ),
    ],
)
def test_a_bad_ofd_is_refused_with_a_clear_message(personas, content, message):
    with pytest.raises(ActionError, match=message):
        read_ofd("文件.ofd", content)


def test_a_zip_bomb_named_ofd_is_refused_before_it_is_unpacked(personas, settings):
    settings.LUOSHI_MAX_DOCUMENT_UNZIPPED_BYTES = 50_000
    bomb = make_ofd(NOTICE, extra={"Res/padding.bin": b"\0" * 200_000})
    with pytest.raises(ActionError, match="压缩炸弹"):
        read_ofd("文件.ofd", bomb)


def test_an_ofd_without_its_root_file_is_refused(personas):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Doc_0/Document.xml", "<x/>")
    with pytest.raises(ActionError, match=r"缺少 OFD\.xml"):
        read_ofd("文件.ofd", buffer.getvalue())


# --- The offline PDF viewer: pages rendered by pdftoppm ---------------------------------------


def test_a_pdf_is_shown_as_page_images_rendered_once_and_kept(client, personas, settings, tmp_path):
    from luoshi.intake.tests.files import text_pdf

    settings.MEDIA_ROOT = tmp_path
    client.force_login(personas.office)
    upload = SimpleUploadedFile("通知.pdf", text_pdf(["Notice on river cleaning", "1. Goals", "2. Tasks"]))
    client.post("/library/upload/", {"file": upload, "token": "pdf-1"})
    document = Document.objects.get()
    client.force_login(personas.liaison)
    page = client.get(f"/library/{document.pk}/").content.decode()
    assert "共 1 页" in page and f"/library/{document.pk}/page/1.png" in page
    image = client.get(f"/library/{document.pk}/page/1.png")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    png = b"".join(image.streaming_content)
    assert png.startswith(b"\x89PNG") and len(png) > 1000
    assert (tmp_path / "library" / "pages" / str(document.pk) / "1.png").exists()
    assert client.get(f"/library/{document.pk}/page/2.png").status_code == 404
    Document.objects.filter(pk=document.pk).update(internal=True)
    assert client.get(f"/library/{document.pk}/page/1.png").status_code == 404


def test_a_pdf_page_offers_the_pdfjs_reader_and_keeps_the_page_images_for_a_browser_without_script(
    client, personas, settings, tmp_path
):
    from luoshi.intake.tests.files import text_pdf

    settings.MEDIA_ROOT = tmp_path
    client.force_login(personas.office)
    client.post(
        "/library/upload/", {"file": SimpleUploadedFile("通知.pdf", text_pdf(["River cleaning"])), "token": "p"}
    )
    document = Document.objects.get()
    client.force_login(personas.liaison)
    response = client.get(f"/library/{document.pk}/?q=River")
    page = response.content.decode()
    # The reader is hidden until its module has drawn page 1; the images stay in the page meanwhile.
    assert '<section class="pdf-viewer" data-pdf-viewer hidden' in page
    assert f'data-url="/library/{document.pk}/file"' in page and 'data-words="River"' in page
    assert '<script type="module" src="/static/library/pdfview.' in page
    assert "/static/vendor/pdfjs/pdf.min." in page and "/static/vendor/pdfjs/pdf.worker.min." in page
    assert f"/library/{document.pk}/page/1.png" in page
    assert "script-src 'self';" in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    # The file pdf.js reads is the document's, kept to those who may see the document.
    assert b"".join(client.get(f"/library/{document.pk}/file").streaming_content).startswith(b"%PDF-")
    Document.objects.filter(pk=document.pk).update(internal=True)
    assert client.get(f"/library/{document.pk}/file").status_code == 404


def test_a_document_that_is_not_a_pdf_has_no_pdf_reader(client, personas):
    client.force_login(personas.office)
    client.post(
        "/library/upload/", {"text": "关于河湖保洁的通知\n一、工作目标\n年底前实现河湖保洁常态化。", "token": "t"}
    )
    document = Document.objects.get()
    page = client.get(f"/library/{document.pk}/").content.decode()
    assert "data-pdf-viewer" not in page and "pdfview" not in page
