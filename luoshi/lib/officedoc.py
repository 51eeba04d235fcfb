"""The one writer of Word documents in official format (党政机关公文格式, GB/T 9704-2012).

Every .docx Luoshi produces comes from `OfficeDoc`, so the format is written once:

- A4, margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right (2098, 1984, 1588, 1474 twips);
- the title in 2号 方正小标宋简体, centred;
- the body in 3号 仿宋_GB2312, 22 lines of 28 characters a page (see "The grid" below);
- headings 一、 in 黑体, (一) in 楷体_GB2312, 1. and (1) in 仿宋_GB2312 bold, each kept with the next paragraph;
- a title broken between words (jieba), never inside one;
- page numbers "— 1 —" in 4号 宋体 at the outside bottom, one character in from the edge by an indent:
  odd pages right, even pages left; the number's line 7 mm below the text area;
- 成文日期 and every date in Arabic numerals, the year in full, no leading zeros (2026年11月30日), as
  GB/T 9704-2012 §7.3.5 requires (the 1999 standard's 二〇二六年十一月三十日 is out of date);
- 落款 in the standard's two cases, with and without a seal (§7.3.5.1, §7.3.5.2), kept with the text;
- tables in 仿宋_GB2312, a column of figures wide enough that 100.0% never wraps;
- a batch (notices) as one section per document, page numbers restarting at 1.

The grid. Word's and WPS's usual template is a `linesAndChars` grid whose character pitch is 156 mm / 28
= 15.79 pt, narrower than a 3号 character: Word squeezes each character into a cell, LibreOffice lays it
over two cells, 14 characters a line. So the grid here is lines only (22 lines of 28.95 pt), and every
body run is condensed by 0.25 pt (`w:spacing w:val="-5"`): 28 × 15.75 pt = 441 pt fits the 442.2 pt line,
29 do not, in every program that honours character spacing, LibreOffice, Word and WPS alike.
`bench/check_officedoc.py` checks it in LibreOffice.

python-docx's `font.name` sets only the Latin font, and Word then shows Chinese text in
whatever the theme says; so every run gets `w:rFonts` with `w:eastAsia` as well, and the
theme attributes are removed from the defaults so that they cannot win.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from copy import deepcopy
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
# The page number's 一字线 (the dashes' stroke, at the middle of its line, exactly one 4号 character high)
# sits 7 mm below the text area (§7.5): the line's foot 35 - 7 - 2.5 mm ≈ 25.7 mm above the bottom edge,
# adjusted to what LibreOffice draws (bench/check_officedoc.py measures the stroke: 7.0 mm).
FOOTER_DISTANCE = 1460
PAGE_NUMBER_LINE = PAGE_NUMBER_PT * 20

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 8844 twips, 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 12756 twips, 225 mm
LINE_PITCH = TEXT_HEIGHT // LINES_PER_PAGE  # 579 twips, 28.95 pt
# Character spacing of body text in twentieths of a point (w:rPr/w:spacing): -0.25 pt, so that a 3号
# character advances 15.75 pt and 28 of them, not 29, fill the 156 mm line (see the module's docstring).
CHAR_SPACING = -5
CHAR_PITCH = BODY_PT * 20 + CHAR_SPACING  # 315 twips, one character of body text
# A 2号 title line holds 20 characters.
TITLE_CHARS_PER_LINE = int(TEXT_WIDTH / (TITLE_PT * 20 + CHAR_SPACING))

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


def official_date(day: date | str) -> str:
    """2026-11-30 → 2026年11月30日: the 成文日期 of GB/T 9704-2012 §7.3.5 and every date in a document,
    in Arabic numerals, the year in full and no leading zeros. An ISO string is read as a date."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return f"{day.year}年{day.month}月{day.day}日"


# Kept for callers written against the old name; it now writes the date as the standard does.
chinese_date = official_date

# 2026-12-02, 2026/12/2 and 2026年03月05日, where no other digit is glued on either side.
_DATE_LIKE = re.compile(
    r"(?<![\d.])((?:19|20)\d\d)(?:-(\d{1,2})-(\d{1,2})|/(\d{1,2})/(\d{1,2})|年(\d{1,2})月(\d{1,2})日)(?![\d.])"
)


def official_dates(text: str) -> str:
    """Write the dates in `text` as official documents do: "截至2026-03-05" → "截至2026年3月5日"."""
    if not text or not any(c.isdigit() for c in text):
        return text

    def written(match: re.Match) -> str:
        year, *parts = match.groups()
        month, day = [int(p) for p in parts if p is not None]
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return match.group(0)
        return f"{int(year)}年{month}月{day}日"

    return _DATE_LIKE.sub(written, text)


def text_width(text: str) -> float:
    """The width of `text` in characters of its size: a Chinese character or full-width mark is one,
    a digit, Latin letter or ASCII mark half (as 仿宋_GB2312 and 宋体 draw them)."""
    return sum(1 if _is_cjk(c) or ord(c) > 0x2000 else 0.5 for c in text)


_OPENING = set("《（(“‘〈「『【")
_UNITS = set("年月日号期个项次天%")
_CLOSING = set("》）)”’〉」』】，。、；：？！,.;:?!")


def _greedy_lines(words: list[str], widths: list[float], per_line: int) -> list[str]:
    lines, line, width = [], "", 0.0
    for word, size in zip(words, widths, strict=True):
        if line and width + size > per_line:
            lines.append(line)
            line, width = "", 0.0
        line, width = line + word, width + size
    return [*lines, line]


def title_lines(title: str, *, per_line: int = TITLE_CHARS_PER_LINE) -> list[str]:
    """A long title broken into lines between words, never inside one, as a trapezium or diamond.

    "关于印发县政府主要领导在全县经济工作会议上的讲话任务分解表的通知" would break anywhere in a word
    processor ("…讲话任/务分解表"); here it is cut with jieba, the 《》 of a quoted title and other marks
    kept with their words, into the fewest lines of at most `per_line` characters, as even as possible
    and the longer lines first.
    """
    if text_width(title) <= per_line:
        return [title]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    words: list[str] = []
    for token in jieba.lcut(title, HMM=False):
        glued = token[0] in _CLOSING or (token[0] in _UNITS and words and words[-1][-1].isdigit())
        if words and (glued or words[-1][-1] in _OPENING or (token[0].isdigit() and words[-1][-1].isdigit())):
            words[-1] += token
        else:
            words.append(token)
    widths = [text_width(w) for w in words]
    total = sum(widths)
    lines_needed = max(2, math.ceil(total / per_line))
    best: tuple | None = None
    # Every way to cut the words into `lines_needed` lines is tried; titles are short.
    for lines in range(lines_needed, lines_needed + 3):
        if math.comb(len(words) - 1, lines - 1) > 20000:  # a title of a page: break it greedily
            return _greedy_lines(words, widths, per_line)
        for cuts in itertools.combinations(range(1, len(words)), lines - 1):
            bounds = [0, *cuts, len(words)]
            sizes = [sum(widths[a:b]) for a, b in itertools.pairwise(bounds)]
            if max(sizes) > per_line:
                continue
            uneven = max(sizes) - min(sizes)
            trapezium = sum(1 for a, b in itertools.pairwise(sizes) if a < b)
            score = (lines, uneven, trapezium)
            if best is None or score < best[0]:
                best = (score, bounds)
        if best is not None:
            break
    if best is None:  # a single word longer than a line: let the program break it
        return [title]
    bounds = best[1]
    return ["".join(words[a:b]) for a, b in itertools.pairwise(bounds)]


def _set_fonts(rpr, name: str, *, latin: str | None = None) -> None:
    """Point every script of a w:rPr at `name`, East Asian included."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in _THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), latin or name)
    fonts.set(qn("w:hAnsi"), latin or name)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:cs"), latin or name)


def _condense(rpr) -> None:
    """-0.25 pt character spacing on a 3号 or larger run, so that 28 characters fill a line."""
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        rpr.insert_element_before(
            spacing, "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
            "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
        )  # fmt: skip
    spacing.set(qn("w:val"), str(CHAR_SPACING))


def _style_run(run, name: str, size_pt: float, *, bold: bool = False) -> None:
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    rpr = run._r.get_or_add_rPr()
    _set_fonts(rpr, name)
    if size_pt >= BODY_PT:
        _condense(rpr)


# The children of w:pPr that come after w:snapToGrid, in the schema's order.
_AFTER_SNAP = (
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _paragraph_spacing(paragraph, *, exact_grid: bool | str) -> None:
    """Body lines sit on the grid's pitch; tables and pictures keep their own height."""
    ppr = paragraph._p.get_or_add_pPr()
    spacing = ppr.get_or_add_spacing()
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    if exact_grid:
        spacing.set(qn("w:line"), str(LINE_PITCH))
        spacing.set(qn("w:lineRule"), "exact")
        if exact_grid == "title":
            # A 2号 line is taller than the grid's line: snapped, LibreOffice gives it two. Exactly one
            # pitch and off the grid, it takes one, and the lines after it stay on the grid.
            snap = OxmlElement("w:snapToGrid")
            snap.set(qn("w:val"), "0")
            ppr.insert_element_before(snap, *_AFTER_SNAP)
    else:
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        ppr.insert_element_before(snap, *_AFTER_SNAP)


def _indent_chars(paragraph, *, first_line: int = 0, right: int | None = None) -> None:
    """Indents in characters of body text (first_line 2 → 两个字; right in hundredths), as Word's 字符 unit,
    with the same in twips for programs that read only those."""
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    if first_line:
        ind.set(qn("w:firstLineChars"), str(first_line * 100))
        ind.set(qn("w:firstLine"), str(first_line * CHAR_PITCH))
    if right is not None:
        ind.set(qn("w:rightChars"), str(right))
        ind.set(qn("w:right"), str(round(right * CHAR_PITCH / 100)))


def _keep_with_next(p) -> None:
    """A paragraph (w:p element) that never ends a page: it moves to the next page with what follows."""
    p.get_or_add_pPr().get_or_add_keepNext()


_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value) -> str:
    return escape(_XML_UNSAFE.sub("", "" if value is None else str(value)))


def _cell_xml(text, width: int, *, font: str, half_points: int, align: str, fill: str = "", keep: bool = False) -> str:
    """One w:tc, written as XML: python-docx's cell API is quadratic in the size of the table."""
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    fonts = f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
    run_props = f'<w:rPr>{fonts}<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    lines = official_dates(cn_punct(str("" if text is None else text))).splitlines() or [""]
    # The paragraph mark's size matters only where the cell is empty (it sets the row's height).
    mark = run_props if lines == [""] else ""
    paragraph_props = (
        f'<w:pPr>{"<w:keepNext/>" if keep else ""}<w:snapToGrid w:val="0"/>'
        '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
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


_FIGURE = re.compile(r"^(?=.*\d)[\s\d.,%+\-—–:/()（）年月日个项次天%‰]*$")
CELL_MARGIN = 85  # twips, left and right of every cell


def _is_figure(value) -> bool:
    """A number, a rate, a date or a count: what must stay on one line in its cell."""
    return isinstance(value, int | float) or bool(_FIGURE.match(str(value or "")))


def _figure_width(value, font_pt: float) -> int:
    """Twips a figure needs on one line: a digit taken at 0.62 of the size (wider than in most fonts), and a
    quarter of the size wherever Chinese meets a digit (Word's and LibreOffice's automatic spacing)."""
    text = official_dates(str(value))
    em = sum(1 if _is_cjk(c) else 0.62 for c in text)
    em += 0.25 * sum(1 for a, b in itertools.pairwise(text) if _is_cjk(a) != _is_cjk(b))
    return math.ceil(em * font_pt * 20) + 2 * CELL_MARGIN + 30


class OfficeDoc:
    """A document in official format, written top to bottom.

    Headings are numbered by level (一、 (一) 1. (1)) unless their text already starts with
    its number, so both `heading("总体要求", 1)` and `heading("一、总体要求", 1)` work.
    A batch of documents (notices to several units) is one file with a section each: call
    `new_section()` before the next one's `title_block`.
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
        self._break_before = False
        self.title_block(title, subtitle=subtitle, doc_number=doc_number)

    def title_block(self, title: str, *, subtitle: str = "", doc_number: str = "") -> None:
        """发文字号, the title in 2号 小标宋 broken between words, and a subtitle."""
        if doc_number:
            _keep_with_next(self._line(doc_number, BODY_FONT, BODY_PT, align="center")._p)
            _keep_with_next(self._line("", BODY_FONT, BODY_PT)._p)
        lines = title_lines(cn_punct(title))
        # Each line of the title takes one line of the grid, so that page 1 has its 22 lines too.
        paragraph = self._line(lines[0], TITLE_FONT, TITLE_PT, align="center", exact="title")
        for line in lines[1:]:
            run = paragraph.add_run()
            run.add_break()
            run.add_text(line)
            _style_run(run, TITLE_FONT, TITLE_PT)
        _keep_with_next(paragraph._p)
        if subtitle:
            _keep_with_next(self._line(subtitle, KAI_FONT, BODY_PT, align="center")._p)
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
        # Page numbers start at 1 in every section: each notice of a batch is numbered on its own.
        numbering = sect_pr.find(qn("w:pgNumType"))
        if numbering is None:
            numbering = OxmlElement("w:pgNumType")
            sect_pr.insert_element_before(
                numbering, "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
                "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
            )  # fmt: skip
        numbering.set(qn("w:start"), "1")
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect_pr.append(grid)
        # Lines only: see the module's docstring for why the characters are not on the grid.
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_PITCH))
        grid.attrib.pop(qn("w:charSpace"), None)

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
        _condense(normal.element.get_or_add_rPr())
        # No widow and orphan control: a page of an official document is filled to its 22nd line.
        normal.paragraph_format.widow_control = False
        theme_lang = self.document.settings.element.find(qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(qn("w:eastAsia"), "zh-CN")

    def _setup_page_numbers(self) -> None:
        self.document.settings.odd_and_even_pages_header_footer = True
        section = self.document.sections[0]
        self._page_number(section.footer.paragraphs[0], align="right")
        self._page_number(section.even_page_footer.paragraphs[0], align="left")

    def _page_number(self, paragraph, *, align: str) -> None:
        """ "— 1 —", one 4号 character in from the outside edge by an indent (odd pages right, even left):
        a trailing 全角空格 would be dropped by LibreOffice at the end of a right-aligned line."""
        paragraph.alignment = _ALIGN[align]
        ppr = paragraph._p.get_or_add_pPr()
        spacing = ppr.get_or_add_spacing()
        spacing.set(qn("w:before"), "0")
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), str(PAGE_NUMBER_LINE))
        spacing.set(qn("w:lineRule"), "exact")
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        ppr.insert_element_before(snap, *_AFTER_SNAP)
        ind = ppr.get_or_add_ind()
        side = "right" if align == "right" else "left"
        ind.set(qn(f"w:{side}Chars"), "100")
        ind.set(qn(f"w:{side}"), str(PAGE_NUMBER_PT * 20))

        def text(value: str) -> None:
            _style_run(paragraph.add_run(value), PAGE_NUMBER_FONT, PAGE_NUMBER_PT)

        def field_char(kind: str) -> None:
            run = paragraph.add_run()
            _style_run(run, PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)

        text("— ")
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
        text(" —")

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
        exact: bool | str = True,
    ):
        paragraph = self.document.add_paragraph()
        paragraph.alignment = _ALIGN[align]
        _paragraph_spacing(paragraph, exact_grid=exact)
        if self._break_before:
            paragraph._p.get_or_add_pPr().get_or_add_pageBreakBefore()
            self._break_before = False
        if first_line_chars:
            _indent_chars(paragraph, first_line=first_line_chars)
        _style_run(paragraph.add_run(official_dates(cn_punct(text))), font, size_pt, bold=bold)
        return paragraph

    def heading(self, text: str, level: int) -> None:
        """1 → 一、 黑体; 2 → (一) 楷体_GB2312; 3 → 1. and 4 → (1) 仿宋_GB2312 bold; kept with the next paragraph."""
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
        paragraph = self._line(text, font, BODY_PT, bold=level >= 3, first_line_chars=2)
        _keep_with_next(paragraph._p)
        paragraph._p.get_or_add_pPr().get_or_add_keepLines()

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
        """A bordered table in 仿宋 (the header row in 黑体, repeated on every page), centred on the text.

        A column of figures (numbers, rates such as 100.0%, dates) is widened to hold its longest figure
        on one line, the room taken from the widest column of text.
        """
        columns = len(headers)
        if widths_cm is None:
            widths_cm = [TEXT_WIDTH / 567 / columns] * columns
        if len(widths_cm) != columns:
            raise ValueError("widths_cm must give one width per column")
        widths = [round(width * 567) for width in widths_cm]
        half_points = round(font_pt * 2)
        rows = [[values[i] if i < len(values) else "" for i in range(columns)] for values in rows]
        # Every figure (a number, a rate, a date) stays on one line: its column widens to the longest one,
        # the room taken from the widest column with no figures, or failing that the widest column.
        figures = [
            bool(rows) and all(_is_figure(row[i]) or str(row[i]).strip() in ("", "—", "-") for row in rows)
            for i in range(columns)
        ]
        for i in range(columns):
            need = max((_figure_width(row[i], font_pt) for row in rows if _is_figure(row[i])), default=0)
            if need > widths[i]:
                donors = [j for j in range(columns) if j != i and not figures[j]] or [
                    j for j in range(columns) if j != i
                ]
                if donors:
                    donor = max(donors, key=lambda j: widths[j])
                    widths[donor] -= need - widths[i]
                widths[i] = need
        border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        borders = "".join(border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        parts = [
            f"<w:tbl {nsdecls('w')}><w:tblPr>"
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f"<w:tblBorders>{borders}</w:tblBorders>"
            '<w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/>'
            "</w:tblCellMar>"
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
        if self._break_before:
            self._line("", BODY_FONT, BODY_PT)
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

    def _keep_last_with_next(self) -> None:
        """The last paragraph written, or the last row of the last table, stays on the page of what follows."""
        body = self.document.element.body
        last = [child for child in body if child.tag in (qn("w:p"), qn("w:tbl"))]
        if not last:
            return
        element = last[-1]
        if element.tag == qn("w:tbl"):
            for p in element.findall(qn("w:tr"))[-1].iter(qn("w:p")):
                _keep_with_next(p)
        else:
            _keep_with_next(element)
            # The blank line after a table: keep the table's last row with it too.
            if len(last) > 1 and last[-2].tag == qn("w:tbl") and not "".join(element.itertext()).strip():
                for p in last[-2].findall(qn("w:tr"))[-1].iter(qn("w:p")):
                    _keep_with_next(p)

    def signature(self, org: str, day: date, *, seal: bool = False) -> None:
        """落款: 发文机关署名 and 成文日期 as GB/T 9704-2012 §7.3.5 lays them out, never on a page of their own.

        With a seal (§7.3.5.1) the date is 4 characters in from the right and the issuer centred over it; two
        blank lines above leave room for the seal, whose top is within a line of the text and which presses
        on the issuer and date. No placeholder is printed: the office stamps the space.
        Without a seal (§7.3.5.2) one blank line, the issuer 2 characters in from the right, and the date
        under it, its first character 2 to the right of the issuer's first; a date longer than the issuer
        sits 2 characters in and the issuer moves left to keep that offset.
        """
        written = official_date(day)
        name_width, date_width = text_width(org), text_width(written)
        if seal:
            date_right = 4.0
            org_right = max(0.0, date_right + (date_width - name_width) / 2)
        else:
            org_right = 2.0
            date_right = name_width - date_width
            if date_right < 2 and date_width > name_width:
                date_right = 2.0
                org_right = date_right + date_width + 2 - name_width
            date_right = max(0.0, date_right)
        self._keep_last_with_next()
        for _ in range(2 if seal else 1):
            _keep_with_next(self._line("", BODY_FONT, BODY_PT)._p)
        name = self._line(org, BODY_FONT, BODY_PT, align="right")
        _indent_chars(name, right=round(org_right * 100))
        _keep_with_next(name._p)
        dated = self._line(written, BODY_FONT, BODY_PT, align="right")
        _indent_chars(dated, right=round(date_right * 100))

    def new_section(self) -> None:
        """End a document of a batch: what follows starts on a new page, in a section of its own whose page
        numbers restart at 1, so that each prints as a set. The break is carried by the last paragraph
        (no paragraph of its own, which would spill onto a blank numbered page after a full one)."""
        body = self.document.element.body
        paragraphs = [child for child in body if child.tag == qn("w:p")]
        if not paragraphs or body[-2].tag != qn("w:p"):
            self._line("", BODY_FONT, BODY_PT)
            paragraphs = [child for child in body if child.tag == qn("w:p")]
        ended = deepcopy(body.find(qn("w:sectPr")))
        ended.get_or_add_type().set(qn("w:val"), "nextPage")
        ppr = paragraphs[-1].get_or_add_pPr()
        ppr.insert_element_before(ended, "w:pPrChange")

    def page_break(self) -> None:
        """Start the next paragraph on a new page (carried by that paragraph, never a line of its own)."""
        self._break_before = True

    def to_bytes(self) -> bytes:
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def docx_response(data: bytes, filename: str):
    """A download of a .docx as `filename`; Django writes a Chinese name as filename*=UTF-8''."""
    from django.http import FileResponse

    return FileResponse(BytesIO(data), as_attachment=True, filename=filename, content_type=DOCX_CONTENT_TYPE)
