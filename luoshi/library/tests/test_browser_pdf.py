"""The PDF reader in a real Chromium: pdf.js draws the page, its text is selectable, searched words are marked.

Two real kinds of Chinese PDF: one with its fonts embedded (a State Council notice set in Noto CJK by
LibreOffice, samples/library/23-content_5347765.pdf), and one with none (STSong-Light in UniGB-UCS2-H,
as iText and many office tools write, so pdf.js needs the GB character maps vendored beside it).
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from luoshi.audit.testing import wipe_trace
from luoshi.intake.reading import read_upload
from luoshi.library import services
from luoshi.testing import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "library" / "23-content_5347765.pdf"

WATCH = """() => { window.__csp = [];
  document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI)); }"""

# Dark pixels on the page's canvas: a blank (white) page has none.
INKED = """() => { const c = document.querySelector('[data-pdf-stage] canvas');
  if (!c.width) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] < 128 && d[i + 3] > 0) n++;
  return n; }"""


def cid_pdf(pages: list[list[str]]) -> bytes:
    """Chinese text in STSong-Light, not embedded, encoded UniGB-UCS2-H: a PDF with no font inside it."""
    objects = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        3: "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>",
        4: "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
        "/Ordering (GB1) /Supplement 4 >> /FontDescriptor 5 0 R /DW 1000 >>",
        5: "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 "
        "/Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    }
    kids = []
    for index, lines in enumerate(pages):
        page, contents = 6 + 2 * index, 7 + 2 * index
        kids.append(f"{page} 0 R")
        shown = " ".join(f"<{line.encode('utf-16-be').hex()}> '" for line in lines)
        stream = f"BT /F1 16 Tf 72 780 Td 24 TL {shown} ET"
        objects[page] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {contents} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>"
        )
        objects[contents] = f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream"
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>"
    out = b"%PDF-1.4\n"
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n{objects[number]}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offsets[n]:010d} 00000 n \n" for n in sorted(objects)).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


@pytest.fixture
def reader(browser, live_site, demo_county):
    """A phone-sized page (390 px) of the unit liaison, watching for anything the policy blocks."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", base_url=live_site)
    context.set_default_timeout(20_000)
    context.add_init_script(f"({WATCH})()")
    page = context.new_page()
    page.console = []
    page.on("console", lambda message: page.console.append(message.text))
    log_in(page, "unit")
    yield page
    context.close()
    wipe_trace()  # the flush after a committing test DELETEs, which the trace refuses


def _document(name: str, content: bytes):
    from luoshi.org.models import User

    office = User.objects.get(username="office")
    return services.document_create(source=read_upload(name, content), content=content, by=office)


def _blocked(page) -> list[str]:
    return page.evaluate("window.__csp") + [
        text for text in page.console if "Content Security Policy" in text or "Refused to" in text
    ]


def test_a_chinese_pdf_is_drawn_with_its_text_selectable_and_paged_on_a_phone(reader, screenshot_dir):
    document = _document("消防救援车辆号牌.pdf", SAMPLE.read_bytes())
    page = reader
    page.goto(f"/library/{document.pk}/")
    page.wait_for_selector('[data-pdf-stage][data-page="1"]')
    assert page.evaluate(INKED) > 1000
    page.locator("[data-pdf-viewer]").screenshot(path=screenshot_dir / "library_pdf_phone.png")
    layer = page.locator("[data-pdf-stage] .textLayer")
    assert "国家综合性消防救援车辆" in layer.inner_text().replace("\n", "")
    assert page.locator("[data-pdf-fallback]").is_hidden()  # the page images are the reader without script
    expect(page.get_by_role("toolbar").get_by_text("共 4 页")).to_be_visible()
    # The page fills the phone's width, no wider.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="下一页").click()
    page.wait_for_selector('[data-pdf-stage][data-page="2"]')
    assert page.locator("[data-pdf-page]").input_value() == "2"
    assert page.evaluate(INKED) > 1000
    assert "救援" in layer.inner_text()
    page.get_by_role("button", name="放大").click()
    page.wait_for_selector("[data-pdf-zoom]:text('125%')")
    page.locator("[data-pdf-page]").fill("4")
    page.locator("[data-pdf-page]").press("Enter")
    page.wait_for_selector('[data-pdf-stage][data-page="4"]')
    assert page.get_by_role("button", name="下一页").is_disabled()
    page.locator("h1").click()
    page.keyboard.press("ArrowLeft")
    page.wait_for_selector('[data-pdf-stage][data-page="3"]')
    assert _blocked(page) == []


def test_opened_from_a_search_the_pdf_shows_the_first_page_with_the_words_marked(reader):
    content = cid_pdf([["关于开展专项行动的通知", "各乡镇人民政府:"], ["一、工作目标", "年底前实现河湖保洁常态化。"]])
    document = _document("通知.pdf", content)
    page = reader
    page.goto(f"/library/?q={'河湖保洁'}")
    page.locator(".search-hit h3 a").first.click()
    page.wait_for_selector('[data-pdf-stage][data-page="2"]')
    marks = page.locator("[data-pdf-stage] .textLayer mark")
    assert "".join(marks.all_inner_texts()) == "河湖保洁"
    expect(page.get_by_text("第 2 页有“河湖保洁”")).to_be_visible()
    assert page.evaluate(INKED) > 200  # drawn with the system's Chinese font, the PDF having none
    assert page.url.endswith(f"/library/{document.pk}/?q=%E6%B2%B3%E6%B9%96%E4%BF%9D%E6%B4%81")
    assert _blocked(page) == []


def test_without_pdfjs_or_without_script_the_page_images_are_the_reader(reader, browser, live_site):
    document = _document("消防救援车辆号牌.pdf", SAMPLE.read_bytes())
    page = reader
    page.route("**/vendor/pdfjs/pdf.min.*", lambda route: route.abort())  # a browser that cannot load it
    page.goto(f"/library/{document.pk}/")
    page.wait_for_selector("[data-pdf-status]:text('查看原文版式')")
    assert page.locator("[data-pdf-fallback]").get_attribute("open") is not None
    expect(page.get_by_role("img", name="第 1 页")).to_be_visible()
    assert page.get_by_role("toolbar").is_hidden()

    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844}, base_url=live_site)
    try:
        still = context.new_page()
        log_in(still, "unit")
        still.goto(f"/library/{document.pk}/")
        assert still.locator("[data-pdf-viewer]").is_hidden()
        still.get_by_text("查看原文版式(PDF,共 4 页)").click()
        assert still.get_by_role("img", name="第 4 页").count() == 1
    finally:
        context.close()
