"""The official-format writer, read back from the .docx it produces."""

import itertools
import zipfile
from datetime import date
from io import BytesIO

import docx
from lxml import etree

from luoshi.lib.officedoc import OfficeDoc, cn_punct, docx_response, official_date, official_dates, title_lines

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _q(name: str) -> str:
    return f"{{{W}}}{name}"


def _sample() -> bytes:
    doc = OfficeDoc(title="关于全县重点工作推进情况的通报", subtitle="(2022年第3期)", doc_number="督办〔2022〕7号")
    doc.heading("总体情况", 1)
    doc.paragraph("今年以来,全县各单位认真贯彻落实县委、县政府决策部署。\n第二段。")
    doc.heading("存在问题", 2)
    doc.heading("进度滞后", 3)
    doc.heading("(1)个别单位", 4)
    doc.table(
        ["单位", "任务数", "按时率"], [["县财政局", "12", "91.7%"], ["=1+1", "8", "62.5%"]], widths_cm=[8, 3.8, 3.8]
    )
    doc.signature("县人民政府督查室", date(2022, 3, 15))
    return doc.to_bytes()


def _parts(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return {
            name: etree.fromstring(archive.read(name))
            for name in archive.namelist()
            if name.startswith("word/") and name.endswith(".xml")
        }


def test_the_page_is_a4_with_the_official_margins_in_twips():
    body = _parts(_sample())["word/document.xml"]
    sect = body.find(".//w:body/w:sectPr", NS)
    size = sect.find("w:pgSz", NS)
    margins = sect.find("w:pgMar", NS)
    assert (size.get(_q("w")), size.get(_q("h"))) == ("11906", "16838")
    assert margins.get(_q("top")) == "2098"
    assert margins.get(_q("bottom")) == "1984"
    assert margins.get(_q("left")) == "1588"
    assert margins.get(_q("right")) == "1474"


def test_the_body_sits_on_a_grid_of_22_lines_and_28_characters_fill_a_line_in_every_program():
    parts = _parts(_sample())
    grid = parts["word/document.xml"].find(".//w:body/w:sectPr/w:docGrid", NS)
    # Lines only: a linesAndChars grid of 15.79 pt cells gives LibreOffice 14 characters a line.
    assert grid.get(_q("type")) == "lines" and grid.get(_q("charSpace")) is None
    line_pitch = int(grid.get(_q("linePitch")))
    assert line_pitch == 579
    assert (16838 - 2098 - 1984) // line_pitch == 22
    # Every 3号 run is condensed by 0.25 pt: 28 characters fit the 156 mm line, 29 do not.
    text_width_pt = (11906 - 1588 - 1474) / 20
    runs = [r for r in parts["word/document.xml"].iter(_q("r")) if r.find("w:rPr/w:sz", NS).get(_q("val")) == "32"]
    assert len(runs) > 8
    for run in runs:
        advance = 16 + int(run.find("w:rPr/w:spacing", NS).get(_q("val"))) / 20
        assert 28 * advance <= text_width_pt < 29 * advance
    # Body lines sit exactly on the grid's pitch, the title's lines included.
    document = docx.Document(BytesIO(_sample()))
    for paragraph in document.paragraphs[:6]:
        spacing = paragraph._p.pPr.find("w:spacing", NS)
        assert (spacing.get(_q("line")), spacing.get(_q("lineRule"))) == ("579", "exact")


def test_a_page_is_filled_to_its_22nd_line_without_widow_control():
    normal = docx.Document(BytesIO(_sample())).styles["Normal"]
    assert normal.paragraph_format.widow_control is False


def test_every_run_names_its_east_asian_font():
    parts = _parts(_sample())
    runs = 0
    for name, root in parts.items():
        for run in root.iter(_q("r")):
            fonts = run.find("w:rPr/w:rFonts", NS)
            assert fonts is not None, f"a run in {name} has no w:rFonts"
            assert fonts.get(_q("eastAsia")), f"a run in {name} has no East Asian font"
            assert fonts.get(_q("eastAsiaTheme")) is None
            runs += 1
    assert runs > 20


def test_the_title_is_2hao_xiaobiaosong_and_the_body_3hao_fangsong():
    document = docx.Document(BytesIO(_sample()))
    paragraphs = [p for p in document.paragraphs if p.text]
    assert paragraphs[0].text == "督办〔2022〕7号"
    title = paragraphs[1]
    assert title.text == "关于全县重点工作推进情况的通报"
    run = title.runs[0]
    assert run.font.size.pt == 22
    assert run._r.rPr.rFonts.get(_q("eastAsia")) == "方正小标宋简体"
    body = next(p for p in paragraphs if p.text.startswith("今年以来"))
    assert body.runs[0].font.size.pt == 16
    assert body.runs[0]._r.rPr.rFonts.get(_q("eastAsia")) == "仿宋_GB2312"


def test_headings_are_numbered_by_level_in_their_fonts():
    document = docx.Document(BytesIO(_sample()))
    by_text = {p.text: p for p in document.paragraphs}
    expected = {
        "一、总体情况": ("黑体", None),
        "（一）存在问题": ("楷体_GB2312", None),
        "1.进度滞后": ("仿宋_GB2312", True),
    }
    expected["（1）个别单位"] = ("仿宋_GB2312", True)
    for text, (font, bold) in expected.items():
        run = by_text[text].runs[0]
        assert run._r.rPr.rFonts.get(_q("eastAsia")) == font
        assert bool(run.font.bold) == bool(bold)


def test_the_page_number_is_a_page_field_in_4hao_songti_one_character_in_by_an_indent():
    data = _sample()
    parts = _parts(data)
    settings = parts["word/settings.xml"]
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    document = docx.Document(BytesIO(data))
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == 2  # right
    assert even.alignment == 0  # left
    # One 4号 character (14 pt = 280 twips) in from the outside edge, by an indent, not a 全角空格.
    assert odd._p.pPr.find("w:ind", NS).get(_q("right")) == "280"
    assert even._p.pPr.find("w:ind", NS).get(_q("left")) == "280"
    for footer in (odd, even):
        instructions = [t.text for t in footer._p.iter(_q("instrText"))]
        assert [i.strip() for i in instructions] == ["PAGE"]
        kinds = [c.get(_q("fldCharType")) for c in footer._p.iter(_q("fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        assert footer.text == "— 1 —"
        for run in footer.runs:
            assert run.font.size.pt == 14
            assert run._r.rPr.rFonts.get(_q("eastAsia")) == "宋体"
        # Exactly one 4号 line high, so that its place does not depend on the font's own line height.
        spacing = footer._p.pPr.find("w:spacing", NS)
        assert (spacing.get(_q("line")), spacing.get(_q("lineRule"))) == ("280", "exact")
    # The line's foot 25.7 mm above the bottom edge: the dashes' stroke 7 mm below the text area.
    assert abs(section.footer_distance.mm - 25.75) < 0.05


def test_tables_are_in_fangsong_and_keep_formula_looking_text():
    document = docx.Document(BytesIO(_sample()))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["单位", "任务数", "按时率"]
    assert table.rows[2].cells[0].text == "=1+1"
    for row in table.rows[1:]:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                assert run._r.rPr.rFonts.get(_q("eastAsia")) == "仿宋_GB2312"
                assert run.font.size.pt == 12


def test_dates_are_written_in_arabic_numerals_without_leading_zeros():
    assert official_date(date(2022, 3, 15)) == "2022年3月15日"
    assert official_date(date(2026, 11, 30)) == "2026年11月30日"
    assert official_date("2026-12-02") == "2026年12月2日"
    assert (
        official_dates("截至2026-03-05,原定2026年03月15日、2026/1/2")
        == "截至2026年3月5日,原定2026年3月15日、2026年1月2日"
    )
    # Not a date: left alone.
    assert official_dates("编号12026-03-05,版本1.2026-01-01") == "编号12026-03-05,版本1.2026-01-01"
    doc = OfficeDoc(title="通知")
    doc.paragraph("完成时限:2026-06-30。")
    doc.table(["事项", "完成时限"], [["排查", "2026-06-30"]], widths_cm=[10, 5.6])
    document = docx.Document(BytesIO(doc.to_bytes()))
    assert any(p.text == "完成时限：2026年6月30日。" for p in document.paragraphs)
    assert document.tables[0].rows[1].cells[1].text == "2026年6月30日"
    texts = [p.text for p in docx.Document(BytesIO(_sample())).paragraphs]
    assert texts[-2:] == ["县人民政府督查室", "2022年3月15日"]


def _keeps_with_next(paragraph) -> bool:
    return paragraph._p.pPr is not None and paragraph._p.pPr.find("w:keepNext", NS) is not None


def test_headings_and_the_title_are_kept_with_the_next_paragraph_and_body_text_is_not():
    document = docx.Document(BytesIO(_sample()))
    by_text = {p.text: p for p in document.paragraphs}
    for heading in ("一、总体情况", "（一）存在问题", "1.进度滞后", "（1）个别单位", "关于全县重点工作推进情况的通报"):
        assert _keeps_with_next(by_text[heading]), heading
    assert not _keeps_with_next(by_text["第二段。"])


def test_a_long_title_breaks_between_words_with_book_title_marks_kept_on_their_words():
    title = "关于印发县政府主要领导在全县经济工作会议上的讲话任务分解表的通知"
    lines = title_lines(title)
    assert "".join(lines) == title and len(lines) == 2
    assert all(len(line) <= 20 for line in lines)
    for word in ("讲话", "任务", "分解", "会议", "经济", "通知"):
        assert not any(line.endswith(word[0]) and following.startswith(word[1:])
                       for line, following in itertools.pairwise(lines)), word  # fmt: skip
    quoted = title_lines("《在政府系统全体人员工作部署会议上的讲话》任务分解表")
    assert quoted[0].startswith("《") and not any(line.startswith(("》", "任务分解表")) for line in quoted[1:])
    assert title_lines("示范县人民政府督查室关于2026年10月督查工作情况的通报")[1].startswith("2026年10月")
    # In the document the lines are one paragraph, broken by w:br, centred.
    document = docx.Document(BytesIO(OfficeDoc(title=title).to_bytes()))
    first = document.paragraphs[0]
    assert first.text == "\n".join(lines) and first.alignment == 1


def _ind(paragraph, name: str) -> int:
    return int(paragraph._p.pPr.find("w:ind", NS).get(_q(name)))


def test_the_signature_without_a_seal_puts_the_issuer_two_characters_in_and_the_date_under_it():
    doc = OfficeDoc(title="汇报")
    doc.paragraph("妥否，请批示。")
    doc.signature("示范县人民政府督查室", date(2026, 11, 30))
    paragraphs = docx.Document(BytesIO(doc.to_bytes())).paragraphs
    text, blank, issuer, dated = paragraphs[-4:]
    assert (text.text, blank.text, issuer.text, dated.text) == (
        "妥否，请批示。",
        "",
        "示范县人民政府督查室",
        "2026年11月30日",
    )
    assert issuer.alignment == dated.alignment == 2  # right
    # Issuer 10 characters wide, 2 in from the right: it starts 12 from the right. The date (7 wide: a digit
    # is half) starts 2 to the right of the issuer's first character, 10 from the right, so it ends 3 in.
    assert _ind(issuer, "rightChars") == 200 and _ind(dated, "rightChars") == 300
    # Never split from the text above: the text, the blank line and the issuer keep with what follows.
    assert all(_keeps_with_next(p) for p in (text, blank, issuer))
    assert "印章" not in "".join(p.text for p in paragraphs)


def test_the_signature_with_a_seal_puts_the_date_four_characters_in_and_centres_the_issuer_over_it():
    doc = OfficeDoc(title="通知单")
    doc.table(["项目", "内容"], [["事项名称", "排查"]], widths_cm=[3.2, 12.4])
    doc.signature("示范县人民政府督查室", date(2026, 3, 5), seal=True)
    document = docx.Document(BytesIO(doc.to_bytes()))
    paragraphs = document.paragraphs
    issuer, dated = paragraphs[-2:]
    assert dated.text == "2026年3月5日"
    # Date 4 in; the issuer (10 wide) centred over the date (6 wide): 4 - (10 - 6) / 2 = 2 in.
    assert _ind(dated, "rightChars") == 400
    assert _ind(issuer, "rightChars") == 200
    # Two blank lines for the seal, kept with the table's last row and the issuer.
    assert [p.text for p in paragraphs[-4:-2]] == ["", ""]
    assert all(_keeps_with_next(p) for p in paragraphs[-5:-1])
    last_row = document.tables[0].rows[-1]
    assert all(_keeps_with_next(p) for cell in last_row.cells for p in cell.paragraphs)
    assert "印章" not in "".join(p.text for p in paragraphs)


def test_a_batch_is_one_section_per_document_each_numbered_from_page_1():
    doc = OfficeDoc(title="催办通知单", doc_number="催办〔2026〕1号")
    for number in range(2, 4):
        doc.paragraph("请抓紧办理。")
        doc.signature("示范县人民政府督查室", date(2026, 3, 5), seal=True)
        doc.new_section()
        doc.title_block("催办通知单", doc_number=f"催办〔2026〕{number}号")
    doc.paragraph("请抓紧办理。")
    doc.signature("示范县人民政府督查室", date(2026, 3, 5), seal=True)
    body = _parts(doc.to_bytes())["word/document.xml"].find("w:body", NS)
    sections = body.findall(".//w:sectPr", NS)
    assert len(sections) == 3
    for sect in sections:
        assert sect.find("w:pgNumType", NS).get(_q("start")) == "1"
        assert sect.find("w:footerReference", NS) is not None
    # The break is carried by each notice's date line, not by a paragraph of its own that could spill onto
    # a blank numbered page; nothing breaks a page by hand.
    for sect in sections[:-1]:
        carrier = sect.getparent().getparent()
        assert sect.find("w:type", NS).get(_q("val")) == "nextPage"
        assert "".join(carrier.itertext()) == "2026年3月5日"
    assert not body.findall(".//w:br[@w:type='page']", NS)


def test_a_column_of_figures_is_wide_enough_that_100_percent_never_wraps():
    doc = OfficeDoc(title="表")
    doc.table(["单位", "办结率"], [["县财政局", "100.0%"], ["县住建局", "62.5%"]], widths_cm=[14.6, 1.0], font_pt=10.5)
    table = docx.Document(BytesIO(doc.to_bytes())).tables[0]
    widths = [int(c.get(_q("w"))) for c in table._tbl.tblGrid.findall("w:gridCol", NS)]
    # Six characters at 10.5 pt (digits taken at 0.6 of the size) and the cell's margins.
    assert widths[1] >= 6 * 0.6 * 10.5 * 20 + 2 * 85
    assert sum(widths) == round(14.6 * 567) + round(1.0 * 567)


def test_a_date_in_a_column_of_words_still_holds_on_one_line():
    doc = OfficeDoc(title="表")
    rows = [["根治欠薪", "2026-11-17"], ["安全生产", "长期坚持"]]
    doc.table(["事项", "完成时限"], rows, widths_cm=[13.6, 2.0], font_pt=10.5)
    table = docx.Document(BytesIO(doc.to_bytes())).tables[0]
    assert table.rows[1].cells[1].text == "2026年11月17日"
    widths = [int(c.get(_q("w"))) for c in table._tbl.tblGrid.findall("w:gridCol", NS)]
    # 年, 月, 日 and eight digits at 10.5 pt, with the cell's margins: wider than the 2 cm asked for.
    assert widths[1] >= (3 + 8 * 0.6) * 10.5 * 20 + 2 * 85 > 2.0 * 567


def test_ascii_punctuation_in_chinese_text_prints_full_width():
    assert cn_punct("完成12个,已开工(一期)") == "完成12个，已开工（一期）"
    assert cn_punct("意见:同意;请办理") == "意见：同意；请办理"
    assert cn_punct("1.2亿元,10:30,(2026)") == "1.2亿元，10:30,(2026)"
    assert cn_punct("Luoshi, v1 (beta)") == "Luoshi, v1 (beta)"
    document = docx.Document(BytesIO(_sample()))
    assert any(p.text == "今年以来，全县各单位认真贯彻落实县委、县政府决策部署。" for p in document.paragraphs)


def test_a_picture_goes_in_centred_and_no_wider_than_the_text():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, _ = plt.subplots(figsize=(2, 1))
    buffer = BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    doc = OfficeDoc(title="图")
    doc.picture(buffer.getvalue(), width_cm=30)
    document = docx.Document(BytesIO(doc.to_bytes()))
    shape = document.inline_shapes[0]
    assert abs(shape.width.cm - 15.6) < 0.01


def test_the_download_carries_a_chinese_filename():
    response = docx_response(_sample(), "督查通报.docx")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=utf-8''%E7%9D%A3" in disposition
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
