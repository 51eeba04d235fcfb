"""The one writer of Word documents in official format (党政机关公文格式, GB/T 9704-2012).

Every .docx Luoshi produces comes from `OfficeDoc`, so the format is written once:

- A4, margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right (2098, 1984, 1588, 1474 twips);
- the title in 2号 方正小标宋简体, centred;
- the body in 3号 仿宋_GB2312 on a grid of 22 lines of 28 characters (`w:docGrid`);
- headings 一、 in 黑体, (一) in 楷体_GB2312, 1. and (1) in 仿宋_GB2312 bold;
- page numbers "— 1 —" in 4号 宋体 at the outside bottom: odd pages right, even pages left;
- tables in 仿宋_GB2312.

python-docx's `font.name` sets only the Latin font, and Word then shows Chinese text in
whatever the theme says; so every run gets `w:rFonts` with `w:eastAsia` as well, and the
theme attributes are removed from the defaults so that they cannot win.
"""

from __future__ import annotations

import math
import re
from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, Twips

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Font names as Chinese government templates spell them; a machine without them substitutes.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

# 字号 in points: 2号 22, 3号 16, 4号 14.
TITLE_PT = 22
BODY_PT = 16
PAGE_NUMBER_PT = 14

PAGE_WIDTH = 11906  # A4, twips
PAGE_HEIGHT = 16838
MARGIN_TOP = 2098  # 37 mm
MARGIN_BOTTOM = 1984  # 35 mm
MARGIN_LEFT = 1588  # 28 mm
MARGIN_RIGHT = 1474  # 26 mm
HEADER_DISTANCE = 851  # 15 mm
# The page number's 一字线 sits 7 mm below the text area: 35 - 7 - about 5 mm for a 4号 line.
FOOTER_DISTANCE = 1304

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 8844 twips, 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 12756 twips, 225 mm
LINE_PITCH = TEXT_HEIGHT // LINES_PER_PAGE  # 579 twips, 28.95 pt
# w:charSpace is the difference between the grid's character pitch and the default font size,
# in 1/4096 of a point: 156 mm / 28 = 15.79 pt against 16 pt. Word and WPS squeeze a 3号
# character into the narrower cell; LibreOffice gives it two, so bench/check_reports_docs.py
# previews with the cell at 16 pt (27 characters a line).
CHAR_SPACE = math.floor((TEXT_WIDTH / CHARS_PER_LINE / 20 - BODY_PT) * 4096)

_ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}

_CN_DIGITS = "〇一二三四五六七八九"
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# A heading that already carries its number is kept as written; others are numbered.
_NUMBERED = {
    1: re.compile(r"^[一二三四五六七八九十]+、"),
    2: re.compile(r"^[((][一二三四五六七八九十]+[))]"),
    3: re.compile(r"^\d+[..、]"),
    4: re.compile(r"^[((]\d+[))]"),
}


_FULL_WIDTH = {",": "\uff0c", ":": "\uff1a", ";": "\uff1b", "?": "\uff1f", "!": "\uff01"}
_PARENTHESES = re.compile(r"\(([^()]*)\)")


def _is_cjk(char: str) -> bool:
    return bool(char) and ("\u4e00" <= char <= "\u9fff" or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef")


def cn_punct(text: str) -> str:
    """Print ASCII punctuation that sits in Chinese text in its full-width form, as official documents do.

    People and forms type "完成12个,已开工" and "(一)"; a document prints "完成12个，已开工" and "（一）".
    A comma, colon, semicolon, ? or ! is converted when a Chinese character or full-width mark is next
    to it; a pair of parentheses when it holds or touches Chinese. "1.2亿元", "10:30" and "(2026)" stay.
    """
    if not text:
        return text

    def pair(match: re.Match) -> str:
        start, end = match.span()
        before = match.string[start - 1] if start else ""
        after = match.string[end] if end < len(match.string) else ""
        inner = match.group(1)
        if any(_is_cjk(c) for c in inner) or _is_cjk(before) or _is_cjk(after):
            return f"\uff08{inner}\uff09"
        return match.group(0)

    text = _PARENTHESES.sub(pair, text)
    chars = list(text)
    for index, char in enumerate(chars):
        if char in _FULL_WIDTH:
            before = chars[index - 1] if index else ""
            after = chars[index + 1] if index + 1 < len(chars) else ""
            if _is_cjk(before) or _is_cjk(after):
                chars[index] = _FULL_WIDTH[char]
    return "".join(chars)


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 20 → 二十, 31 → 三十一 (as in 一、 and 三月十五日)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def chinese_date(day: date) -> str:
    """2022-03-15 → 二〇二二年三月十五日, the 成文日期 of GB/T 9704-2012."""
    year = "".join(_CN_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"


def _set_fonts(rpr, name: str, *, latin: str | None = None) -> None:
    """Point every script of a w:rPr at `name`, East Asian included."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in _THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), latin or name)
    fonts.set(qn("w:hAnsi"), latin or name)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:cs"), latin or name)


def _style_run(run, name: str, size_pt: float, *, bold: bool = False) -> None:
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    _set_fonts(run._r.get_or_add_rPr(), name)


# The children of w:pPr that come after w:snapToGrid, in the schema's order.
_AFTER_SNAP = (
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _paragraph_spacing(paragraph, *, exact_grid: bool) -> None:
    """Body lines sit on the grid's pitch; tables and pictures keep their own height."""
    ppr = paragraph._p.get_or_add_pPr()
    spacing = ppr.get_or_add_spacing()
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    if exact_grid:
        spacing.set(qn("w:line"), str(LINE_PITCH))
        spacing.set(qn("w:lineRule"), "exact")
    else:
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        ppr.insert_element_before(snap, *_AFTER_SNAP)


def _indent_chars(paragraph, *, first_line: int = 0, right: int = 0) -> None:
    """Indents in characters (first_line 2 → 两个字; right in hundredths), as Word's 字符 unit."""
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    if first_line:
        ind.set(qn("w:firstLineChars"), str(first_line * 100))
        ind.set(qn("w:firstLine"), str(first_line * BODY_PT * 20))
    if right:
        ind.set(qn("w:rightChars"), str(right))
        ind.set(qn("w:right"), str(right * BODY_PT * 20 // 100))


_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value) -> str:
    return escape(_XML_UNSAFE.sub("", "" if value is None else str(value)))


def _cell_xml(text, width: int, *, font: str, half_points: int, align: str, fill: str = "") -> str:
    """One w:tc, written as XML: python-docx's cell API is quadratic in the size of the table."""
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    fonts = f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
    run_props = f'<w:rPr>{fonts}<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    lines = cn_punct(str("" if text is None else text)).splitlines() or [""]
    # The paragraph mark's size matters only where the cell is empty (it sets the row's height).
    mark = run_props if lines == [""] else ""
    paragraph_props = (
        '<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        f'<w:jc w:val="{align}"/>{mark}</w:pPr>'
    )
    paragraphs = "".join(
        f'<w:p>{paragraph_props}<w:r>{run_props}<w:t xml:space="preserve">{_xml_text(line)}</w:t></w:r></w:p>'
        for line in lines
    )
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}<w:vAlign w:val="center"/></w:tcPr>'
        f"{paragraphs}</w:tc>"
    )


class OfficeDoc:
    """A document in official format, written top to bottom.

    Headings are numbered by level (一、 (一) 1. (1)) unless their text already starts with
    its number, so both `heading("总体要求", 1)` and `heading("一、总体要求", 1)` work.
    """

    def __init__(self, *, title: str, subtitle: str = "", doc_number: str = "") -> None:
        self.document = Document()
        self._counters = [0, 0, 0, 0]
        self._setup_page()
        self._setup_defaults()
        self._setup_page_numbers()
        self.document.core_properties.title = title
        self.document.core_properties.language = "zh-CN"
        body = self.document.element.body
        # The template's empty first paragraph would print as a blank line above the title.
        for paragraph in list(body.iterchildren(qn("w:p"))):
            body.remove(paragraph)
        self.title_block(title, subtitle=subtitle, doc_number=doc_number)

    def title_block(self, title: str, *, subtitle: str = "", doc_number: str = "") -> None:
        """发文字号, the title in 2号 小标宋 and a subtitle: at the top, and again after a page break."""
        if doc_number:
            self._line(doc_number, BODY_FONT, BODY_PT, align="center")
            self._line("", BODY_FONT, BODY_PT)
        self._line(title, TITLE_FONT, TITLE_PT, align="center", exact=False)
        if subtitle:
            self._line(subtitle, KAI_FONT, BODY_PT, align="center")
        self._line("", BODY_FONT, BODY_PT)

    # Page set-up ---------------------------------------------------------------------------

    def _setup_page(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Twips(PAGE_WIDTH)
        section.page_height = Twips(PAGE_HEIGHT)
        section.top_margin = Twips(MARGIN_TOP)
        section.bottom_margin = Twips(MARGIN_BOTTOM)
        section.left_margin = Twips(MARGIN_LEFT)
        section.right_margin = Twips(MARGIN_RIGHT)
        section.header_distance = Twips(HEADER_DISTANCE)
        section.footer_distance = Twips(FOOTER_DISTANCE)
        section.gutter = Twips(0)
        sect_pr = section._sectPr
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect_pr.append(grid)
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(LINE_PITCH))
        grid.set(qn("w:charSpace"), str(CHAR_SPACE))

    def _setup_defaults(self) -> None:
        """The document defaults and every style speak 仿宋 3号, in Chinese, with no theme fonts."""
        styles = self.document.styles.element
        rpr_default = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr_default is not None:
            _set_fonts(rpr_default, BODY_FONT)
            for tag in ("w:sz", "w:szCs", "w:lang"):
                old = rpr_default.find(qn(tag))
                if old is not None:
                    rpr_default.remove(old)
            for tag in ("w:sz", "w:szCs"):
                size = OxmlElement(tag)
                size.set(qn("w:val"), str(BODY_PT * 2))
                rpr_default.append(size)
            lang = OxmlElement("w:lang")
            lang.set(qn("w:val"), "en-US")
            lang.set(qn("w:eastAsia"), "zh-CN")
            rpr_default.append(lang)
        for fonts in styles.iter(qn("w:rFonts")):
            for attribute in _THEME_ATTRIBUTES:
                fonts.attrib.pop(qn(attribute), None)
            if fonts.get(qn("w:eastAsia")) is None:
                fonts.set(qn("w:eastAsia"), BODY_FONT)
        normal = self.document.styles["Normal"]
        normal.font.size = Pt(BODY_PT)
        _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)

    def _setup_page_numbers(self) -> None:
        self.document.settings.odd_and_even_pages_header_footer = True
        section = self.document.sections[0]
        # Odd pages: right, one 全角空格 after; even pages: left, one before.
        self._page_number(section.footer.paragraphs[0], align="right")
        self._page_number(section.even_page_footer.paragraphs[0], align="left")

    def _page_number(self, paragraph, *, align: str) -> None:
        paragraph.alignment = _ALIGN[align]
        _paragraph_spacing(paragraph, exact_grid=False)

        def text(value: str) -> None:
            _style_run(paragraph.add_run(value), PAGE_NUMBER_FONT, PAGE_NUMBER_PT)

        def field_char(kind: str) -> None:
            run = paragraph.add_run()
            _style_run(run, PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)

        text("— " if align == "right" else "\u3000— ")
        field_char("begin")
        instruction = paragraph.add_run()
        _style_run(instruction, PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = " PAGE "
        instruction._r.append(instr)
        field_char("separate")
        text("1")
        field_char("end")
        text(" —\u3000" if align == "right" else " —")

    # Content -------------------------------------------------------------------------------

    def _line(
        self,
        text: str,
        font: str,
        size_pt: float,
        *,
        align: str = "justify",
        bold: bool = False,
        first_line_chars: int = 0,
        exact: bool = True,
    ):
        paragraph = self.document.add_paragraph()
        paragraph.alignment = _ALIGN[align]
        _paragraph_spacing(paragraph, exact_grid=exact)
        if first_line_chars:
            _indent_chars(paragraph, first_line=first_line_chars)
        _style_run(paragraph.add_run(cn_punct(text)), font, size_pt, bold=bold)
        return paragraph

    def heading(self, text: str, level: int) -> None:
        """1 → 一、 黑体; 2 → (一) 楷体_GB2312; 3 → 1. and 4 → (1) 仿宋_GB2312 bold."""
        if level not in (1, 2, 3, 4):
            raise ValueError("heading level must be 1 to 4")
        self._counters[level - 1] += 1
        for deeper in range(level, 4):
            self._counters[deeper] = 0
        text = text.strip()
        if not _NUMBERED[level].match(text):
            n = self._counters[level - 1]
            prefix = {1: f"{chinese_number(n)}、", 2: f"({chinese_number(n)})", 3: f"{n}.", 4: f"({n})"}[level]
            text = prefix + text
        font = {1: HEI_FONT, 2: KAI_FONT, 3: BODY_FONT, 4: BODY_FONT}[level]
        self._line(text, font, BODY_PT, bold=level >= 3, first_line_chars=2)

    def paragraph(self, text: str, *, indent: bool = True, align: str = "justify", bold: bool = False) -> None:
        """Body text; line breaks in `text` start new paragraphs, each indented two characters."""
        lines = [line.strip() for line in (text or "").splitlines()] or [""]
        for line in lines:
            self._line(line, BODY_FONT, BODY_PT, align=align, bold=bold, first_line_chars=2 if indent else 0)

    def table(
        self,
        headers: list[str],
        rows: list[list[str]],
        *,
        widths_cm: list[float] | None = None,
        font_pt: float = 12,
    ) -> None:
        """A bordered table in 仿宋 (the header row in 黑体, repeated on every page), centred on the text."""
        columns = len(headers)
        if widths_cm is None:
            widths_cm = [TEXT_WIDTH / 567 / columns] * columns
        if len(widths_cm) != columns:
            raise ValueError("widths_cm must give one width per column")
        widths = [round(width * 567) for width in widths_cm]
        half_points = round(font_pt * 2)
        border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        borders = "".join(border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        parts = [
            f"<w:tbl {nsdecls('w')}><w:tblPr>"
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f"<w:tblBorders>{borders}</w:tblBorders>"
            '<w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="0" w:noVBand="1"/>'
            "</w:tblPr><w:tblGrid>",
            *(f'<w:gridCol w:w="{width}"/>' for width in widths),
            "</w:tblGrid>",
            "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
            *(
                _cell_xml(header, widths[i], font=HEI_FONT, half_points=half_points, align="center", fill="F2F2F2")
                for i, header in enumerate(headers)
            ),
            "</w:tr>",
        ]
        rows = [[values[i] if i < len(values) else "" for i in range(columns)] for values in rows]
        # A column of numbers or short words is centred, a column with any longer text reads from the left.
        aligns = [
            "center" if all(isinstance(row[i], int | float) or len(str(row[i])) <= 8 for row in rows) else "left"
            for i in range(columns)
        ]
        for values in rows:
            parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for i, value in enumerate(values):
                parts.append(_cell_xml(value, widths[i], font=BODY_FONT, half_points=half_points, align=aligns[i]))
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        body = self.document.element.body
        body.insert(len(body) - 1 if body[-1].tag == qn("w:sectPr") else len(body), parse_xml("".join(parts)))
        # A table followed directly by another would merge in Word; an empty grid line separates them.
        self._line("", BODY_FONT, BODY_PT)

    def picture(self, png: bytes, *, width_cm: float = 15.6) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _paragraph_spacing(paragraph, exact_grid=False)
        run = paragraph.add_run()
        _style_run(run, BODY_FONT, BODY_PT)
        run.add_picture(BytesIO(png), width=Cm(min(width_cm, TEXT_WIDTH / 567)))

    def signature(self, org: str, day: date) -> None:
        """落款 and 成文日期: the date two characters from the right, the name centred above it."""
        written = chinese_date(day)
        self._line("", BODY_FONT, BODY_PT)
        self._line("", BODY_FONT, BODY_PT)
        org_right = max(0, round((2 + (len(written) - len(org)) / 2) * 100))
        name = self._line(org, BODY_FONT, BODY_PT, align="right")
        _indent_chars(name, right=org_right)
        dated = self._line(written, BODY_FONT, BODY_PT, align="right")
        _indent_chars(dated, right=200)

    def page_break(self) -> None:
        """Start a new page (a batch of notices prints one to a page)."""
        from docx.enum.text import WD_BREAK

        paragraph = self.document.add_paragraph()
        _paragraph_spacing(paragraph, exact_grid=True)
        run = paragraph.add_run()
        _style_run(run, BODY_FONT, BODY_PT)
        run.add_break(WD_BREAK.PAGE)

    def to_bytes(self) -> bytes:
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def docx_response(data: bytes, filename: str):
    """A download of a .docx as `filename`; Django writes a Chinese name as filename*=UTF-8''."""
    from django.http import FileResponse

    return FileResponse(BytesIO(data), as_attachment=True, filename=filename, content_type=DOCX_CONTENT_TYPE)
