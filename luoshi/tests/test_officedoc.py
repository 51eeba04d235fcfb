"""The official-format writer, read back from the .docx it produces."""

import zipfile
from datetime import date
from io import BytesIO

import docx
from lxml import etree

from luoshi.lib.officedoc import OfficeDoc, chinese_date, cn_punct, docx_response

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


def test_the_body_sits_on_a_grid_of_22_lines_of_28_characters():
    sect = _parts(_sample())["word/document.xml"].find(".//w:body/w:sectPr", NS)
    grid = sect.find("w:docGrid", NS)
    assert grid.get(_q("type")) == "linesAndChars"
    line_pitch = int(grid.get(_q("linePitch")))
    assert line_pitch == 579
    assert (16838 - 2098 - 1984) // line_pitch == 22
    # The character pitch is 16 pt plus charSpace/4096 pt; 28 of them fill the 156 mm line.
    pitch_pt = 16 + int(grid.get(_q("charSpace"))) / 4096
    assert int((11906 - 1588 - 1474) / 20 / pitch_pt) == 28


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


def test_the_page_number_is_a_page_field_in_4hao_songti_at_the_outside_edge():
    data = _sample()
    parts = _parts(data)
    settings = parts["word/settings.xml"]
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    document = docx.Document(BytesIO(data))
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == 2  # right
    assert even.alignment == 0  # left
    for footer in (odd, even):
        instructions = [t.text for t in footer._p.iter(_q("instrText"))]
        assert [i.strip() for i in instructions] == ["PAGE"]
        kinds = [c.get(_q("fldCharType")) for c in footer._p.iter(_q("fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        assert "— 1 —" in footer.text
        for run in footer.runs:
            assert run.font.size.pt == 14
            assert run._r.rPr.rFonts.get(_q("eastAsia")) == "宋体"


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


def test_the_signature_writes_the_date_in_chinese_numerals():
    assert chinese_date(date(2022, 3, 15)) == "二〇二二年三月十五日"
    assert chinese_date(date(2020, 10, 30)) == "二〇二〇年十月三十日"
    assert chinese_date(date(2026, 12, 1)) == "二〇二六年十二月一日"
    texts = [p.text for p in docx.Document(BytesIO(_sample())).paragraphs]
    assert texts[-2:] == ["县人民政府督查室", "二〇二二年三月十五日"]


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
