"""The reports' Word files read back as a secretary checks them: one set per notice, the full name in the
落款, no seal placeholder; the chart's font covers its labels; and the start-up check for a CJK font."""

import zipfile
from datetime import date
from io import BytesIO

import docx
import pytest
from lxml import etree

from luoshi.reports import checks, documents, services
from luoshi.reports.documents import CJK_FAMILIES, chart_font_path, chart_labels, missing_glyphs

from .helpers import submitted_brief, task

pytestmark = pytest.mark.django_db

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _body(data: bytes):
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml")).find("w:body", NS)


def test_a_batch_of_50_notices_prints_as_50_sets_each_numbered_from_1(personas, clock):
    tasks = [task(personas, f"事项{i}", deadline=date(2026, 3, 18)) for i in range(50)]
    clock(date(2026, 3, 25))
    notices = services.notice_create(kind="urge", tasks=tasks, by=personas.office, message="请3日内反馈。")
    data = documents.notices_docx(notices)
    body = _body(data)
    sections = body.findall(".//w:sectPr", NS)
    assert len(sections) == 50
    assert all(s.find("w:pgNumType", NS).get(f"{{{W}}}start") == "1" for s in sections)
    # Each notice's own number and title open its section; no page is broken by an empty paragraph.
    text = "\n".join(p.text for p in docx.Document(BytesIO(data)).paragraphs)
    assert all(f"催办〔2026〕{n}号" in text for n in range(1, 51))
    assert text.count("催办通知单") == 50
    assert not body.findall(".//w:br[@w:type='page']", NS)
    # Signed for the seal: the date 4 characters in, in Arabic numerals, no placeholder.
    assert text.count("示范县人民政府督查室\n2026年3月25日") == 50
    assert "印章" not in text and "二〇" not in text


def test_a_units_brief_is_signed_with_the_units_full_name_and_dates_in_arabic_numerals(personas, clock):
    clock(date(2026, 11, 30))
    brief = submitted_brief(personas)
    services.brief_decide(brief=brief, by=personas.leader, chosen=1, note="同意。")
    brief.refresh_from_db()
    paragraphs = docx.Document(BytesIO(documents.brief_docx(brief))).paragraphs
    assert [p.text for p in paragraphs[-2:]] == ["示范县财政局", "2026年11月30日"]
    assert any("于2026年11月30日决定采用方案一" in p.text for p in paragraphs)


def test_full_names_put_the_county_in_front_once(personas, settings):
    settings.LUOSHI_COUNTY_NAME = "示范县"
    assert documents.unit_full_name(personas.finance) == "示范县财政局"
    assert documents.unit_full_name(personas.township) == "示范县城关镇人民政府"
    personas.housing.name = "示范县住房和城乡建设局"
    assert documents.unit_full_name(personas.housing) == "示范县住房和城乡建设局"
    personas.housing.name = "县住房和城乡建设局"
    assert documents.unit_full_name(personas.housing) == "示范县住房和城乡建设局"


def test_the_font_matplotlib_picks_for_the_chart_covers_every_label():
    path = chart_font_path()
    assert path is not None, "no CJK font: apt-get install fonts-noto-cjk"
    rows = [{"unit": name, "red": 1, "yellow": 0, "green": 2}
            for name in ("住房和城乡建设局", "乡村振兴局", "城关镇", "黄岗镇", "投促中心", "畜牧中心")]  # fmt: skip
    labels = "".join(chart_labels(rows, 12))
    assert missing_glyphs(labels, path) == set()
    # The file is the one matplotlib itself resolves for the chart's font list, not some other CJK font.
    from matplotlib import font_manager

    picked = font_manager.findfont(font_manager.FontProperties(family=[*CJK_FAMILIES, "DejaVu Sans"]))
    assert picked == path
    # The Latin fallback alone would draw boxes: the check can fail.
    dejavu = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    assert "红" in missing_glyphs(labels, dejavu)
    assert documents.lights_chart_png(rows).startswith(b"\x89PNG")


def test_without_a_cjk_font_the_chart_is_left_out_and_start_up_warns_in_chinese(monkeypatch, personas, clock):
    monkeypatch.setattr(documents, "chart_font_path", lambda families=CJK_FAMILIES: None)
    rows = [{"unit": "财政局", "red": 1, "yellow": 0, "green": 2}]
    assert documents.lights_chart_png(rows) == b""
    warnings = checks.cjk_font_installed()
    assert [w.id for w in warnings] == ["reports.W001"]
    assert "没有中文字体" in warnings[0].msg and "fonts-noto-cjk" in warnings[0].hint
    monkeypatch.undo()
    assert checks.cjk_font_installed() == []


def test_a_quotation_inside_a_quoted_title_takes_single_quotes(personas, clock):
    village = task(personas, "村庄清洁行动“三清一改”", deadline=date(2026, 6, 30))
    notices = services.notice_create(kind="supervise", tasks=[village], by=personas.office)
    text = "\n".join(p.text for p in docx.Document(BytesIO(documents.notices_docx(notices))).paragraphs)
    assert "现将“村庄清洁行动‘三清一改’”交由你单位牵头办理" in text
